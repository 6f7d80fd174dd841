/**
 * The scikit-learn fidelity models (test/fidelity/make-fidelity-models.py), built by Debian's Python into `dir`
 * with the fitted coefficients of set `params` (test/fidelity/model-params.json): the ones the models had when
 * the recordings being replayed were made — fitting on another CPU gives other coefficients (its OpenBLAS kernels).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { SYSTEM_PYTHON } from './sklearn-models';

/** `skylakex`: the recordings made before stop 20 (OpenBLAS SkylakeX kernels); `haswell`: those made at stop 20 (OPENBLAS_CORETYPE=Haswell in the machine's environment). */
export type ModelParams = 'skylakex' | 'haswell';

/** The coefficient set a recording folder's answers came from: its `models.json` `{"params": …}`, else `skylakex`. */
export function recordedModelParams(dir: string): ModelParams {
  const file = join(dir, 'models.json');
  if (!existsSync(file)) return 'skylakex';
  const p = (JSON.parse(readFileSync(file, 'utf8')) as { params?: string }).params;
  if (p !== 'skylakex' && p !== 'haswell') throw new Error(`${file}: "params" must be "skylakex" or "haswell", not ${JSON.stringify(p)}`);
  return p;
}

export function buildFidelityModels(dir: string, params: ModelParams = 'skylakex'): void {
  const r = spawnSync(SYSTEM_PYTHON, [join(repoRoot, 'test', 'fidelity', 'make-fidelity-models.py'), dir, '--params', params], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`make-fidelity-models.py failed: ${r.stderr}`);
}
