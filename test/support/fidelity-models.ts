/** The six scikit-learn fidelity models (test/fidelity/make-fidelity-models.py), built by Debian's Python into `dir`. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { SYSTEM_PYTHON } from './sklearn-models';

export function buildFidelityModels(dir: string): void {
  const r = spawnSync(SYSTEM_PYTHON, [join(repoRoot, 'test', 'fidelity', 'make-fidelity-models.py'), dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`make-fidelity-models.py failed: ${r.stderr}`);
}
