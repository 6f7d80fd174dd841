/**
 * A string-input ONNX model (issue 4 "Sample models the tests use": a string-input model) written from
 * code, in an MLflow folder with an `onnx` flavor, run end to end through RunnerService: an object
 * (string) DataFrame column fed as a string tensor, StringNormalizer (needs the en_US.UTF-8 locale
 * that setup.sh generates) and an `ai.onnx.ml` LabelEncoder, and both servers' exact bodies.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorType } from '../../src/main/services/model/onnx/onnx-types';
import { attr, writeOnnxModel } from '../support/onnx-writer';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { writeOnnxFlavorMLmodel } from '../support/onnx-models';

let dir: string;
let modelPath: string;
let runner: RunnerService;

/** score = LabelEncoder(upper(text)) + n; outputs the normalized text and the score. */
async function writeStringModel(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeOnnxModel(join(folder, 'model.onnx'), {
    opsetImports: [{ domain: '', version: 13 }, { domain: 'ai.onnx.ml', version: 2 }],
    graph: {
      name: 'strings',
      nodes: [
        { opType: 'StringNormalizer', inputs: ['text'], outputs: ['upper'], attributes: [attr.string('case_change_action', 'UPPER')] },
        {
          opType: 'LabelEncoder', domain: 'ai.onnx.ml', inputs: ['upper'], outputs: ['code'],
          attributes: [attr.strings('keys_strings', ['HELLO', 'CAT']), attr.ints('values_int64s', [10, 20]), attr.int('default_int64', -1)],
        },
        { opType: 'Add', inputs: ['code', 'n'], outputs: ['score'] },
      ],
      inputs: [
        { name: 'text', type: tensorType('string', ['N']) },
        { name: 'n', type: tensorType('int64', ['N']) },
      ],
      outputs: [
        { name: 'upper', type: tensorType('string', ['N']) },
        { name: 'score', type: tensorType('int64', ['N']) },
      ],
    },
  });
  await writeOnnxFlavorMLmodel(folder, {
    mlflowVersion: '2.16.2',
    inputs: [{ type: 'string', name: 'text', required: true }, { type: 'long', name: 'n', required: true }],
    outputs: [{ type: 'string', name: 'upper', required: true }, { type: 'long', name: 'score', required: true }],
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-strings-'));
  runner = new RunnerService({ onnxWorkerPath: await bundleOnnxWorker(join(dir, 'onnx-worker.js')) });
  modelPath = join(dir, 'strings-model');
  await writeStringModel(modelPath);
}, 60_000);

afterAll(async () => {
  runner?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const split = JSON.stringify({ columns: ['text', 'n'], data: [['hello', 1], ['Cat', 2], ['émile', 3]] });

describe('a string-input ONNX model (StringNormalizer + LabelEncoder)', () => {
  it('Azure: input_data split → one string column and one int64 column fed by name; bare records back', async () => {
    const r = await runner.predict({ modelPath, body: `{"input_data": ${split}}`, contentType: 'application/json', server: 'azureml' });
    expect(r.status).toBe(200);
    expect(r.engine).toBe('onnx');
    expect(r.body_text).toBe('[{"upper": "HELLO", "score": 11}, {"upper": "CAT", "score": 22}, {"upper": "\\u00c9MILE", "score": 2}]');
  });

  it('MLflow: dataframe_records → the same predictions wrapped in {"predictions": …}', async () => {
    const body = JSON.stringify({ dataframe_records: [{ text: 'hello', n: 1 }, { text: 'dog', n: 5 }] });
    const r = await runner.predict({ modelPath, body, contentType: 'application/json', server: 'mlflow' });
    expect(r.status).toBe(200);
    expect(r.body_text).toBe('{"predictions": [{"upper": "HELLO", "score": 11}, {"upper": "DOG", "score": 4}]}');
  });

  it('a missing required column is refused before the model runs, naming the column', async () => {
    const body = JSON.stringify({ dataframe_split: { columns: ['text'], data: [['hello']] } });
    const r = await runner.predict({ modelPath, body, contentType: 'application/json', server: 'mlflow' });
    expect(r.status).toBe(400);
    expect(r.engine).toBeNull();
    expect(r.body_text).toContain("['n']");
  });
});
