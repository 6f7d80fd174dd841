/**
 * Entry of the ONNX worker process (bundled to `out/node/onnx-worker.js`, started by the host's Node-worker
 * launcher: `child_process.fork` or Electron's utilityProcess; it talks back through `parentChannel()`). It hosts onnxruntime-node so that a model
 * that aborts the process from native code (int4/uint4 outputs; fixtures README point 6) takes down
 * only this worker, never the app. One session per model key is cached (LRU); calls run concurrently.
 *
 * The same entry is also a *serving* process (`OnnxEngine.serve`, serve-protocol.ts): after a `serve`
 * message it listens on the scoring server's port and answers its HTTP requests for one model itself.
 */
import { readFile, stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { putFeed } from './feeds';
import { spliceGraphOutputs } from './graph-scan';
import { serveInProcess, type InProcessServing } from './serve-child';
import type { RunTensors } from './serve-answer';
import type { FromServer, ServeSetup, ToServer } from './serve-protocol';
import { workerError } from './worker-errors';
import type { FromWorker, ToWorker, WorkerModel } from './worker-protocol';
import type { WireTensor } from './tensor-data';
import { configureCsvLimitsFromEnv } from '@shared/mlflow/payload/limits';
import { parentChannel } from '../../child/parent-channel';

// The serving mode parses request bodies here: the same CSV limits as the app (env inherited from it).
configureCsvLimitsFromEnv(process.env);

const parent = parentChannel();

const MAX_SESSIONS = 8;
const sessions = new Map<string, Promise<ort.InferenceSession>>();

function send(msg: FromWorker): void {
  parent.send(msg);
}

async function createSession(m: WorkerModel): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'] };
  if (m.options.interOpNumThreads !== undefined) options.interOpNumThreads = m.options.interOpNumThreads;
  if (m.options.intraOpNumThreads !== undefined) options.intraOpNumThreads = m.options.intraOpNumThreads;
  if (m.options.executionMode !== undefined) options.executionMode = m.options.executionMode;
  if (m.options.graphOptimizationLevel !== undefined) options.graphOptimizationLevel = m.options.graphOptimizationLevel;
  // onnxruntime-node rejects `extra: undefined`: set the key only when there is something to pass.
  if (m.options.extra !== undefined) options.extra = m.options.extra;
  if (m.rewrite === null) return ort.InferenceSession.create(m.path, options);
  const bytes = await readFile(m.path);
  return ort.InferenceSession.create(spliceGraphOutputs(bytes, m.rewrite.graph, m.rewrite.extra), options);
}

class ChangedError extends Error {}

/** The key `sessions` holds last: a serving process asks for the same session on every request, so no reorder then. */
let newest: string | null = null;

async function session(m: WorkerModel): Promise<ort.InferenceSession> {
  const cached = sessions.get(m.key);
  if (cached) {
    if (newest !== m.key) {
      sessions.delete(m.key);
      sessions.set(m.key, cached); // most recently used last
      newest = m.key;
    }
    return cached;
  }
  newest = m.key;
  // Cached before the first await, so calls arriving while it loads share one session instead of each creating one.
  const created = (async () => {
    const info = await stat(m.path);
    if (info.mtimeMs !== m.mtimeMs || info.size !== m.size) throw new ChangedError('the model file changed while it was being loaded');
    return createSession(m);
  })();
  sessions.set(m.key, created);
  created.catch(() => sessions.delete(m.key));
  while (sessions.size > MAX_SESSIONS) {
    const [oldest, s] = sessions.entries().next().value as [string, Promise<ort.InferenceSession>];
    sessions.delete(oldest);
    s.then((x) => x.release()).catch(() => undefined);
  }
  return created;
}

function toOrt(t: WireTensor): ort.Tensor {
  return new ort.Tensor(t.type, t.data as never, t.dims);
}

function fromOrt(t: ort.Tensor): WireTensor {
  return { type: t.type as WireTensor['type'], dims: [...t.dims], data: t.data as WireTensor['data'] };
}

const rethrow = (e: unknown): never => {
  throw e;
};

/**
 * One session.run on wire tensors: the worker's calls and the serving process's requests both go through here.
 * A throw while making the feeds comes back as a rejection, like onnxruntime's own failures; `failed` maps
 * both (one `then` for the result and the failure: fewer promises per request).
 */
function runSession(s: ort.InferenceSession, feeds: Record<string, WireTensor>, fetches: string[], failed: (e: unknown) => never = rethrow): Promise<Record<string, WireTensor>> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  try {
    for (const k in feeds) putFeed(ortFeeds, k, toOrt(feeds[k]!));
  } catch (e) {
    return Promise.reject(e).then(undefined, failed);
  }
  return s.run(ortFeeds, fetches).then((result) => {
    const outputs: Record<string, WireTensor> = {};
    for (const name of fetches) {
      const t = result[name];
      if (t) outputs[name] = fromOrt(t as ort.Tensor);
    }
    return outputs;
  }, failed);
}

async function handleRun(msg: ToWorker): Promise<void> {
  if (msg.type !== 'run') return;
  let s: ort.InferenceSession;
  try {
    s = await session(msg.model);
  } catch (e) {
    send({ type: 'error', id: msg.id, stage: e instanceof ChangedError ? 'changed' : 'load', message: (e as Error)?.message ?? String(e) });
    return;
  }
  try {
    send({ type: 'result', id: msg.id, outputs: await runSession(s, msg.feeds, msg.fetches) });
  } catch (e) {
    send({ type: 'error', id: msg.id, stage: 'run', message: (e as Error)?.message ?? String(e) });
  }
}

// ---- serving mode ---------------------------------------------------------------------------------

let serving: InProcessServing | null = null;

function sendServer(msg: FromServer, cb?: () => void): void {
  parent.send(msg, cb);
}

async function startServing(id: number, setup: ServeSetup, listen: { host: string; port: number }, logListening: boolean): Promise<void> {
  const { plan, model } = setup;
  const failed = (e: unknown): never => {
    throw workerError(plan, 'run', (e as Error)?.message ?? String(e));
  };
  /** The session once loaded, with the cache entry it came from (evicted or replaced: looked up again). */
  let loaded: { entry: Promise<ort.InferenceSession>; session: ort.InferenceSession } | null = null;
  const run: RunTensors = (feeds, fetches) => {
    // Every request asks for the same session: once it is loaded, no await on the cache (two async layers and
    // their microtasks per request, measurable at the score-throughput bench's request rates)
    if (loaded !== null && sessions.get(model.key) === loaded.entry) return runSession(loaded.session, feeds, fetches, failed);
    const pending = session(model);
    // the cache's own entry (session() is async: `pending` is another promise), set before session() returns
    const entry = sessions.get(model.key);
    return pending.then(
      (s) => {
        if (entry !== undefined && sessions.get(model.key) === entry) loaded = { entry, session: s };
        return runSession(s, feeds, fetches, failed);
      },
      (e: unknown) => {
        throw workerError(plan, e instanceof ChangedError ? 'changed' : 'load', (e as Error)?.message ?? String(e));
      },
    );
  };
  const s = serveInProcess(setup, run, sendServer);
  s.setLogListening(logListening);
  let port: number;
  try {
    port = await s.listen(listen.host, listen.port);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    sendServer({ type: 'listen-failed', id, code: err.code ?? 'UNKNOWN', message: err.message ?? String(e) });
    return;
  }
  serving = s;
  // Created now, not on the first request. Requests go through the session cache, which drops a failed load,
  // so a load failure is answered per request (as the engine does) and a later request may load it again.
  if (!setup.setupError) session(model).catch(() => undefined);
  sendServer({ type: 'serving', id, port });
}

parent.onMessage((m) => {
  const msg = m as (ToWorker | ToServer) & { id?: number };
  switch (msg.type) {
    case 'run':
      void handleRun(msg);
      return;
    case 'serve':
      void startServing(msg.id ?? 0, msg.setup, msg.listen, msg.logListening);
      return;
    case 'log-listening':
      serving?.setLogListening(msg.on);
      return;
    case 'ping':
      sendServer({ type: 'pong', id: msg.id ?? 0 });
      return;
    case 'stop':
      if (serving) serving.stop(() => process.exit(0));
      else process.exit(0);
      return;
  }
});
send({ type: 'ready', ortVersion: ort.env.versions.node ?? ort.env.versions.common ?? 'unknown' });
