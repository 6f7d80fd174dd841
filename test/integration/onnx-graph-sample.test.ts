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
 * The playground's sample for an ONNX model without a signature (a bare .onnx file, the users' most common first
 * open): built from the graph's inputs, it is a request the model runs — the old placeholder
 * `{"columns": ["x"], "data": [[1.0]]}` only ever got onnxruntime's error back.
 */
const outDir = inject('bundlesDir');
const mnist = fixture('onnx', 'onnxruntime-inference-examples', 'mnist', 'model.onnx');
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-onnx-sample-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const predict = (model: string, body: string, server: string) =>
  spawnSync(process.execPath, [join(outDir, 'cli.js'), 'predict', model, body, '--server', server, '--json'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'ud') }, timeout: 60_000 });

describe('samples of a bare ONNX file (MNIST: Input3 float[1,1,28,28])', () => {
  it("are the graph's input by name in its shape and type, MLflow answers it with the 10 scores and Azure's parsing takes it to the model", async () => {
    const samples = await new PayloadService(new ModelService(silentLogger)).samples({ modelPath: mnist });
    const mlflow = JSON.parse(samples.mlflow.body) as { inputs: { Input3: number[][][][] } };
    expect(Object.keys(mlflow.inputs)).toEqual(['Input3']);
    const t = mlflow.inputs.Input3;
    expect([t.length, t[0]!.length, t[0]![0]!.length, t[0]![0]![0]!.length]).toEqual([1, 1, 28, 28]);
    // floats written as floats (1.0), or MLflow hands onnxruntime an int64 tensor it refuses
    expect(samples.mlflow.body).toContain('1.0');
    expect(samples.mlflow.body).not.toMatch(/[[ ]1[,\]]/);
    expect(samples.mlflow.note).toContain("generated from the ONNX graph's inputs");
    expect(samples.azureml.body).toMatch(/^\{\s*"input_data": \{\s*"Input3": /);

    const file = join(tmp, 'mlflow.json');
    await writeFile(file, samples.mlflow.body);
    const r = predict(mnist, file, 'mlflow');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { body: { predictions: { Plus214_Output_0: number[][] } } }).body.predictions.Plus214_Output_0[0]).toHaveLength(10);
    // Azure's parsing takes its sample to the model too (what it then answers for a dict of tensors is the recorded
    // no-code behaviour, not the sample's business)
    const azure = await new PayloadService(new ModelService(silentLogger)).validate({ modelPath: mnist, body: samples.azureml.body, server: 'azureml', contentType: 'application/json' });
    expect(azure).toMatchObject({ ok: true, status: 200, model_receives: { kind: 'dict' } });
  });

  it('an image model whose input would not fit an editor keeps the placeholder', async () => {
    const ultraface = fixture('onnx', 'onnxruntime-inference-examples', 'ultraface-rfb-320', 'model.onnx');
    const samples = await new PayloadService(new ModelService(silentLogger)).samples({ modelPath: ultraface });
    expect(samples.mlflow.source).toBe('none');
  });
});
