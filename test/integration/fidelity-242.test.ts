/**
 * MLflow 2.4.2 — pinned by two of the users' model folders — against its own recordings (docs/fidelity.md §11):
 * the main, held-out, nested-labels, single-value, row-MultiIndex and fresh requests recorded from a real 2.4.2
 * server (run like 2.3.1), replayed against `serve`, `predict` and `validate` with `--mlflow-version 2.4.2`. The main suite always; the
 * held-out, nested-labels, single-value, row-MultiIndex and fresh recordings with FIDELITY_242_ALL=1 (all 100 %).
 */
import { join } from 'node:path';
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

const dir = join(fidelityDir, 'mlflow-2.4.2');
const versions = ['2.4.2'];
describeReplay({ title: 'MLflow 2.4.2 main suite', dir, minAnswers: 2000, versions });
if (process.env.FIDELITY_242_ALL === '1') {
  describeReplay({ title: 'MLflow 2.4.2 held-out suite', dir: join(dir, 'heldout'), minAnswers: 500, versions });
  describeReplay({ title: 'MLflow 2.4.2 nested-labels suite', dir: join(dir, 'nested'), minAnswers: 200, versions });
  describeReplay({ title: 'MLflow 2.4.2 single-value suite', dir: join(dir, 'scalars'), minAnswers: 300, versions });
  describeReplay({ title: 'MLflow 2.4.2 row-MultiIndex suite', dir: join(dir, 'rowindex'), minAnswers: 150, versions });
  describeReplay({ title: 'MLflow 2.4.2 fresh suite', dir: join(dir, 'fresh'), minAnswers: 500, versions });
}
