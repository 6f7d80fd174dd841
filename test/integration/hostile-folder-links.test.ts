/**
 * A model folder handed over by someone else whose model file is a symlink out of it. Inspect already refuses to
 * follow such links (model-bad-input.test.ts); running the model must refuse too, or `predict` / `serve` / `batch`
 * would load whatever file the link names (outside the folder the user reviewed, and not what Azure ML is sent).
 */
import { cp, mkdir, mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { sampleModelDir } from '../support/paths';
import { bundleOnnxWorker } from '../support/worker-bundle';

let tmp: string;
let runner: RunnerService;
const body = JSON.stringify({ input_data: { columns: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'], data: [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]] } });

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-folder-links-'));
  runner = new RunnerService({ onnxWorkerPath: await bundleOnnxWorker(join(tmp, 'onnx-worker.js')) });
}, 60_000);
afterAll(async () => {
  await runner?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

async function modelWithLink(name: string, link: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(tmp, name);
  await cp(sampleModelDir, dir, { recursive: true });
  await link(dir);
  return dir;
}

describe('a model file that is a symlink out of the model folder', () => {
  it('model.onnx linked to a valid ONNX file elsewhere: predict refuses, naming the link and where it points', async () => {
    const outside = join(tmp, 'elsewhere');
    await mkdir(outside);
    await cp(join(sampleModelDir, 'model.onnx'), join(outside, 'other.onnx'));
    const dir = await modelWithLink('linked-file', async (d) => {
      await unlink(join(d, 'model.onnx'));
      await symlink(join(outside, 'other.onnx'), join(d, 'model.onnx'));
    });
    await expect(runner.predict({ modelPath: dir, body, contentType: 'application/json', server: 'azureml' })).rejects.toMatchObject({
      code: 'E_OUTSIDE_FOLDER',
      message: expect.stringMatching(/^model\.onnx is a symlink to .*elsewhere\/other\.onnx, outside the model folder; Preflight does not follow links out of the folder/),
    });
  });

  it('model.onnx inside a linked subfolder (data: weights/model.onnx, weights -> elsewhere) is refused the same way', async () => {
    const outside = join(tmp, 'elsewhere-dir');
    await mkdir(outside);
    await cp(join(sampleModelDir, 'model.onnx'), join(outside, 'model.onnx'));
    const dir = await modelWithLink('linked-dir', async (d) => {
      await symlink(outside, join(d, 'weights'));
      const { readFile, writeFile } = await import('node:fs/promises');
      const mlmodel = await readFile(join(d, 'MLmodel'), 'utf8');
      await writeFile(join(d, 'MLmodel'), mlmodel.replaceAll('data: model.onnx', 'data: weights/model.onnx'));
    });
    await expect(runner.predict({ modelPath: dir, body, contentType: 'application/json', server: 'azureml' })).rejects.toMatchObject({ code: 'E_OUTSIDE_FOLDER' });
  });

  it('a link that stays inside the folder still runs', async () => {
    const dir = await modelWithLink('linked-inside', async (d) => {
      await mkdir(join(d, 'weights'));
      await cp(join(d, 'model.onnx'), join(d, 'weights', 'real.onnx'));
      await unlink(join(d, 'model.onnx'));
      await symlink(join('weights', 'real.onnx'), join(d, 'model.onnx'));
    });
    const r = await runner.predict({ modelPath: dir, body, contentType: 'application/json', server: 'azureml' });
    expect(r.status).toBe(200);
  });
});
