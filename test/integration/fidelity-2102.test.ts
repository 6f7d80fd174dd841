/**
 * MLflow 2.10.2 — pinned by one of the users' model folders (../shared/fixtures), and the release between the observed
 * 2.8.1 and 2.12.2 — against its own recordings (docs/fidelity.md §12): the main, held-out, nested-labels,
 * row-MultiIndex, single-value and fresh requests recorded from a real 2.10.2 `mlflow models serve`, replayed against
 * `serve`, `predict` and `validate` with `--mlflow-version 2.10.2`. CI replays the main suite; FIDELITY_2102_ALL=1
 * replays the others too.
 */
import { describeVersionReplays } from '../support/fidelity-version';

describeVersionReplays('2.10.2', 'FIDELITY_2102_ALL');
