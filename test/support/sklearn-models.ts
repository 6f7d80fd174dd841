/**
 * Real scikit-learn MLflow folders for the Python-engine tests, built by `make-sklearn-model.py` with
 * Debian's Python (`/usr/bin/python3` + python3-sklearn, installed by `.ci/run`). `sklearnSkipReason`
 * says why the tests cannot run on a machine without it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { repoRoot } from './paths';
import { SYSTEM_PYTHON, skipReason } from './sklearn-check';

export { SYSTEM_PYTHON };
export const workerScript = join(repoRoot, 'resources', 'python', 'preflight_worker.py');

/** Null when the sklearn models can be built; else the reason the tests are skipped. */
export const sklearnSkipReason: string | null = askedOnce();

/** The run's answer (bundles-setup.ts provides it to integration files), else asked here (unit tests, other runners). */
function askedOnce(): string | null {
  try {
    const provided = inject('sklearnSkipReason');
    if (provided !== undefined) return provided;
  } catch {
    // not inside a vitest worker
  }
  return skipReason();
}

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

/**
 * An MLflow sklearn folder whose model.pkl runs `touch <marker>` when it is unpickled: what any pickled
 * model can do. The trust tests check that nothing of it runs before the folder is trusted.
 */
export function writeCodeRunningModel(modelDir: string, marker: string): void {
  mkdirSync(modelDir, { recursive: true });
  writeFileSync(
    join(modelDir, 'MLmodel'),
    'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    model_path: model.pkl\n    python_version: 3.11.2\n  sklearn:\n    pickled_model: model.pkl\n    serialization_format: pickle\nmlflow_version: 2.12.2\n',
  );
  const script = 'import os, pickle, sys\nclass Evil:\n    def __reduce__(self):\n        return (os.system, ("touch " + sys.argv[2],))\nopen(sys.argv[1], "wb").write(pickle.dumps(Evil()))';
  const r = spawnSync(SYSTEM_PYTHON, ['-c', script, join(modelDir, 'model.pkl'), marker], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`writing the code-running pickle failed: ${r.stderr || r.error?.message}`);
}
