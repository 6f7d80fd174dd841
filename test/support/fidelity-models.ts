/**
 * The scikit-learn fidelity models (test/fidelity/make-fidelity-models.py), built by Debian's Python into `dir`
 * with the fitted coefficients of set `params` (test/fidelity/model-params.json): the ones the models had when
 * the recordings being replayed were made — fitting on another CPU gives other coefficients (its OpenBLAS kernels).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
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

/** The AVX-512 subsets OpenBLAS' SkylakeX kernels use: forcing them on a CPU without them would be an illegal instruction. */
const SKYLAKEX_FLAGS = ['avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512cd'];

function cpuFlags(): Set<string> {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    return new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}

/**
 * The environment for the Python processes that run a replay's models: OpenBLAS' kernels of the set the recordings
 * were made with (`OPENBLAS_CORETYPE`), because *predicting* can differ in a last digit by kernel too (docs/fidelity.md
 * §17). SkylakeX only where the CPU has AVX-512; elsewhere the machine's own kernels (a last digit may then differ).
 */
export function blasEnvFor(params: ModelParams): Record<string, string> {
  if (params === 'haswell') return { OPENBLAS_CORETYPE: 'Haswell' };
  const flags = cpuFlags();
  return SKYLAKEX_FLAGS.every((f) => flags.has(f)) ? { OPENBLAS_CORETYPE: 'SkylakeX' } : {};
}

/**
 * Sets this process's `OPENBLAS_CORETYPE` for the set (the Python workers the replay starts inherit the process
 * environment); returns what puts the previous value back.
 */
export function useBlasKernelsOf(params: ModelParams): () => void {
  const before = process.env.OPENBLAS_CORETYPE;
  const kernels = blasEnvFor(params).OPENBLAS_CORETYPE;
  if (kernels !== undefined) process.env.OPENBLAS_CORETYPE = kernels;
  return () => {
    if (before === undefined) delete process.env.OPENBLAS_CORETYPE;
    else process.env.OPENBLAS_CORETYPE = before;
  };
}

export function buildFidelityModels(dir: string, params: ModelParams = 'skylakex'): void {
  const r = spawnSync(SYSTEM_PYTHON, [join(repoRoot, 'test', 'fidelity', 'make-fidelity-models.py'), dir, '--params', params], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...blasEnvFor(params) } });
  if (r.status !== 0) throw new Error(`make-fidelity-models.py failed: ${r.stderr}`);
}

/**
 * The fidelity models of set `params`, built once per test run (about 2 s of Python each time) into the run's folder
 * (bundles-setup.ts); the replays only read them. Built beside and renamed into place, so a file never sees a
 * half-built set.
 */
export function fidelityModelsFor(params: ModelParams): string {
  const dir = join(inject('fidelityModelsRoot'), params);
  if (existsSync(dir)) return dir;
  const partial = `${dir}.${process.pid}.partial`;
  buildFidelityModels(partial, params);
  try {
    renameSync(partial, dir);
  } catch (err) {
    // another test file finished the same set first: use that one
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(dir)) throw err;
  }
  return dir;
}
