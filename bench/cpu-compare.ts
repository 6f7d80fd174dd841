/**
 * Hand-run harness for the score-throughput bench (not part of `npm run bench`): CPU per request of
 * Preflight's serving process and of the minimal baseline's process, under the bench's own load
 * (8 keep-alive clients, 1-row body), with a fixed number of requests per round instead of a fixed
 * time. On a shared 2-core machine the wall ratio moves with whatever else runs; the CPU a process
 * spends per request moves much less, so it is the number to steer by (the wall bench confirms).
 * The servers: Preflight's, the minimal baseline, and the minimal baseline with Azure's key check and response
 * headers (baseline-http.ts `azureHeaders`: what the Azure contract alone costs).
 * All servers run at once; each round visits every one (in a rotating order); each is warmed with the
 * same request count first (its JIT settles). Prints each round and the median per server.
 * Extra arguments are other builds of the ONNX worker (e.g. a copy of out/node/onnx-worker.js from
 * before a change), served side by side with the current one: an A/B under the same load.
 *
 *   node scripts/build-node.mjs --only bench-baseline        # the baseline server it forks (npm run build:node builds it too)
 *   npx esbuild bench/cpu-compare.ts --bundle --platform=node --format=esm --external:onnxruntime-node \
 *     --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" \
 *     --outfile=out/node/bench/cpu-compare.js
 *   node out/node/bench/cpu-compare.js [requestsPerRound=20000] [rounds=4] [$PWD/out/node/onnx-worker-before.js …]
 *
 * An older worker build must sit in out/node/ (copy out/node/onnx-worker.js there before the change): from /tmp it
 * cannot resolve onnxruntime-node and fails with ERR_MODULE_NOT_FOUND.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSample, type CpuSample } from './process-cpu';
import { median } from './harness';
import { post, sampleBody, startBaseline, startPreflight, type Target } from './score-support';

/** PREFLIGHT_BENCH_CLIENTS: concurrent clients (default 8, as in score-throughput). */
const CLIENTS = Number(process.env.PREFLIGHT_BENCH_CLIENTS ?? 8);
const WORKER = join(dirname(fileURLToPath(import.meta.url)), '..', 'onnx-worker.js');

/** `n` requests over `CLIENTS` concurrent keep-alive clients; resolves with the wall time in ms. */
async function load(t: Target, body: string, n: number): Promise<number> {
  let left = n;
  const client = async (): Promise<void> => {
    while (left > 0) {
      left--;
      await post(t, body);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return performance.now() - start;
}

/** CPU seconds used between two samples by the child processes in `after` that `before` lacks or that moved. */
function childCpu(before: CpuSample, after: CpuSample, label: string): number {
  return (after.get(label) ?? 0) - (before.get(label) ?? 0);
}

interface Side {
  name: string;
  t: Target;
  /** The /proc label of its serving process (found after it started). */
  label: string;
  server: number[];
  client: number[];
  rate: number[];
}

async function main(n: number, rounds: number, workers: string[]): Promise<void> {
  const body = sampleBody(1);
  const sides: Side[] = [];
  const add = async (name: string, start: () => Promise<Target>): Promise<void> => {
    const before = new Set(cpuSample().keys());
    const t = await start();
    const label = [...cpuSample().keys()].find((k) => !before.has(k));
    if (!label) throw new Error(`${name}: no new child process found`);
    sides.push({ name, t, label, server: [], client: [], rate: [] });
  };
  try {
    for (const [i, w] of [WORKER, ...workers].entries()) await add(i === 0 ? 'preflight' : `preflight[${w}]`, () => startPreflight(w));
    await add('minimal', startBaseline);
    await add('minimal+azure-headers', () => startBaseline({ azureHeaders: true }));
    // PREFLIGHT_BENCH_WARM_REQUESTS: requests per server before the rounds (default: one round's worth).
    const warm = Number(process.env.PREFLIGHT_BENCH_WARM_REQUESTS ?? n);
    for (const s of sides) await load(s.t, body, warm);
    for (let r = 0; r < rounds; r++) {
      const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
      for (const s of order) {
        const before = cpuSample();
        const self0 = process.cpuUsage();
        const ms = await load(s.t, body, n);
        const self = process.cpuUsage(self0);
        s.server.push((childCpu(before, cpuSample(), s.label) / n) * 1e6);
        s.client.push((self.user + self.system) / n);
        s.rate.push(n / (ms / 1000));
        console.log(`  round ${r + 1} ${s.name}: server ${s.server.at(-1)!.toFixed(1)}µs/req, client ${s.client.at(-1)!.toFixed(1)}µs/req, ${s.rate.at(-1)!.toFixed(0)} req/s`);
      }
    }
    for (const s of sides) console.log(`${s.name}: server ${median(s.server).toFixed(1)}µs/req (median of ${rounds}; min ${Math.min(...s.server).toFixed(1)}), client ${median(s.client).toFixed(1)}µs/req, ${median(s.rate).toFixed(0)} req/s`);
  } finally {
    for (const s of sides) await s.t.close();
  }
}

const [n, rounds, ...workers] = process.argv.slice(2);
main(Number(n ?? 20_000), Number(rounds ?? 4), workers).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
