/**
 * Model-folder trust: a pickle is a program. Inspecting and validating a Python model stay free; running
 * it (predict, serve, batch) is refused with E_UNTRUSTED — before any of its code runs — until the user
 * trusts its folder, which is remembered in the app store. ONNX models run without trust. Real compose,
 * real dispatcher, a real pickle that runs a command when it is loaded.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Composition } from '../../src/main/app/compose';
import { methodChannel } from '../../src/shared/ipc/channels';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { errorsToConsole, testHostPorts } from '../support/host-ports';
import { sampleModelDir } from '../support/paths';
import { sklearnSkipReason, writeCodeRunningModel } from '../support/sklearn-models';

let tmp: string;
let worker: string;
let model: string;
let marker: string;
const compositions: Composition[] = [];

async function app(): Promise<Composition> {
  const c = await compose(testHostPorts({ log: errorsToConsole, userDataDir: join(tmp, 'user-data'), onnxWorkerPath: worker, initialModelPath: null, trustedFolders: [] }));
  compositions.push(c);
  return c;
}

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string; details?: { folder?: string } } };
const call = (c: Composition, ns: string, method: string, input: unknown): Promise<Result> =>
  c.dispatch(methodChannel(ns as never, method as never), input, { senderId: 'test', signal: new AbortController().signal }) as Promise<Result>;

const body = JSON.stringify({ dataframe_split: { columns: ['x'], data: [[1.0]] } });

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-trust-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  model = join(tmp, 'downloaded', 'model');
  marker = join(tmp, 'pickle-ran');
  writeCodeRunningModel(model, marker);
}, 60_000);

afterAll(async () => {
  for (const c of compositions) await c.dispose();
  await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(sklearnSkipReason !== null)('model-folder trust', () => {
  it('inspecting and validating are free; predict, serve and batch are refused before any model code runs', async () => {
    const c = await app();
    expect((await call(c, 'model', 'inspect', { path: model })).ok).toBe(true);
    expect((await call(c, 'payload', 'validate', { modelPath: model, body, server: 'mlflow', contentType: 'application/json' })).ok).toBe(true);
    expect(await call(c, 'trust', 'status', { path: model })).toEqual({ ok: true, value: { folder: model, trusted: false } });

    const predict = await call(c, 'runner', 'predict', { modelPath: model, body, server: 'mlflow', contentType: 'application/json' });
    expect(predict, JSON.stringify(predict).slice(0, 600)).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED', details: { folder: model } } });
    if (!predict.ok) {
      expect(predict.error.message).toContain(`runs the Python code in ${model}`);
      expect(predict.error.message).toContain('a pickled model is a program');
    }
    expect(await call(c, 'server', 'start', { modelPath: model, server: 'mlflow' })).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED' } });
    const csv = join(tmp, 'rows.csv');
    await writeFile(csv, 'x\n1\n');
    const batch = await call(c, 'batch', 'run', { modelPath: model, input: csv, outDir: join(tmp, 'out') });
    expect(batch.ok && batch.value.status).toBe('failed');
    expect(JSON.stringify(batch)).toContain('E_UNTRUSTED');
    expect(existsSync(marker)).toBe(false);
  }, 60_000);

  it('ONNX models run without trust', async () => {
    const c = await app();
    const example = JSON.stringify({ dataframe_split: { columns: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'], data: [[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]] } });
    expect(await call(c, 'runner', 'predict', { modelPath: sampleModelDir, body: example, server: 'mlflow', contentType: 'application/json' })).toMatchObject({ ok: true, value: { status: 200 } });
  }, 60_000);

  it('once the folder is trusted (remembered across restarts), the model runs', async () => {
    const first = await app();
    expect(await call(first, 'trust', 'grant', { path: join(tmp, 'downloaded') })).toEqual({ ok: true, value: { folder: join(tmp, 'downloaded'), trusted: true } });
    const later = await app();
    expect(await call(later, 'trust', 'status', { path: model })).toEqual({ ok: true, value: { folder: model, trusted: true } });
    await call(later, 'runner', 'predict', { modelPath: model, body, server: 'mlflow', contentType: 'application/json' });
    expect(existsSync(marker)).toBe(true);
    expect(await call(later, 'trust', 'revoke', { path: join(tmp, 'downloaded') })).toMatchObject({ ok: true, value: { trusted: false } });
  }, 60_000);
});
