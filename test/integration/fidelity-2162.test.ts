/**
 * MLflow 2.16.2 — the version resources/sample-model pins — against its own recordings (docs/fidelity.md §7):
 * the main, held-out and nested-labels requests recorded from a real 2.16.2 server (run with a no-op opentelemetry
 * stub, see §7), replayed against `serve`, `predict` and `validate` with `--mlflow-version 2.16.2`.
 * The row-MultiIndex recordings (answers identical to 2.12.2's up to set order) replay with FIDELITY_2162_ALL=1:
 * 20 s that CI does not spend. The single-value suite (generate_scalars.py) holds answers of 2.7.1, 2.12.2 and 2.16.2.
 */
import { join } from 'node:path';
import { fidelity2162Dir, fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

const versions = ['2.16.2'];
describeReplay({ title: 'MLflow 2.16.2 main suite', dir: fidelity2162Dir, minAnswers: 2000, versions });
describeReplay({ title: 'MLflow 2.16.2 held-out suite', dir: join(fidelity2162Dir, 'heldout'), minAnswers: 500, versions });
describeReplay({ title: 'MLflow 2.16.2 nested-labels suite', dir: join(fidelity2162Dir, 'nested'), minAnswers: 200, versions });
if (process.env.FIDELITY_2162_ALL === '1')
  describeReplay({ title: 'MLflow 2.16.2 row-MultiIndex suite', dir: join(fidelity2162Dir, 'rowindex'), minAnswers: 150, versions });
// Single values under `inputs` / `instances` (the 2.15.0 change, docs/fidelity.md §7), recorded from all three servers.
describeReplay({ title: 'single-value suite', dir: join(fidelityDir, 'scalars'), minAnswers: 900, versions: ['2.7.1', '2.12.2', '2.16.2'] });
