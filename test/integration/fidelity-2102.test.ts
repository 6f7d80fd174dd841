/**
 * MLflow 2.10.2 — pinned by one of the users' model folders (../shared/fixtures), and the release between the observed
 * 2.8.1 and 2.12.2 — against its own recordings (docs/fidelity.md §10): the main, held-out, nested-labels,
 * row-MultiIndex, single-value and fresh requests recorded from a real 2.10.2 `mlflow models serve`, replayed against
 * `serve`, `predict` and `validate` with `--mlflow-version 2.10.2`. CI replays the main suite; FIDELITY_2102_ALL=1
 * replays the others too.
 */
import { join } from 'node:path';
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

const dir = join(fidelityDir, 'mlflow-2.10.2');
const versions = ['2.10.2'];
describeReplay({ title: 'MLflow 2.10.2 main suite', dir, minAnswers: 2000, versions });
if (process.env.FIDELITY_2102_ALL === '1') {
  describeReplay({ title: 'MLflow 2.10.2 held-out suite', dir: join(dir, 'heldout'), minAnswers: 500, versions });
  describeReplay({ title: 'MLflow 2.10.2 nested-labels suite', dir: join(dir, 'nested'), minAnswers: 200, versions });
  describeReplay({ title: 'MLflow 2.10.2 row-MultiIndex suite', dir: join(dir, 'rowindex'), minAnswers: 150, versions });
  describeReplay({ title: 'MLflow 2.10.2 single-value suite', dir: join(dir, 'scalars'), minAnswers: 300, versions });
  describeReplay({ title: 'MLflow 2.10.2 fresh suite', dir: join(dir, 'fresh'), minAnswers: 500, versions });
}
