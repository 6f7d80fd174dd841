/**
 * MLflow 2.5.0 against its own recordings (docs/fidelity.md §14): the main, held-out, nested-labels, row-MultiIndex,
 * single-value and fresh requests recorded from a real 2.5.0 server (run with Debian's Python and the databricks-cli
 * source, like 2.3.1), replayed against `serve`, `predict` and `validate` with `--mlflow-version 2.5.0`. The main
 * suite always; the others with FIDELITY_250_ALL=1.
 */
import { describeVersionReplays } from '../support/fidelity-version';

describeVersionReplays('2.5.0', 'FIDELITY_250_ALL');
