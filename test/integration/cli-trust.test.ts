/**
 * `preflight predict|serve|batch` run a Python model only from a trusted folder: without trust the command
 * says why and how (exit 3) and nothing of the model runs; `--trust` trusts the folder and remembers it in
 * the app store (the app sees it too); PREFLIGHT_TRUST trusts for one run. Real pickle, in-process CLI.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { AppStore } from '../../src/main/services/store/app-store';
import { FolderTrust } from '../../src/main/services/trust/folder-trust';
import { repoRoot } from '../support/paths';
import { sklearnSkipReason, SYSTEM_PYTHON, writeCodeRunningModel } from '../support/sklearn-models';

let tmp: string;
let model: string;
let marker: string;
let bodyFile: string;

async function cli(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
    env: { ...process.env, PREFLIGHT_PYTHON: SYSTEM_PYTHON, PREFLIGHT_USER_DATA: join(tmp, 'user-data'), ...env },
    cwd: repoRoot,
    signal: new AbortController().signal,
    log: silentLogger,
  };
  return { code: await runCli(argv, io), stderr };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-cli-trust-'));
  model = join(tmp, 'model');
  marker = join(tmp, 'pickle-ran');
  writeCodeRunningModel(model, marker);
  await writeFile(join(tmp, 'rows.csv'), 'x\n1\n');
  bodyFile = join(tmp, 'body.json');
  await writeFile(bodyFile, JSON.stringify({ dataframe_split: { columns: ['x'], data: [[1.0]] } }));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(sklearnSkipReason !== null)('CLI model-folder trust', () => {
  it('refuses an untrusted Python model with the reason and the fix; nothing of it runs', async () => {
    for (const argv of [['predict', model, bodyFile, '--server', 'mlflow'], ['batch', model, join(tmp, 'rows.csv'), '--out', join(tmp, 'out')]]) {
      const r = await cli({}, ...argv);
      expect(r.code, `${argv[0]}: ${r.code} ${r.stderr}`).not.toBe(0);
      expect(r.stderr).toContain(`runs the Python code in ${model}`);
      expect(r.stderr).toContain('--trust');
    }
    expect(existsSync(marker)).toBe(false);
  }, 60_000);

  it('PREFLIGHT_TRUST trusts for one run without remembering; --trust remembers', async () => {
    await cli({ PREFLIGHT_TRUST: tmp }, 'predict', model, bodyFile, '--server', 'mlflow');
    expect(existsSync(marker)).toBe(true);
    await rm(marker);
    const store = async (): Promise<FolderTrust> => new FolderTrust(await AppStore.open(join(tmp, 'user-data'), silentLogger));
    expect((await (await store()).status(model)).trusted).toBe(false);

    const r = await cli({}, 'predict', model, bodyFile, '--server', 'mlflow', '--trust');
    expect(r.stderr).toContain(`trusted ${model}`);
    expect(existsSync(marker)).toBe(true);
    expect((await (await store()).status(model)).trusted).toBe(true);
  }, 60_000);
});
