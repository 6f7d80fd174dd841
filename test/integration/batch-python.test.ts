/**
 * `preflight batch` through the Python engine with the real heart-disease CSVs of Azure's MLflow batch
 * example (`data/azureml-examples/heart-unlabeled-*.csv`), the job the Azure docs walk through.
 *
 * The fixture's own model.pkl is never unpickled (fixtures README: unpickling runs code, never do it), so
 * the test trains a real scikit-learn pipeline on the fixture's labelled heart.csv with Debian's Python
 * and saves it as an MLflow sklearn folder carrying the fixture model's exact signature.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchService } from '../../src/main/services/batch/batch-service';
import { parseCsvRows } from '../../src/shared/mlflow/payload/csv';
import { fixture } from '../support/paths';
import { sklearnSkipReason, SYSTEM_PYTHON, workerScript } from '../support/sklearn-models';

if (sklearnSkipReason) console.warn(`batch Python tests skipped: ${sklearnSkipReason}`);

const TRAIN = String.raw`
import json, pickle, sys
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

out, train_csv = sys.argv[1], sys.argv[2]
tests = sys.argv[3:]
df = pd.read_csv(train_csv)
y = df.pop("target")
pipe = Pipeline([
    ("prep", ColumnTransformer([("thal", OneHotEncoder(handle_unknown="ignore"), ["thal"])], remainder="passthrough")),
    ("clf", LogisticRegression(max_iter=5000)),
])
pipe.fit(df, y)
with open(f"{out}/model.pkl", "wb") as f:
    pickle.dump(pipe, f)
dtypes = {c: "int64" for c in df.columns if c not in ("oldpeak", "thal")}
dtypes.update({"oldpeak": "float64", "thal": "object"})
expected = {}
for path in tests:
    x = pd.read_csv(path, dtype=dtypes)
    expected[path.rsplit("/", 1)[-1]] = [int(v) for v in pipe.predict(x)]
with open(f"{out}/expected.json", "w") as f:
    json.dump(expected, f)
`;

describe.skipIf(sklearnSkipReason !== null)('batch: heart classifier through the Python engine', () => {
  let dir: string;
  let modelDir: string;
  let inDir: string;
  let expected: Record<string, number[]>;
  let batch: BatchService;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-batch-py-'));
    modelDir = join(dir, 'heart-model');
    inDir = join(dir, 'in');
    mkdirSync(modelDir);
    mkdirSync(inDir);
    for (const f of ['heart-unlabeled-0.csv', 'heart-unlabeled-3.csv']) copyFileSync(fixture('data', 'azureml-examples', f), join(inDir, f));
    const fixtureMlmodel = parseYaml(readFileSync(fixture('mlflow-models', 'azureml-examples-heart-classifier', 'MLmodel'), 'utf8')) as { signature: unknown };
    writeFileSync(
      join(modelDir, 'MLmodel'),
      stringifyYaml({
        flavors: {
          python_function: { loader_module: 'mlflow.sklearn', model_path: 'model.pkl', python_version: '3.11.0', env: 'conda.yaml' },
          sklearn: { pickled_model: 'model.pkl', serialization_format: 'pickle', sklearn_version: '1.2.0' },
        },
        signature: fixtureMlmodel.signature,
      }),
    );
    writeFileSync(join(modelDir, 'conda.yaml'), 'name: heart\ndependencies:\n  - python=3.11\n  - pip:\n      - scikit-learn\n      - pandas\n');
    writeFileSync(join(dir, 'train.py'), TRAIN);
    const r = spawnSync(SYSTEM_PYTHON, [join(dir, 'train.py'), modelDir, fixture('data', 'azureml-examples', 'heart.csv'), join(inDir, 'heart-unlabeled-0.csv'), join(inDir, 'heart-unlabeled-3.csv')], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`training the heart model failed: ${r.stderr || r.error?.message}`);
    expected = JSON.parse(readFileSync(join(modelDir, 'expected.json'), 'utf8')) as Record<string, number[]>;
    rmSync(join(modelDir, 'expected.json'));
    batch = new BatchService({ pythonWorkerScript: workerScript, pythonSetting: SYSTEM_PYTHON, progressIntervalMs: 0 });
  }, 180_000);

  afterAll(async () => {
    await batch?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scores the heart-unlabeled folder like scikit-learn does, one row per input row', async () => {
    const outDir = join(dir, 'out');
    const s = await batch.run({ modelPath: modelDir, input: inDir, outDir, chunkRows: 40 });
    expect(s.error).toBeNull();
    expect(s).toMatchObject({ status: 'succeeded', engine: 'python', rows: 103 });
    expect(s.files.map((f) => [f.file, f.rows])).toEqual([['heart-unlabeled-0.csv', 100], ['heart-unlabeled-3.csv', 3]]);
    const rows = parseCsvRows(readFileSync(join(outDir, 'predictions.csv'), 'utf8'));
    expect(rows[0]).toEqual(['row', 'prediction', 'file_name']);
    const got: Record<string, number[]> = {};
    for (const [row, prediction, file] of rows.slice(1)) {
      (got[file!] ??= []).push(Number(prediction));
      expect(Number(row)).toBe(got[file!]!.length - 1);
      expect(prediction).toMatch(/^[01]$/);
    }
    expect(got).toEqual(expected);
  }, 120_000);

  it('fails with Python\'s message naming the file, row and column when a long column holds text', async () => {
    const badDir = join(dir, 'in-bad');
    mkdirSync(badDir);
    const lines = readFileSync(join(inDir, 'heart-unlabeled-3.csv'), 'utf8').split('\n');
    lines[2] = lines[2]!.replace(/^\d+/, 'value');
    writeFileSync(join(badDir, 'heart-bad.csv'), lines.join('\n'));
    const s = await batch.run({ modelPath: modelDir, input: badDir, outDir: join(dir, 'out-bad') });
    expect(s.status).toBe('failed');
    expect(s.error?.message).toBe(
      `Error processing input file: '${join(badDir, 'heart-bad.csv')}'. Exception: invalid literal for int() with base 10: 'value' (row 1, line 3, column 'age'). No predictions.csv was written.`,
    );
  }, 60_000);

  it('a model whose pickle needs a module this Python lacks: the job names the pin and the pip command, as predict does', async () => {
    // A pickle that only imports a module nobody has (it fails at the import, before anything could run).
    const missing = join(dir, 'missing-module-model');
    mkdirSync(missing);
    writeFileSync(
      join(missing, 'MLmodel'),
      stringifyYaml({
        flavors: {
          python_function: { loader_module: 'mlflow.sklearn', model_path: 'model.pkl', python_version: '3.11.0', env: { virtualenv: 'python_env.yaml' } },
          sklearn: { pickled_model: 'model.pkl', serialization_format: 'pickle', sklearn_version: '1.2.0' },
        },
        mlflow_version: '2.9.2',
      }),
    );
    writeFileSync(join(missing, 'requirements.txt'), 'mlflow==2.9.2\npreflight-missing-mod==1.2.3\n');
    writeFileSync(join(missing, 'model.pkl'), 'cpreflight_missing_mod\nModel\n(tR.');
    const s = await batch.run({ modelPath: missing, input: join(inDir, 'heart-unlabeled-3.csv'), outDir: join(dir, 'out-missing') });
    expect(s.status).toBe('failed');
    expect(s.error?.message).toBe(
      `Error processing input file: '${join(inDir, 'heart-unlabeled-3.csv')}'. missing-module-model: loading the model failed in Python. ModuleNotFoundError: No module named 'preflight_missing_mod'. ` +
        `The model's requirements.txt pins preflight-missing-mod==1.2.3: install it (\`${SYSTEM_PYTHON} -m pip install "preflight-missing-mod==1.2.3"\`) or point PREFLIGHT_PYTHON at an interpreter that has it. No predictions.csv was written.`,
    );
  }, 60_000);
});
