/**
 * MLflow 2.3.1 — pinned by three of the users' model folders — against its own recordings (docs/fidelity.md §10):
 * the main, held-out, nested-labels, row-MultiIndex, single-value and fresh requests recorded from a real 2.3.1 server (run with
 * Debian's Python and the databricks-cli source, like 2.7.1), replayed against `serve`, `predict` and `validate`
 * with `--mlflow-version 2.3.1`. The main and held-out suites (where its rules showed) always; the nested-labels,
 * single-value, row-MultiIndex and fresh recordings with FIDELITY_231_ALL=1 (about 2.5 min more CI time otherwise).
 */
import { describeVersionReplays } from '../support/fidelity-version';

describeVersionReplays('2.3.1', 'FIDELITY_231_ALL', ['heldout']);
