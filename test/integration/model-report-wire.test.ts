/**
 * The model report across the browser-mode host, as the renderer gets it: the real host (compose + WebSocket, output
 * checks on), the renderer's own WebSocket transport and createApi. A 100 000-column signature's strings travel once
 * (at 60 000 columns they travelled twice, 13.8 MB a frame; 100 000 columns open since MLmodel's cap is 16 MiB), and
 * what the renderer ends up with is exactly what `inspect --json` prints.
 */
import { cpSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { compose } from '../../src/main/app/compose';
import { scriptedDialogs } from '../../src/main/host/headless-ports';
import { startBrowserHost, type RunningBrowserHost } from '../../src/main/host/ws-host';
import { silentLogger } from '../../src/main/ports/logger';
import { ModelService } from '../../src/main/services/model/model-service';
import { createWsTransport, type SocketLike } from '../../src/renderer/src/lib/ws-transport';
import { methodChannel } from '../../src/shared/ipc/channels';
import { createApi } from '../../src/shared/ipc/create-api';
import { fixture, sampleModelDir } from '../support/paths';
import { wideMlmodel } from '../support/wide-mlmodel';

let tmp: string;
let wide: string;
let host: RunningBrowserHost;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'preflight-wire-'));
  wide = join(tmp, 'wide');
  cpSync(sampleModelDir, wide, { recursive: true });
  writeFileSync(join(wide, 'MLmodel'), wideMlmodel(100_000));
  wide = realpathSync(wide);
  const composition = await compose({
    dialogs: scriptedDialogs([]),
    log: silentLogger,
    userDataDir: join(tmp, 'user-data'),
    host: 'browser',
    resourcesDir: join(tmp, 'resources'),
    initialModelPath: null,
    version: '9.9.9',
    strictOutputs: true,
  });
  host = await startBrowserHost({ composition, log: silentLogger, rendererDir: join(tmp, 'renderer'), port: 0 });
}, 60_000);

afterAll(async () => {
  await host?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** One raw `{id, channel, input}` frame; returns the answer's text as it crossed the socket. */
function rawCall(channel: string, input: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(host.wsUrl, { origin: host.origin });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, channel, input })));
    ws.on('message', (data) => {
      const text = (data as Buffer).toString('utf8');
      if (!text.startsWith('{"id":1,')) return; // a push (model.recent-changed)
      ws.close();
      resolve(text);
    });
  });
}

/** What the renderer's API answers (the same transport and createApi the page uses in browser mode). */
async function rendererInspect(path: string) {
  const transport = createWsTransport({ url: host.wsUrl, createSocket: (url) => new WebSocket(url, { origin: host.origin }) as unknown as SocketLike });
  try {
    return await createApi(transport).model.inspect({ path });
  } finally {
    transport.close();
  }
}

/** What `preflight inspect --json` prints: the service's report through JSON.stringify. */
const cliJson = async (path: string): Promise<unknown> => JSON.parse(JSON.stringify(await new ModelService().inspect(path)));

describe('model.inspect over the browser-mode WebSocket', () => {
  it('a 100 000-column report carries each signature string once, and the renderer gets what inspect --json prints', async () => {
    const frame = await rawCall(methodChannel('model', 'inspect'), { path: wide });
    // "feature_99999" is in the signature's JSON text (once) and in the parsed columns (once); it was in mlmodel.raw too
    expect(frame.split('feature_99999').length - 1).toBe(2);
    expect(frame.length).toBeLessThan(18_000_000); // 15.8 MB; the signature's JSON twice would add 6.6 MB
    const wire = JSON.parse(frame) as { result: { ok: true; value: { $wire?: unknown; mlmodel: { raw: { signature: Record<string, unknown> } } } } };
    expect(wire.result.value.$wire).toEqual({ signatureFromRaw: ['inputs', 'outputs'] });
    expect(wire.result.value.mlmodel.raw.signature.inputs).toBeNull();

    const report = await rendererInspect(wide);
    const cli = await cliJson(wide);
    expect(report).toEqual(cli);
    expect(report.signature?.inputs?.kind === 'columns' && report.signature.inputs.columns.length).toBe(100_000);
    expect((report.mlmodel?.raw.signature as Record<string, unknown>).inputs).toBe(report.signature?.raw.inputs);
  }, 60_000);

  it('real third-party models arrive exactly as inspect --json prints them', async () => {
    for (const name of ['azureml-examples-heart-classifier', 'azureml-examples-credit-defaults-no-signature', 'azureml-examples-sklearn-diabetes']) {
      const path = fixture('mlflow-models', name);
      // equal values; key order can differ (the host's output check returns keys in the schema's order)
      expect(await rendererInspect(path), name).toEqual(await cliJson(path));
    }
  }, 60_000);
});
