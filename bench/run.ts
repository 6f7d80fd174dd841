import { spawnSync } from 'node:child_process';
import { azureUploadBench } from './azure-upload';
import { compareReplayBench } from './compare-replay';
import type { Bench } from './harness';
import { inspectOnnxBench } from './inspect-onnx';
import { packageLargeBench } from './package-large';
import { payloadValidateBench } from './payload-validate';
import { predictMillionBench } from './predict-million';
import { pythonEngine1000Bench, pythonEngineBench } from './python-engine';
import { score10kBench } from './score-10k';
import { score1RowBench } from './score-1row';
import { scoreThroughputBench } from './score-throughput';

/**
 * `npm run bench` (bundled to out/node/bench/run.js and run with plain node). Every bench module in
 * bench/ exports a `Bench`; the bundle cannot discover files at run time, so a new bench is added here.
 * `--only <name>` runs one. Exit code 1 when a bench misses its target.
 *
 * The whole run starts each bench in a fresh process of its own (this file with `--only`): benches that check a
 * peak RSS read `process.memoryUsage()`, and in one shared process the earlier benches' heap counted there —
 * azure-upload read 341 MiB after the others, 186 MiB alone, on the same idle machine.
 */
const BENCHES: Bench[] = [inspectOnnxBench, payloadValidateBench, score1RowBench, score10kBench, scoreThroughputBench, pythonEngineBench, pythonEngine1000Bench, packageLargeBench, azureUploadBench, compareReplayBench, predictMillionBench];

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--only');
  const only = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && !only) {
    console.error(`usage: run.js [--only <${BENCHES.map((b) => b.name).join('|')}>]`);
    return 2;
  }
  const selected = only ? BENCHES.filter((b) => b.name === only) : BENCHES;
  if (selected.length === 0) {
    console.error(`no bench named '${only}'; available: ${BENCHES.map((b) => b.name).join(', ')}`);
    return 2;
  }
  let failed = 0;
  if (!only) {
    for (const bench of selected) {
      const r = spawnSync(process.execPath, [process.argv[1]!, '--only', bench.name], { stdio: 'inherit' });
      if (r.status !== 0) failed += 1;
      if (r.error || r.signal) console.error(`${bench.name}: ERROR its process ${r.error ? `could not start (${r.error.message})` : `was killed (${r.signal})`}`);
    }
    return failed === 0 ? 0 : 1;
  }
  for (const bench of selected) {
    try {
      if (!(await bench.run()).pass) failed += 1;
    } catch (e) {
      failed += 1;
      console.error(`${bench.name}: ERROR ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
