/**
 * MLflow 2.4.2 — pinned by two of the users' model folders — against its own recordings (docs/fidelity.md §11):
 * the main, held-out, nested-labels, single-value, row-MultiIndex and fresh requests recorded from a real 2.4.2
 * server (run like 2.3.1), replayed against `serve`, `predict` and `validate` with `--mlflow-version 2.4.2`. The main suite always; the
 * held-out, nested-labels, single-value, row-MultiIndex and fresh recordings with FIDELITY_242_ALL=1 (all 100 %).
 */
import { describeVersionReplays } from '../support/fidelity-version';

describeVersionReplays('2.4.2', 'FIDELITY_242_ALL');
