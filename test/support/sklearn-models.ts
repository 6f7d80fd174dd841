/**
 * Real scikit-learn MLflow folders for the Python-engine tests, built by `make-sklearn-model.py` with
 * Debian's Python (`/usr/bin/python3` + python3-sklearn, installed by `.ci/run`). `sklearnSkipReason`
 * says why the tests cannot run on a machine without it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';

export const SYSTEM_PYTHON = process.env.PREFLIGHT_TEST_PYTHON ?? '/usr/bin/python3';
export const workerScript = join(repoRoot, 'resources', 'python', 'preflight_worker.py');

function skipReason(): string | null {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import sklearn, pandas, numpy, cloudpickle, yaml'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return `${SYSTEM_PYTHON} cannot run (${r.error.message}); install python3 with python3-sklearn`;
  if (r.status !== 0) return `${SYSTEM_PYTHON} lacks scikit-learn/pandas/cloudpickle/yaml (${r.stderr.trim().split('\n').pop()}); install python3-sklearn python3-pandas python3-cloudpickle python3-yaml`;
  return null;
}

/** Null when the sklearn models can be built; else the reason the tests are skipped. */
export const sklearnSkipReason: string | null = skipReason();

export interface ExpectedCase {
  columns: string[];
  rows: number[][];
  mlflow_body: string;
  azureml_body: string;
  proba_mlflow_body?: string;
}

export interface SklearnModels {
  dir: string;
  diabetes: string;
  iris: string;
  irisProba: string;
  tricky: string;
  expected: { diabetes: ExpectedCase; iris: ExpectedCase; versions: Record<string, string> };
}

export function buildSklearnModels(): SklearnModels {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-sklearn-'));
  const r = spawnSync(SYSTEM_PYTHON, [join(repoRoot, 'test', 'support', 'make-sklearn-model.py'), dir], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`make-sklearn-model.py failed: ${r.stderr || r.error?.message}`);
  return {
    dir,
    diabetes: join(dir, 'diabetes'),
    iris: join(dir, 'iris'),
    irisProba: join(dir, 'iris-proba'),
    tricky: join(dir, 'tricky'),
    expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as SklearnModels['expected'],
  };
}

/** Folders from `make-hostile-models.py`: a model whose predict starts helper processes or floods stderr. */
export interface HostileModels {
  dir: string;
  spawner: string;
  /** Where the spawner writes its helper process's pid. */
  helperPidFile: string;
}

export function buildHostileModels(): HostileModels {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-hostile-'));
  const r = spawnSync(SYSTEM_PYTHON, [join(repoRoot, 'test', 'support', 'make-hostile-models.py'), dir], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`make-hostile-models.py failed: ${r.stderr || r.error?.message}`);
  return { dir, spawner: join(dir, 'spawner'), helperPidFile: join(dir, 'helper.pid') };
}
