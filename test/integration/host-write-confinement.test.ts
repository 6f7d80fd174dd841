/**
 * The browser-mode token is the user's power over the WebSocket: whoever holds it must not be able to
 * write anywhere the user can, nor list folders through error messages. Batch outputs go only to folders
 * the user granted (the model opened at start, folders picked in the app, models opened, --allow-write);
 * a model.inspect error names the path, never what is inside. Real host, real WebSocket, real files.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methodChannel } from '../../src/shared/ipc/channels';
import { parseBrowserModeArgs } from '../../src/main/host/browser-mode';
import { scriptedDialogs } from '../../src/main/host/headless-ports';
import { confinedDispatch } from '../../src/main/host/write-confinement';
import { startBrowserHost, type RunningBrowserHost } from '../../src/main/host/ws-host';
import { compose, type Composition } from '../../src/main/app/compose';
import { silentLogger } from '../../src/main/ports/logger';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { sampleModelDir } from '../support/paths';
import { testHostPorts } from '../support/host-ports';

let tmp: string;
let host: RunningBrowserHost;
let composition: Composition;
let ws: WebSocket;
let model: string;
let csv: string;
let picked: string;
let allowed: string;

type Reply = { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string; details?: unknown } };
let nextId = 0;
function call(ns: string, method: string, input: unknown): Promise<Reply> {
  const id = ++nextId;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(data.toString());
      if ('event' in msg || msg.id !== id) return;
      ws.off('message', onMessage);
      resolve(msg.result);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel: methodChannel(ns as never, method as never), input }));
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-confine-'));
  model = join(tmp, 'project', 'model');
  await cp(sampleModelDir, model, { recursive: true });
  csv = join(tmp, 'project', 'rows.csv');
  await writeFile(csv, 'age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.1\n');
  picked = join(tmp, 'picked');
  allowed = join(tmp, 'allowed');
  await mkdir(picked);
  await mkdir(allowed);
  await mkdir(join(tmp, 'private', 'keys'), { recursive: true });
  await writeFile(join(tmp, 'private', 'id_rsa'), 'SECRET');
  const rendererDir = join(tmp, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  // The options `preflight open <model> --allow-write <allowed>` parses to, composed as runBrowserMode does,
  // with the ONNX worker bundled for the TypeScript sources.
  const options = parseBrowserModeArgs([model, '--allow-write', allowed, '--dialog-paths', picked, '--user-data', join(tmp, 'user-data')], {}, tmp);
  expect(options.allowWrite).toEqual([allowed]);
  const onnxWorkerPath = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  composition = await compose(testHostPorts({ userDataDir: options.userDataDir, dialogs: scriptedDialogs(options.dialogPaths), initialModelPath: options.modelPath, onnxWorkerPath }));
  const dispatch = await confinedDispatch(composition, options, true, silentLogger);
  host = await startBrowserHost({ composition: { dispatch, events: composition.events }, log: silentLogger, rendererDir, port: 0 });
  ws = new WebSocket(host.wsUrl, { origin: host.origin });
  await new Promise((r) => ws.once('open', r));
}, 60_000);

afterAll(async () => {
  ws?.close();
  await host?.close();
  await composition?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

const batch = (outDir: string): Promise<Reply> => call('batch', 'run', { modelPath: model, input: csv, outDir });

describe('browser mode confines batch outputs to folders the user granted', () => {
  it('refuses an output folder outside every granted folder, writing nothing', async () => {
    for (const outDir of [join(tmp, 'private', 'keys'), join(tmp, 'elsewhere'), join(model, '..', '..', 'private')]) {
      const r = await batch(outDir);
      expect(r.ok, outDir).toBe(false);
      expect(r.error!.code).toBe('E_FORBIDDEN');
      expect(r.error!.message).toContain('outside the folders');
      expect(existsSync(join(outDir, 'predictions.csv'))).toBe(false);
      expect(existsSync(join(outDir, 'summary.json'))).toBe(false);
    }
    expect(existsSync(join(tmp, 'elsewhere'))).toBe(false);
  }, 60_000);

  it('the refusal says how to allow that very folder, in the ways browser mode is started (no folder dialog here)', async () => {
    const outDir = join(tmp, 'my outputs');
    const r = await batch(outDir);
    expect(r.error!.code).toBe('E_FORBIDDEN');
    const q = `'${outDir}'`;
    expect(r.error!.message).toBe(
      `The output folder ${outDir} is outside the folders this browser-mode session may write to (the folders of the models opened, and those allowed at start). ` +
        `Choose a folder inside the model's folder, or restart Preflight allowing this one: \`npm start -- <model-dir> --allow-write ${q}\` or \`preflight open <model-dir> --allow-write ${q}\` (or set PREFLIGHT_ALLOW_WRITE=${q}).`,
    );
  }, 60_000);

  it('writes inside the opened model\'s folder, an --allow-write folder, and a folder picked in the app', async () => {
    const inModel = await batch(join(model, 'batch-out'));
    expect(inModel.ok, JSON.stringify(inModel.error)).toBe(true);
    expect(inModel.value, JSON.stringify(inModel.value)).toMatchObject({ status: 'succeeded' });
    expect(existsSync(join(model, 'batch-out', 'predictions.csv'))).toBe(true);

    expect((await batch(join(allowed, 'run1'))).ok).toBe(true);

    expect((await batch(join(picked, 'out'))).ok).toBe(false);
    const pick = await call('model', 'pickFolder', {});
    expect(pick.value).toEqual({ path: picked });
    expect((await batch(join(picked, 'out'))).ok).toBe(true);
    expect(existsSync(join(picked, 'out', 'predictions.csv'))).toBe(true);
  }, 60_000);
});

describe('model.inspect errors name the path, not what is inside', () => {
  it('a folder that is not a model: no file names in the message or details', async () => {
    const r = await call('model', 'inspect', { path: join(tmp, 'private') });
    expect(r.ok).toBe(false);
    expect(r.error!.message).toContain(join(tmp, 'private'));
    const all = JSON.stringify(r.error);
    expect(all).not.toContain('id_rsa');
    expect(all).not.toContain('keys');
  });
});
