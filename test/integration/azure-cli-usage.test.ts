/**
 * A usage error of `preflight azure <sub>` shows the error, then that subcommand's lines only, so the sentence
 * that says what is wrong stays on a terminal's screen (the whole overview is ~70 lines and scrolled it away).
 * No Azure is needed: the command line is refused before any call.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { repoRoot } from '../support/paths';

let tmp: string;

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data') };
  delete env.PREFLIGHT_AZURE_CLOUD;
  delete env.PREFLIGHT_AZURE_CACHE;
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: repoRoot, signal: new AbortController().signal, log: silentLogger };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-azure-usage-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('preflight azure usage errors', () => {
  it.each([
    [['logs', '--endpoint', 'demo', '--tail', '0'], '--tail must be a whole number ≥ 1, not "0".', '  logs --endpoint E'],
    [['keys', '--endpoint', 'demo'], 'add --show', '  keys --endpoint E --show'],
    [['keys', '--endpoint', 'demo', '--show', '--which', 'tertiary'], '--which must be primary or secondary', '  keys --endpoint E --show'],
    [['invoke', '--endpoint', 'demo', '--bogus'], "Unknown option '--bogus'", '  invoke --endpoint E <body-file|->'],
  ])('azure %j: the error, then only that subcommand\'s usage, within one screen', async (argv, error, usageLine) => {
    const r = await cli('azure', ...argv);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toContain(error);
    expect(r.stderr).toContain(usageLine);
    expect(r.stderr).not.toContain('batch deploy <model-dir>');
    expect(r.stderr).toContain('preflight azure --help');
    expect(lines.length).toBeLessThanOrEqual(12);
  });

  it('an unknown subcommand still lists them all', async () => {
    const r = await cli('azure', 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown subcommand "frobnicate"');
    for (const sub of ['login', 'invoke', 'logs', 'keys', 'batch deploy']) expect(r.stderr).toContain(sub);
  });
});
