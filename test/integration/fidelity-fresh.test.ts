/**
 * The fresh differential suite (docs/fidelity.md §7): requests from test/fidelity/generate_fresh.py — what a data
 * scientist actually sends (pandas to_json/to_csv output of every orient, records with missing or extra keys,
 * number and string spellings, duplicated keys, content-type parameters, params of every JSON type), written by
 * someone who did not fix the earlier suites' rules — recorded from the real MLflow 2.7.1 and 2.12.2 servers and
 * replayed against `serve`, `predict` and `validate` with its own known-gaps list.
 */
import { freshDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'fresh differential suite', dir: freshDir, minAnswers: 600 });
