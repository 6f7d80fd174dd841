// The long fuzz run (issue 12): the file-parser fuzz suite with many more inputs and a fresh seed.
//   npm run fuzz                                  20 000 inputs per parser, random seed (printed)
//   PREFLIGHT_FUZZ_RUNS=100000 npm run fuzz       more
//   PREFLIGHT_FUZZ_SEED=1234 npm run fuzz         replay a failure with the seed it printed
// `npm test` runs the same suite with 2 000 inputs per parser and a fixed seed.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const runs = process.env.PREFLIGHT_FUZZ_RUNS ?? '20000';
const seed = process.env.PREFLIGHT_FUZZ_SEED ?? String(randomInt(2 ** 31 - 1));
console.log(`fuzz: ${runs} inputs per parser, seed ${seed} (replay: PREFLIGHT_FUZZ_SEED=${seed} npm run fuzz)`);
const r = spawnSync('npx', ['vitest', 'run', '--project', 'integration', 'test/integration/fuzz-files.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, PREFLIGHT_FUZZ_RUNS: runs, PREFLIGHT_FUZZ_SEED: seed },
});
process.exit(r.status ?? 1);
