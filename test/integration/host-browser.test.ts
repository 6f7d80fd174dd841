import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methodChannel } from '../../src/shared/ipc/channels';
import { ModelReportSchema } from '../../src/shared/mlflow/model-report';
import { compose } from '../../src/main/app/compose';
import { silentLogger } from '../../src/main/ports/logger';
import { scriptedDialogs } from '../../src/main/host/headless-ports';
import { startBrowserHost, type RunningBrowserHost } from '../../src/main/host/ws-host';
import { fixture } from '../support/paths';

let tmp: string;
let host: RunningBrowserHost;
let rendererDir: string;
const diabetes = fixture('mlflow-models', 'azureml-examples-sklearn-diabetes');

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-host-'));
  rendererDir = join(tmp, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Preflight</title><div id="root"></div>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  // A file beside the served folder that traversal must never reach.
  await writeFile(join(tmp, 'secret.txt'), 'TOP SECRET');
  const composition = await compose({
    dialogs: scriptedDialogs([diabetes]),
    log: silentLogger,
    userDataDir: join(tmp, 'user-data'),
    host: 'browser',
    resourcesDir: join(tmp, 'resources'),
    initialModelPath: null,
    version: '9.9.9',
    strictOutputs: true,
  });
  host = await startBrowserHost({ composition, log: silentLogger, rendererDir, port: 0, maxFrameBytes: 64 * 1024 });
});

afterAll(async () => {
  await host?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Raw HTTP GET: fetch() would normalise `..` out of the path before sending it. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket and resolves either the open socket or the HTTP status the upgrade was refused with. */
function connect(url: string, origin: string | undefined): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      res.resume();
    });
    ws.once('error', (err) => reject(err));
  });
}

function call(ws: WebSocket, frame: unknown): Promise<{ id: unknown; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString());
      if ('event' in msg) return;
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('browser-mode host: the page', () => {
  it('serves the page with the token, with the CSP naming its own WebSocket', async () => {
    const res = await get(`/?token=${host.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<div id="root">');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses the page without a token (401) or with a wrong one (403)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/index.html')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(403);
    // An encoded name for the same page is still the page.
    expect((await get('/%69ndex.html')).status).toBe(401);
  });

  it('serves built assets and refuses path traversal out of the renderer folder', async () => {
    expect((await get('/assets/app.js')).body).toContain('console.log');
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/%00index.html']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('TOP SECRET');
    }
  });

  it('refuses a Host header that is not this server (DNS rebinding)', async () => {
    expect((await get(`/?token=${host.token}`, { host: 'evil.example:80' })).status).toBe(403);
  });
});

describe('browser-mode host: the WebSocket', () => {
  it('refuses a missing token (401), a wrong token (403) and a foreign or absent Origin (403)', async () => {
    const base = `ws://127.0.0.1:${host.port}/ws`;
    expect((await connect(base, host.origin)).status).toBe(401);
    expect((await connect(`${base}?token=nope`, host.origin)).status).toBe(403);
    expect((await connect(host.wsUrl, 'http://evil.example')).status).toBe(403);
    expect((await connect(host.wsUrl, `http://localhost:${host.port}`)).status).toBe(403);
    expect((await connect(host.wsUrl, undefined)).status).toBe(403);
  });

  it('answers a real model.inspect call with the report envelope and records the recent model', async () => {
    const { ws } = await connect(host.wsUrl, host.origin);
    const events: unknown[] = [];
    ws!.on('message', (d) => {
      const msg = JSON.parse(d.toString());
      if ('event' in msg) events.push(msg);
    });
    const reply = await call(ws!, { id: 1, channel: methodChannel('model', 'inspect'), input: { path: diabetes } });
    expect(reply.id).toBe(1);
    expect(reply.result.ok).toBe(true);
    const report = ModelReportSchema.parse(reply.result.value);
    expect(report.mlmodel?.mlflowVersion).toBe('2.7.1');

    const recent = await call(ws!, { id: 'r', channel: methodChannel('model', 'recent'), input: {} });
    // The recent list stores real paths, so a fixture reached through a symlink is listed once.
    expect(recent.result.value).toMatchObject({ items: [{ path: realpathSync(report.path), name: report.name }] });
    expect(events).toEqual([{ event: 'model.recent-changed', payload: recent.result.value }]);
    ws!.close();
  });

  it('returns E_INVALID_INPUT for bad input and bad frames, E_FORBIDDEN for unknown channels', async () => {
    const { ws } = await connect(host.wsUrl, host.origin);
    const bad = await call(ws!, { id: 2, channel: methodChannel('model', 'inspect'), input: { path: '' } });
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT' } });
    expect(bad.result.error?.message).toContain('path must not be empty');

    const extra = await call(ws!, { id: 3, channel: methodChannel('model', 'inspect'), input: { path: '/x', evil: true } });
    expect(extra.result.error?.code).toBe('E_INVALID_INPUT');

    const notJson = await call(ws!, '{"id": 4, "channel":');
    expect(notJson).toMatchObject({ id: null, result: { ok: false, error: { code: 'E_INVALID_INPUT' } } });

    const unknown = await call(ws!, { id: 5, channel: 'preflight:fs.readFile', input: {} });
    expect(unknown.result.error?.code).toBe('E_FORBIDDEN');
    ws!.close();
  });

  it('maps service errors to their codes: a missing folder is E_NOT_FOUND naming the path', async () => {
    const { ws } = await connect(host.wsUrl, host.origin);
    const missing = join(tmp, 'no-such-model');
    const reply = await call(ws!, { id: 6, channel: methodChannel('model', 'inspect'), input: { path: missing } });
    expect(reply.result).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    expect(reply.result.error?.message).toContain('no-such-model');
    ws!.close();
  });

  it('app.info and the scripted folder dialog work over the socket', async () => {
    const { ws } = await connect(host.wsUrl, host.origin);
    const info = await call(ws!, { id: 7, channel: methodChannel('app', 'info'), input: {} });
    expect(info.result.value).toEqual({ version: '9.9.9', host: 'browser', sampleModelPath: null, initialModelPath: null, canPickFolder: true });
    const first = await call(ws!, { id: 8, channel: methodChannel('model', 'pickFolder'), input: {} });
    expect(first.result.value).toEqual({ path: diabetes });
    const second = await call(ws!, { id: 9, channel: methodChannel('model', 'pickFolder'), input: {} });
    expect(second.result.value).toEqual({ path: null });
    ws!.close();
  });

  it('closes the connection on a frame larger than the limit', async () => {
    const { ws } = await connect(host.wsUrl, host.origin);
    const code = await new Promise<number>((resolve) => {
      ws!.once('close', (c) => resolve(c));
      ws!.send(JSON.stringify({ id: 10, channel: methodChannel('model', 'inspect'), input: { path: 'x'.repeat(100 * 1024) } }));
    });
    expect(code).toBe(1009);
  });
});

describe('browser-mode host: binding', () => {
  it('refuses to listen on anything but 127.0.0.1', async () => {
    const composition = { dispatch: async () => ({ ok: true as const, value: null }), events: { subscribe: () => () => {} } };
    await expect(
      startBrowserHost({ composition: composition as never, log: silentLogger, rendererDir, bindAddress: '0.0.0.0' }),
    ).rejects.toThrow(/only listens on 127\.0\.0\.1/);
  });
});
