/**
 * Hand-run harness for the score-throughput bench: one target only (Preflight's server or the minimal
 * baseline), 8 keep-alive clients for N seconds, with each process's CPU per request printed, so the
 * processes can be profiled one side at a time (a profile of `run.js` mixes both sides' halves).
 * Not part of `npm run bench`. Bundle next to run.js (it finds the worker and baseline the same way):
 *
 *   npx esbuild bench/profile-throughput.ts --bundle --platform=node --format=esm --external:onnxruntime-node \
 *     --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" \
 *     --outfile=out/node/bench/profile-throughput.js
 *   PREFLIGHT_ONNX_CHILD_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/p/child" \
 *     node --cpu-prof --cpu-prof-dir=/tmp/p/parent out/node/bench/profile-throughput.js preflight 5
 *   PREFLIGHT_BENCH_BASELINE_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/p/base" node out/node/bench/profile-throughput.js minimal 5
 */
import { connect } from 'node:net';
import { cpuPerRequest, cpuSample } from './process-cpu';
import { sampleBody, startBaseline, startPreflight, throughput } from './score-support';

async function main(which: string, seconds: number): Promise<void> {
  if (which !== 'preflight' && which !== 'minimal') throw new Error('usage: profile-throughput.js preflight|minimal [seconds]');
  const target = which === 'preflight' ? await startPreflight() : await startBaseline();
  try {
    const body = sampleBody(1);
    if (process.env.PREFLIGHT_BENCH_SHOW === '1') console.log(await rawExchange(target.url, target.headers, body));
    await throughput(target, body, 8, 500);
    // PREFLIGHT_BENCH_WINDOWS=n: n one-second windows first, to see how long the JIT takes to settle.
    for (let w = Number(process.env.PREFLIGHT_BENCH_WINDOWS ?? 0); w > 0; w--) console.log(`  window: ${(await throughput(target, body, 8, 1000)).toFixed(0)} req/s`);
    const before = cpuSample();
    const started = performance.now();
    const rate = await throughput(target, body, 8, seconds * 1000);
    const requests = Math.round((rate * (performance.now() - started)) / 1000);
    console.log(`${which}: ${rate.toFixed(0)} req/s; ${cpuPerRequest(before, cpuSample(), requests)}`);
  } finally {
    await target.close();
  }
}

/** One request over a raw socket: the response bytes exactly as they come (to compare sizes and headers). */
function rawExchange(url: string, headers: Record<string, string>, body: string): Promise<string> {
  const u = new URL(url);
  const head = [`POST ${u.pathname} HTTP/1.1`, `host: ${u.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', ''].join('\r\n');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(u.port), u.hostname, () => socket.end(head + body));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(`${Buffer.concat(chunks).length} bytes:\n${Buffer.concat(chunks).toString('utf8')}`));
    socket.on('error', reject);
  });
}

main(process.argv[2] ?? '', Number(process.argv[3] ?? 5)).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
