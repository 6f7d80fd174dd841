/**
 * An ONNX classifier with a ZipMap output on the Azure profile (docs/fidelity.md "An ONNX model's dict answer on
 * Azure"): an array in `input_data` gets Azure's internal 500, as the real A1 script + azmlinfsrv give it, and
 * the answer's log says why and what to send instead; the split form it recommends answers 200 with records.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { fixture, repoRoot } from '../support/paths';

let tmp: string;
let worker: string;
const model = join(fixture('onnx', 'sklearn-onnx-2018-tests', 'SklearnLogitisticRegressionMulti'), 'model.onnx');

async function predict(body: string, server: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(tmp, `body-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, body);
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { ...process.env, PREFLIGHT_ONNX_WORKER: worker, PREFLIGHT_USER_DATA: join(tmp, 'user-data') },
    cwd: repoRoot,
    signal: new AbortController().signal,
    log: silentLogger,
  };
  const code = await runCli(['predict', model, file, '--server', server], io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-onnx-azure-dict-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
}, 60_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('ZipMap classifier on the Azure profile', () => {
  it('an array answers the internal 500 and the log says why and what to send instead', async () => {
    const r = await predict('{"input_data": [[5.1, 3.5, 1.4]]}', 'azureml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('500');
    expect(r.stdout).toContain('{"message": "An unexpected internal error occurred. Check the logs for more info."}');
    expect(r.stderr).toContain('Object of type ndarray is not JSON serializable');
    expect(r.stderr).toMatch(/returns a dict of its outputs \(label, probabilities\)/);
    expect(r.stderr).toContain('send input_data in split form {"columns": [...], "index": [...], "data": [...]}');
    expect(r.stderr).toMatch(/tensor signature every\s+request fails/);
  });

  it('the split form it recommends answers 200 with one record per row, the ZipMap column a dict of class scores', async () => {
    const r = await predict('{"input_data": {"columns": ["a", "b", "c"], "index": [0], "data": [[5.1, 3.5, 1.4]]}}', 'azureml');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^200 /);
    expect(r.stdout).toContain('[{"label": 0, "probabilities": {"0": 0.88');
  });

  it('MLflow\'s server answers the array with 200 (NumpyEncoder) and no such note', async () => {
    const r = await predict('{"inputs": [[5.1, 3.5, 1.4]]}', 'mlflow');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('{"predictions": {"label": [0], "probabilities": [{"0": 0.88');
    expect(r.stderr).not.toContain('Why:');
  });
});
