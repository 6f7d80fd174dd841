/**
 * The held-out differential suite (docs/fidelity.md §4): requests from test/fidelity/generate_heldout.py —
 * another seed and mutation kinds the rules were not fixed against — recorded from the real MLflow 2.7.1 and
 * 2.12.2 servers, replayed against `serve`, `predict` and `validate` with its own known-gaps list.
 */
import { heldOutDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'held-out differential suite', dir: heldOutDir, minAnswers: 1000 });
