/**
 * The second fresh differential suite (docs/fidelity.md §9.1): requests from test/fidelity/generate_fresh2.py — a new
 * seed and mutation kinds no earlier generator had (Azure-ML-shaped bodies sent to MLflow, pandas' tight and Series
 * forms, numpy tolist() of typed arrays, CSV as Excel writes it, unicode column names, very long rows, content types,
 * duplicate JSON keys, number tokens such as 1e400 / 0x10 / +1) — recorded from the real MLflow 2.7.1 and 2.12.2
 * servers and replayed against `serve`, `predict` and `validate` with its own known-gaps list.
 */
import { fresh2Dir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'second fresh differential suite', dir: fresh2Dir, minAnswers: 1100 });
