/**
 * MLflow 2.3.1 — pinned by three of the users' model folders — against its own recordings (docs/fidelity.md §10):
 * the main, held-out, nested-labels, row-MultiIndex, single-value and fresh requests recorded from a real 2.3.1 server (run with
 * Debian's Python and the databricks-cli source, like 2.7.1), replayed against `serve`, `predict` and `validate`
 * with `--mlflow-version 2.3.1`. The main and held-out suites (where its rules showed) always; the nested-labels,
 * single-value, row-MultiIndex and fresh recordings with FIDELITY_231_ALL=1 (about 2.5 min more CI time otherwise).
 */
import { join } from 'node:path';
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

const dir = join(fidelityDir, 'mlflow-2.3.1');
const versions = ['2.3.1'];
describeReplay({ title: 'MLflow 2.3.1 main suite', dir, minAnswers: 2000, versions });
describeReplay({ title: 'MLflow 2.3.1 held-out suite', dir: join(dir, 'heldout'), minAnswers: 500, versions });
if (process.env.FIDELITY_231_ALL === '1') {
  describeReplay({ title: 'MLflow 2.3.1 nested-labels suite', dir: join(dir, 'nested'), minAnswers: 200, versions });
  describeReplay({ title: 'MLflow 2.3.1 single-value suite', dir: join(dir, 'scalars'), minAnswers: 300, versions });
  describeReplay({ title: 'MLflow 2.3.1 row-MultiIndex suite', dir: join(dir, 'rowindex'), minAnswers: 150, versions });
  describeReplay({ title: 'MLflow 2.3.1 fresh suite', dir: join(dir, 'fresh'), minAnswers: 500, versions });
}
