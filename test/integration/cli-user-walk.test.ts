import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot, sampleModelDir } from '../support/paths';

/**
 * What a data scientist meets walking the local half of Preflight with the CLI (the esbuild bundle on plain Node,
 * spawned as users run it) on the bundled sample model: a CSV body file is read as CSV by every command that takes
 * a body, the flags read the same everywhere, and a refusal says what to change.
 */
const outDir = inject('bundlesDir');
let tmp: string;
let csv: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-cli-walk-'));
  csv = join(tmp, 'body.csv');
  await writeFile(csv, 'age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n1,2,3,4,5,6,7,8,9,10\n');
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(outDir, 'cli.js'), ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data') }, timeout: 60_000 });

describe('a .csv body file is sent as text/csv by validate, predict and compare (as convert always did)', () => {
  it('validate --server mlflow: the model is called with the CSV rows', () => {
    const r = run('validate', sampleModelDir, csv, '--server', 'mlflow', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, status: 200, model_receives: { kind: 'DataFrame', nrows: 1 } });
  });
  it('predict --server mlflow answers 200 with one prediction', () => {
    const r = run('predict', sampleModelDir, csv, '--server', 'mlflow', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { body: { predictions: unknown[] } }).body.predictions).toHaveLength(1);
  });
  it('validate --server azureml: Azure refuses CSV with its 415, and says to send input_data', () => {
    const r = run('validate', sampleModelDir, csv, '--server', 'azureml');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Content-Type:  text/csv');
    expect(r.stdout).toContain('HTTP 415');
  });
  it('compare converts it for each target and they agree', () => {
    const r = run('compare', sampleModelDir, csv, '--target', 'local:azureml', '--target', 'local:mlflow', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: { agree: true } });
  });
  it('--content-type still wins', () => {
    const r = run('validate', sampleModelDir, csv, '--server', 'mlflow', '--content-type', 'application/json', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, status: 400 });
  });
});
