import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ModelService } from '../../src/main/services/model/model-service';
import { PayloadService } from '../../src/main/services/payload/payload-service';
import { silentLogger } from '../../src/main/ports/logger';
import { fixture, repoRoot } from '../support/paths';

/**
 * A request the server accepts and onnxruntime refuses: numbers written without a decimal point reach a float input as
 * int64 (MLflow's onnx wrapper casts only float64 → float32). `validate` warns exactly when the real onnxruntime, run by
 * `predict`, refuses the feed, and `predict`'s log names the input and what to send.
 */
const outDir = inject('bundlesDir');
const matmul = fixture('onnx', 'onnxruntime-inference-examples', 'quick-start-node', 'model.onnx'); // a: float[3,4], b: float[4,3]
const mnist = fixture('onnx', 'onnxruntime-inference-examples', 'mnist', 'model.onnx'); // Input3: float[1,1,28,28]
const iris = fixture('onnx', 'sklearn-onnx-docs-2022', 'logreg-iris', 'model.onnx'); // X: float[?,2]
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-feed-dtype-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const grid = (rows: number, cols: number, v: string): string => `[${Array.from({ length: rows }, () => `[${Array(cols).fill(v).join(',')}]`).join(',')}]`;
const image = (v: string): string => `[${grid(28, 28, v)}]`; // one instance: [1, 28, 28]

const cases: { name: string; model: string; body: string; refused: string[] }[] = [
  { name: 'integers for both inputs', model: matmul, body: `{"inputs": {"a": ${grid(3, 4, '0')}, "b": ${grid(4, 3, '1')}}}`, refused: ['a', 'b'] },
  { name: 'integers for one input', model: matmul, body: `{"inputs": {"a": ${grid(3, 4, '0.0')}, "b": ${grid(4, 3, '1')}}}`, refused: ['b'] },
  { name: 'floats (0.0) for both', model: matmul, body: `{"inputs": {"a": ${grid(3, 4, '0.0')}, "b": ${grid(4, 3, '1.5')}}}`, refused: [] },
  { name: 'booleans', model: matmul, body: `{"inputs": {"a": ${grid(3, 4, 'true')}, "b": ${grid(4, 3, '1.0')}}}`, refused: ['a'] },
  { name: 'one input given an integer image', model: mnist, body: `{"instances": [${image('0')}]}`, refused: ['Input3'] },
  { name: 'one input given a float image', model: mnist, body: `{"instances": [${image('0.5')}]}`, refused: [] },
];

describe('integers for a float ONNX input (no signature: nothing casts them)', () => {
  it.each(cases)('$name: validate warns for exactly the inputs onnxruntime refuses in predict', async ({ model, body, refused }) => {
    const result = await new PayloadService(new ModelService(silentLogger)).validate({ modelPath: model, body, server: 'mlflow', contentType: 'application/json' });
    expect(result.ok).toBe(true);
    const warned = result.warnings.filter((w) => w.code === 'onnx-input-dtype').map((w) => /input '([^']+)'/.exec(w.message)![1]);
    expect(warned).toEqual(refused);

    const file = join(tmp, 'body.json');
    await writeFile(file, body);
    const r = spawnSync(process.execPath, [join(outDir, 'cli.js'), 'predict', model, file, '--server', 'mlflow'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'ud') },
      timeout: 60_000,
    });
    if (refused.length === 0) {
      expect(r.status, r.stdout + r.stderr).toBe(0);
    } else {
      expect(r.stdout).toContain('Unexpected input data type');
      // the log line says which input (onnxruntime's message does not) and what to write instead
      expect(r.stderr).toMatch(/The model's inputs? '/);
      expect(r.stderr).toContain('the servers cast only float64 to float32');
    }
  });
});

/** The same for shapes: onnxruntime checks the rank and every fixed dimension before running. */
const shapeCases: { name: string; model: string; body: string; server: 'mlflow' | 'azureml'; refused: string[]; says?: string }[] = [
  { name: 'four columns for a [?, 2] input (Azure)', model: iris, body: '{"input_data": [[5.1, 3.5, 1.4, 0.2]]}', server: 'azureml', refused: ['X'], says: 'Got invalid dimensions' },
  { name: 'four columns of a frame for a [?, 2] input', model: iris, body: '{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": [[5.1, 3.5, 1.4, 0.2]]}}', server: 'mlflow', refused: ['X'], says: 'Got invalid dimensions' },
  { name: 'two columns of a frame', model: iris, body: '{"dataframe_split": {"columns": ["a", "b"], "data": [[5.1, 3.5], [4.9, 3.0]]}}', server: 'mlflow', refused: [] },
  { name: 'a flat row (rank 1) for a [?, 2] input', model: iris, body: '{"inputs": [5.1, 3.5]}', server: 'mlflow', refused: ['X'], says: 'Invalid rank' },
  { name: 'a 3×3 matrix for a [3, 4] input', model: matmul, body: `{"inputs": {"a": ${grid(3, 3, '0.5')}, "b": ${grid(4, 3, '1.5')}}}`, server: 'mlflow', refused: ['a'], says: 'Got invalid dimensions' },
  { name: 'an image without its batch and channel dimensions', model: mnist, body: `{"inputs": ${grid(28, 28, '0.5')}}`, server: 'mlflow', refused: ['Input3'], says: 'Invalid rank' },
];

describe('a feed of the wrong shape for an ONNX input', () => {
  it.each(shapeCases)('$name: validate warns for exactly the inputs onnxruntime refuses in predict', async ({ model, body, server, refused, says }) => {
    const result = await new PayloadService(new ModelService(silentLogger)).validate({ modelPath: model, body, server, contentType: 'application/json' });
    expect(result.ok).toBe(true);
    const warned = result.warnings.filter((w) => w.code === 'onnx-input-shape').map((w) => /input '([^']+)'/.exec(w.message)![1]);
    expect(warned).toEqual(refused);

    const file = join(tmp, 'shape-body.json');
    await writeFile(file, body);
    const r = spawnSync(process.execPath, [join(outDir, 'cli.js'), 'predict', model, file, '--server', server], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'ud') },
      timeout: 60_000,
    });
    if (refused.length === 0) expect(r.status, r.stdout + r.stderr).toBe(0);
    else expect(r.stdout + r.stderr).toContain(says!);
  });
});
