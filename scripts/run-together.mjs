#!/usr/bin/env node
/**
 * `node scripts/run-together.mjs typecheck lint`: runs those npm scripts at the same time and fails if any fails.
 * `npm test` uses it for the checks that are CPU-bound, single-threaded and read only sources (tsc, ESLint): on two
 * cores they take about as long together as the longer one alone. Each script's output is held and printed whole
 * when it ends, so two logs never interleave; the exit code is the first failure's (or 0).
 */
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/run-together.mjs <npm script> [<npm script> …]');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const results = await Promise.all(
  names.map(
    (name) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(npm, ['run', name], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' } });
        const chunks = [];
        child.stdout.on('data', (c) => chunks.push(c));
        child.stderr.on('data', (c) => chunks.push(c));
        child.on('error', (error) => {
          console.error(`run-together: could not start npm run ${name}: ${error.message}`);
          resolve({ name, code: 1 });
        });
        child.on('close', (code, signal) => {
          const output = Buffer.concat(chunks).toString('utf8');
          process.stdout.write(`${output}${output.endsWith('\n') || output === '' ? '' : '\n'}`);
          const seconds = (Date.now() - started) / 1000;
          console.log(`run-together: ${name} ${code === 0 ? 'passed' : `failed (${signal ?? `exit ${code}`})`} in ${seconds.toFixed(1)} s`);
          resolve({ name, code: code ?? 1 });
        });
      }),
  ),
);
const failed = results.find((r) => r.code !== 0);
process.exit(failed ? failed.code : 0);
