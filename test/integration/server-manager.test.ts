/**
 * `server.*` over the real dispatcher: start the bundled sample as an Azure ML endpoint, call it over real
 * HTTP with the key taken in-process (never via IPC), see `server.request` events arrive, copy the key
 * through the clipboard port, stop it (`server.stopped`), and stop everything on host shutdown. The key
 * must never appear in anything the dispatcher or the event stream hands a client.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, ServerInfoData } from '../../src/shared/ipc/contract';
import { methodChannel } from '../../src/shared/ipc/channels';
import type { Result } from '../../src/shared/ipc/result';
import { compose, type Composition } from '../../src/main/app/compose';
import type { ClipboardPort } from '../../src/main/ports/clipboard';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { sampleModelDir } from '../support/paths';
import { testHostPorts } from '../support/host-ports';

let tmp: string;
let worker: string;
const ctx = { senderId: 'test-window', signal: new AbortController().signal };

/** Everything a client could see: every envelope and every pushed event, serialized as sent. */
function recorder(app: Composition) {
  const seen: string[] = [];
  const events: { event: EventName; payload: unknown }[] = [];
  app.events.subscribe((event, payload) => {
    events.push({ event, payload });
    seen.push(JSON.stringify({ event, payload }));
  });
  const call = async <T,>(ns: string, method: string, input: unknown): Promise<Result<T>> => {
    const r = (await app.dispatch(methodChannel(ns as never, method as never), input, ctx)) as Result<T>;
    seen.push(JSON.stringify(r));
    return r;
  };
  const ok = async <T,>(ns: string, method: string, input: unknown): Promise<T> => {
    const r = await call<T>(ns, method, input);
    if (!r.ok) throw new Error(`${ns}.${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  return { seen, events, call, ok };
}

async function composeWith(over: { clipboard?: ClipboardPort; announceSecret?: (line: string) => void }): Promise<Composition> {
  return compose(testHostPorts({ userDataDir: join(tmp, `user-data-${Math.random().toString(36).slice(2)}`), onnxWorkerPath: worker, ...over }));
}

const waitFor = async (pred: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-server-manager-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
}, 60_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('server.* in the app (desktop clipboard)', () => {
  it('start → real request with the in-process key → live log event → copy key → stop; the key never crosses IPC', async () => {
    const clipboard: string[] = [];
    const app = await composeWith({ clipboard: { available: true, unavailableReason: null, writeText: async (t) => void clipboard.push(t) } });
    const client = recorder(app);
    try {
      const info = await client.ok<ServerInfoData>('server', 'start', { modelPath: sampleModelDir, server: 'azureml' });
      expect(info).toMatchObject({ server: 'azureml', engine: 'onnx', modelPath: sampleModelDir, wouldNotStart: null });
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const key = app.services.servers.keyOf(info.id)!;
      expect(key.length).toBeGreaterThanOrEqual(16);
      expect(info.keyHint).toBe(`${key.slice(0, 4)}…`);

      const health = await fetch(`${info.url}/`);
      expect(await health.text()).toBe('Healthy');
      const denied = await fetch(`${info.url}/score`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(denied.status).toBe(401);
      const samples = await client.ok<{ azureml: { body: string } }>('payload', 'samples', { modelPath: sampleModelDir });
      const scored = await fetch(`${info.url}/score`, { method: 'POST', body: samples.azureml.body, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
      expect(scored.status).toBe(200);
      expect(await scored.text()).toMatch(/^\[\{"variable": -?\d/);

      await waitFor(() => client.events.filter((e) => e.event === 'server.request').length >= 3);
      const log = client.events.filter((e) => e.event === 'server.request').map((e) => e.payload as { id: string; method: string; path: string; status: number; ms: number });
      expect(log.map((l) => [l.method, l.path, l.status])).toEqual([
        ['GET', '/', 200],
        ['POST', '/score', 401],
        ['POST', '/score', 200],
      ]);
      expect(log.every((l) => l.id === info.id && l.ms >= 0)).toBe(true);

      const listed = await client.ok<{ servers: ServerInfoData[]; clipboard: { available: boolean } }>('server', 'list', {});
      expect(listed.servers.map((s) => s.id)).toEqual([info.id]);
      expect(listed.clipboard.available).toBe(true);

      expect(await client.ok('server', 'copyKey', { id: info.id })).toMatchObject({ copied: true });
      expect(clipboard).toEqual([key]);

      expect(await client.ok('server', 'stop', { id: info.id })).toEqual({ stopped: true });
      await waitFor(() => client.events.some((e) => e.event === 'server.stopped'));
      expect(client.events.find((e) => e.event === 'server.stopped')?.payload).toEqual({ id: info.id, reason: 'stopped from the app' });
      await expect(fetch(`${info.url}/`)).rejects.toThrow();
      expect(await client.ok('server', 'stop', { id: info.id })).toEqual({ stopped: false });
      const gone = await client.call('server', 'copyKey', { id: info.id });
      expect(gone.ok).toBe(false);
      if (!gone.ok) expect(gone.error.code).toBe('E_NOT_FOUND');

      // The secret: nowhere in any envelope or event the client received.
      expect(client.seen.length).toBeGreaterThan(8);
      for (const text of client.seen) expect(text).not.toContain(key);
    } finally {
      await app.dispose();
    }
  }, 60_000);

  it("a server on an MLflow version the real one cannot start with says why: healthy, every scoring request E_NOT_STARTED", async () => {
    const app = await composeWith({});
    const client = recorder(app);
    try {
      // The sample's signature has "required" (MLflow >= 2.10 writes it): 2.7.1 cannot read it, the pin 2.16.2 can.
      const info = await client.ok<ServerInfoData>('server', 'start', { modelPath: sampleModelDir, server: 'mlflow', mlflowVersion: '2.7.1' });
      expect(info.mlflowVersion).toBe('2.7.1');
      expect(info.wouldNotStart).toEqual({
        reason: "The signature's column `age` carries a `\"required\"` key, which MLflow writes from 2.10.0 on; MLflow 2.7.1 cannot read it, so mlflow models serve fails while loading the model.",
        log: "TypeError: ColSpec.__init__() got an unexpected keyword argument 'required'",
        pinnedStarts: '2.16.2',
        fix: null,
      });
      expect((await fetch(`${info.url}/health`)).status).toBe(200);
      const samples = await client.ok<{ mlflow: { body: string } }>('payload', 'samples', { modelPath: sampleModelDir });
      const scored = await fetch(`${info.url}/invocations`, { method: 'POST', body: samples.mlflow.body, headers: { 'content-type': 'application/json' } });
      expect(scored.status).toBe(500);
      expect(scored.headers.get('x-preflight-error')).toBe('E_NOT_STARTED');
    } finally {
      await app.dispose();
    }
  }, 60_000);

  it('an MLflow server has no key; all servers stop when the host shuts down', async () => {
    const app = await composeWith({});
    const client = recorder(app);
    const a = await client.ok<ServerInfoData>('server', 'start', { modelPath: sampleModelDir, server: 'mlflow' });
    const b = await client.ok<ServerInfoData>('server', 'start', { modelPath: sampleModelDir, server: 'azureml' });
    expect(a.keyHint).toBeNull();
    expect((await fetch(`${a.url}/ping`)).status).toBe(200);
    const noKey = await client.call('server', 'copyKey', { id: a.id });
    expect(noKey.ok).toBe(false);
    if (!noKey.ok) expect(noKey.error.code).toBe('E_INVALID_INPUT');

    await app.dispose();
    const stopped = client.events.filter((e) => e.event === 'server.stopped').map((e) => e.payload as { id: string; reason: string });
    expect(stopped.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect(stopped.every((s) => /shutting down/.test(s.reason))).toBe(true);
    await expect(fetch(`${a.url}/ping`)).rejects.toThrow();
    await expect(fetch(`${b.url}/`)).rejects.toThrow();
  }, 60_000);
});

describe('server.* in browser mode (no clipboard)', () => {
  it('copyKey says where the key is; the host announced it once on its terminal, never over IPC', async () => {
    const terminal: string[] = [];
    const app = await composeWith({ announceSecret: (line) => terminal.push(line) });
    const client = recorder(app);
    try {
      const info = await client.ok<ServerInfoData>('server', 'start', { modelPath: sampleModelDir, server: 'azureml' });
      const key = app.services.servers.keyOf(info.id)!;
      expect(terminal).toHaveLength(1);
      expect(terminal[0]).toContain(key);
      expect(terminal[0]).toContain(`${info.url}/score`);

      const listed = await client.ok<{ clipboard: { available: boolean; reason: string } }>('server', 'list', {});
      expect(listed.clipboard.available).toBe(false);
      expect(listed.clipboard.reason).toMatch(/terminal/);
      const copy = await client.ok<{ copied: boolean; message: string }>('server', 'copyKey', { id: info.id });
      expect(copy.copied).toBe(false);
      expect(copy.message).toMatch(/printed it once in the terminal/);
      for (const text of client.seen) expect(text).not.toContain(key);
    } finally {
      await app.dispose();
    }
  }, 60_000);

  it('a model that cannot load never serves: the error names it', async () => {
    const app = await composeWith({});
    const client = recorder(app);
    try {
      const r = await client.call('server', 'start', { modelPath: join(tmp, 'no-such-model'), server: 'azureml' });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('E_NOT_FOUND');
        expect(r.error.message).toContain('no-such-model');
      }
      expect((await client.ok<{ servers: unknown[] }>('server', 'list', {})).servers).toEqual([]);
    } finally {
      await app.dispose();
    }
  });
});
