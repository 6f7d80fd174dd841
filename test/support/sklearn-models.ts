/**
 * Real scikit-learn MLflow folders for the Python-engine tests, built by `make-sklearn-model.py` with
 * Debian's Python (`/usr/bin/python3` + python3-sklearn, installed by `.ci/run`). `sklearnSkipReason`
 * says why the tests cannot run on a machine without it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * A fresh folder of the scikit-learn models that the caller owns (it may write beside them and removes it). In an
 * integration run the models are trained once (about 3 s of Python CPU: sklearn and pandas imports, fits) into the
 * run's folder (bundles-setup.ts) and each call gets its own copy (about 100 kB, no absolute paths inside); the ten
 * files that use them trained them ten times before. Elsewhere (E2E, a single vitest file without the setup) each
 * call trains its own.
 */
export function buildSklearnModels(): SklearnModels {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-sklearn-'));
  const trained = trainedOnceForRun();
  if (trained) cpSync(trained, dir, { recursive: true });
  else makeSklearnModels(dir);
  return modelsIn(dir);
}

/** A fresh copy of models built before (the E2E worker fixture trains once per worker, each test gets a copy it owns). */
export function copySklearnModels(from: SklearnModels): SklearnModels {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-sklearn-'));
  cpSync(from.dir, dir, { recursive: true });
  return modelsIn(dir);
}

function modelsIn(dir: string): SklearnModels {
  return {
    dir,
    diabetes: join(dir, 'diabetes'),
    iris: join(dir, 'iris'),
    irisProba: join(dir, 'iris-proba'),
    tricky: join(dir, 'tricky'),
    expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as SklearnModels['expected'],
  };
}

function makeSklearnModels(dir: string): void {
  const r = spawnSync(SYSTEM_PYTHON, [join(repoRoot, 'test', 'support', 'make-sklearn-model.py'), dir], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`make-sklearn-model.py failed: ${r.stderr || r.error?.message}`);
}

/** The run's trained models (built beside and renamed into place: no file sees a half-built set), or null outside an integration run. */
function trainedOnceForRun(): string | null {
  let root: string | undefined;
  try {
    root = inject('sklearnModelsRoot');
  } catch {
    return null; // not inside a vitest worker
  }
  if (root === undefined) return null;
  const dir = join(root, 'trained');
  if (existsSync(dir)) return dir;
  const partial = `${dir}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  makeSklearnModels(partial);
  try {
    renameSync(partial, dir);
  } catch (err) {
    // another test file finished first: use its set
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(dir)) throw err;
  }
  return dir;
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
