/**
 * Shared set-up of the score-* benchmarks (issue 4 "Done when"): the bundled diabetes ONNX sample served
 * by Preflight's Azure-profile server, against a minimal Node http server that does only JSON.parse +
 * session.run + JSON.stringify with onnxruntime-node on the same model. Both listen on 127.0.0.1 in
 * processes of their own; the client is a keep-alive node:http agent in this process, the same for both.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunnerService } from '../src/main/services/runner/runner-service';
import { startScoringServer, type ScoringServer } from '../src/main/services/server/scoring-server';
import { BASELINE_KEY, createBaselineServer } from './baseline-http';
import { CPU_ACCOUNTING, cpuPerRequest, cpuSample } from './process-cpu';
import { median } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
/** bench/run.js lives in out/node/bench; the repo root is three levels up, the worker one level up. */
export const SAMPLE_MODEL = join(here, '..', '..', '..', 'resources', 'sample-model');
const WORKER = join(here, '..', 'onnx-worker.js');
const BASELINE_SERVER = join(here, 'baseline-server.js');

export interface Target {
  url: string;
  headers: Record<string, string>;
  close(): Promise<void>;
}

export function sampleBody(rows: number): string {
  const ex = JSON.parse(readFileSync(join(SAMPLE_MODEL, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  const data = Array.from({ length: rows }, (_, r) => ex.data[r % ex.data.length]!.map((v) => v * (1 + (r % 7) / 100)));
  return JSON.stringify({ input_data: { columns: ex.columns, data } });
}

/** `workerPath`: another build of the ONNX worker (bench/cpu-compare.ts compares two builds side by side). */
export async function startPreflight(workerPath = WORKER): Promise<Target> {
  const runner = new RunnerService({ onnxWorkerPath: workerPath });
  let s: ScoringServer;
  try {
    s = await startScoringServer({ modelPath: SAMPLE_MODEL, server: 'azureml', runner });
  } catch (e) {
    runner.dispose();
    throw e;
  }
  return {
    url: `${s.url}/score`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.key}` },
    async close() {
      await s.close();
      runner.dispose();
    },
  };
}

/**
 * The baseline: parse, run, stringify; nothing else. By default a process of its own, like Preflight's
 * server (whose ONNX requests are answered in the engine's process); PREFLIGHT_BENCH_BASELINE=in-process
 * runs it inside this process instead, sharing the client's event loop (no process wake-ups at all).
 */
export async function startBaseline(opts: { azureHeaders?: boolean } = {}): Promise<Target> {
  const modelPath = join(SAMPLE_MODEL, 'model.onnx');
  const azureHeaders = opts.azureHeaders ?? false;
  const headers: Record<string, string> = azureHeaders ? { 'content-type': 'application/json', authorization: `Bearer ${BASELINE_KEY}` } : { 'content-type': 'application/json' };
  if (BASELINE_IN_PROCESS) {
    const s = await createBaselineServer(modelPath, azureHeaders);
    return { url: `http://127.0.0.1:${s.port}/score`, headers, close: () => s.close() };
  }
  // PREFLIGHT_BENCH_BASELINE_EXEC_ARGV (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`): profile the baseline
  // like PREFLIGHT_ONNX_CHILD_EXEC_ARGV profiles Preflight's serving process.
  const execArgv = (process.env.PREFLIGHT_BENCH_BASELINE_EXEC_ARGV ?? '').split(/\s+/).filter((a) => a !== '');
  const child = fork(BASELINE_SERVER, azureHeaders ? [modelPath, '--azure-headers'] : [modelPath], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the baseline server exited with code ${code} before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}/score`,
    headers,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}

/** How the baseline runs, for the printed lines. */
export const BASELINE_IN_PROCESS = process.env.PREFLIGHT_BENCH_BASELINE === 'in-process';
export const baselineLabel = (): string => (BASELINE_IN_PROCESS ? 'minimal(in-process)' : 'minimal');

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One POST; resolves with the status after the whole answer arrived. Fails on anything but 200. */
export function post(t: Target, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(t.url, { method: 'POST', agent, headers: { ...t.headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${t.url}: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** p50 latency (ms) of `n` sequential requests after `warmup` unmeasured ones. */
export async function p50(t: Target, body: string, n: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await post(t, body);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await post(t, body);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/**
 * Sequential requests for `ms` milliseconds, unmeasured but for the p50 of the first `first` (the reading of a server
 * that has just started); resolves with that p50.
 */
export async function warmSequential(t: Target, body: string, ms: number, first = 200): Promise<number> {
  const end = performance.now() + ms;
  const times: number[] = [];
  while (performance.now() < end || times.length < first) {
    const start = process.hrtime.bigint();
    await post(t, body);
    if (times.length < first) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/**
 * p50 latency of both servers, measured in `rounds` interleaved rounds (ours, base, base, ours, …) of `n`
 * requests each; the result is the median of the per-round p50s, so a burst of load from elsewhere on the
 * machine hits both sides alike and one noisy round cannot decide the ratio.
 */
export async function interleavedP50(ours: Target, base: Target, body: string, o: { rounds: number; n: number; firstWarmup: number; warmup: number }): Promise<{ ours: number; base: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const warm = round === 0 ? o.firstWarmup : o.warmup;
    if (round % 2 === 0) {
      a.push(await p50(ours, body, o.n, warm));
      b.push(await p50(base, body, o.n, warm));
    } else {
      b.push(await p50(base, body, o.n, warm));
      a.push(await p50(ours, body, o.n, warm));
    }
  }
  return { ours: median(a), base: median(b) };
}

/**
 * Requests per second with `clients` concurrent sequential clients for `ms` milliseconds. With
 * PREFLIGHT_BENCH_CPU=1 it also prints each process's CPU per request (process-cpu.ts), labelled `label`.
 */
export async function throughput(t: Target, body: string, clients: number, ms: number, label?: string): Promise<number> {
  const cpuBefore = CPU_ACCOUNTING && label ? cpuSample() : null;
  const end = performance.now() + ms;
  let done = 0;
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      await post(t, body);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const rate = done / ((performance.now() - started) / 1000);
  if (cpuBefore) console.log(`  cpu ${label}: ${rate.toFixed(0)}req/s ${cpuPerRequest(cpuBefore, cpuSample(), done)}`);
  return rate;
}

export async function withTargets<T>(fn: (ours: Target, base: Target) => Promise<T>): Promise<T> {
  const ours = await startPreflight();
  let base: Target | null = null;
  try {
    // Started inside the try: if the baseline cannot start, ours (and its model process) still closes.
    base = await startBaseline();
    return await fn(ours, base);
  } finally {
    await ours.close();
    await base?.close();
  }
}
