/**
 * MLflow 2.8.1 — the version five of the users' model folders pin (../shared/fixtures) — against its own recordings
 * (docs/fidelity.md §10): the main, held-out, nested-labels, row-MultiIndex, single-value and fresh requests recorded
 * from a real 2.8.1 `mlflow models serve`, replayed against `serve`, `predict` and `validate` with
 * `--mlflow-version 2.8.1`. CI replays the main suite; FIDELITY_281_ALL=1 replays the others too (they take longer
 * than this file's share of CI time).
 */
import { join } from 'node:path';
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

const dir = join(fidelityDir, 'mlflow-2.8.1');
const versions = ['2.8.1'];
describeReplay({ title: 'MLflow 2.8.1 main suite', dir, minAnswers: 2000, versions });
if (process.env.FIDELITY_281_ALL === '1') {
  describeReplay({ title: 'MLflow 2.8.1 held-out suite', dir: join(dir, 'heldout'), minAnswers: 500, versions });
  describeReplay({ title: 'MLflow 2.8.1 nested-labels suite', dir: join(dir, 'nested'), minAnswers: 200, versions });
  describeReplay({ title: 'MLflow 2.8.1 row-MultiIndex suite', dir: join(dir, 'rowindex'), minAnswers: 150, versions });
  describeReplay({ title: 'MLflow 2.8.1 single-value suite', dir: join(dir, 'scalars'), minAnswers: 300, versions });
  describeReplay({ title: 'MLflow 2.8.1 fresh suite', dir: join(dir, 'fresh'), minAnswers: 500, versions });
}
