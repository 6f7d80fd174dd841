/**
 * MLflow 2.8.1 — the version five of the users' model folders pin (../shared/fixtures) — against its own recordings
 * (docs/fidelity.md §12): the main, held-out, nested-labels, row-MultiIndex, single-value and fresh requests recorded
 * from a real 2.8.1 `mlflow models serve`, replayed against `serve`, `predict` and `validate` with
 * `--mlflow-version 2.8.1`. CI replays the main suite; FIDELITY_281_ALL=1 replays the others too.
 */
import { describeVersionReplays } from '../support/fidelity-version';

describeVersionReplays('2.8.1', 'FIDELITY_281_ALL');
