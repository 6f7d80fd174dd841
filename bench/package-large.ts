import { spawnSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { cp, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWheel } from '../test/support/wheels';
import { ratioLine, type Bench, type BenchResult } from './harness';

/**
 * Issue 9 "Done when": packaging a model folder with 2 GiB of incompressible weights costs at most 1.5× of
 * `sha256sum` + `tar -cf` of the same folder, run in the same process/machine state, with peak RSS ≤ 256 MiB
 * (every file is streamed: read once, hashed and written on the way, never held in memory).
 *
 * Preflight packages in a child process (package-child.ts) that reports its own time and peak RSS: measured in
 * this process, the peak was whatever an earlier benchmark had reached (302 MiB in a full `npm run bench`, 160 MiB
 * when run alone). The weights are synced to disk before the first side runs: freshly written, their writeback
 * landed in whichever side came first (a full run read 12.3 s for Preflight against 4.4 s alone).
 */
const PACKAGE_CHILD = join(dirname(fileURLToPath(import.meta.url)), 'package-child.js');
const WEIGHTS = 2 * 1024 ** 3;
const RSS_LIMIT_MIB = 256;

async function writeIncompressible(path: string, bytes: number): Promise<void> {
  // AES-CTR over zeros: random-looking bytes at memory speed, 8 MiB at a time.
  const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
  const zeros = Buffer.alloc(8 * 1024 * 1024);
  const out = createWriteStream(path);
  for (let left = bytes; left > 0; left -= zeros.length) {
    const chunk = cipher.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function timed(cmd: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr?.toString() ?? r.error?.message}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-bench-package-'));
  try {
    const model = join(dir, 'model');
    await cp(join(process.cwd(), 'resources/sample-model'), model, { recursive: true });
    await writeIncompressible(join(model, 'weights.bin'), WEIGHTS);
    const wheels = join(dir, 'wheels');
    for (const [name, version] of [['mlflow', '2.16.2'], ['onnx', '1.16.2'], ['onnxruntime', '1.19.2'], ['azureml-inference-server-http', '1.4.0']] as const) await buildWheel(wheels, { name, version });

    const files = ['MLmodel', 'conda.yaml', 'input_example.json', 'model.onnx', 'python_env.yaml', 'requirements.txt', 'serving_input_example.json', 'weights.bin'].map((f) => join(model, f));
    const baseline = (): number => timed('sha256sum', files) + timed('tar', ['-cf', join(dir, 'baseline.tar'), '-C', model, '.']);
    const preflight = (): { ms: number; maxRssMiB: number } => {
      const r = spawnSync(process.execPath, [PACKAGE_CHILD, model, join(dir, 'package.tar.gz'), wheels], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.status !== 0) throw new Error(`package-child.js failed: ${r.stderr || r.error?.message}`);
      return JSON.parse(r.stdout) as { ms: number; maxRssMiB: number };
    };
    // Baseline, Preflight, baseline again: the page cache and other load on the machine land on both sides.
    const b1 = baseline();
    const { ms: p, maxRssMiB: peakMiB } = preflight();
    const b2 = baseline();
    const result = ratioLine('package-large', p, Math.min(b1, b2), 1.5, { value: 'package', baseline: 'sha256sum+tar' });
    const rssOk = peakMiB <= RSS_LIMIT_MIB;
    console.log(`package-large: peak RSS ${peakMiB.toFixed(0)} MiB of the packaging process (target ≤ ${RSS_LIMIT_MIB}) ${rssOk ? 'PASS' : 'FAIL'}`);
    return { ...result, pass: result.pass && rssOk };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const packageLargeBench: Bench = { name: 'package-large', run };
