import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixture, repoRoot, sampleModelDir } from '../support/paths';

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

describe('a refusal says what to change', () => {
  it("predict of MLflow's serving example on the Azure profile: the engine's warning and the convert command that fixes it", () => {
    const example = join(sampleModelDir, 'serving_input_example.json');
    const r = run('predict', sampleModelDir, example);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`{"message": "A value is not provided for the 'input_data' parameter."}`);
    expect(r.stderr).toContain(`warning: [mlflow-envelope-on-azure] 'dataframe_split' is MLflow's envelope: Azure ML needs {"input_data": …}`);
    expect(r.stderr).toContain(`To rewrite the body for this server: preflight convert ${example} --to azureml --model ${sampleModelDir}`);
    // the command it names does it: the converted body is answered 200
    const converted = join(tmp, 'converted.json');
    const c = run('convert', example, '--to', 'azureml', '--model', sampleModelDir);
    expect(c.status, c.stderr).toBe(0);
    writeFileSync(converted, c.stdout);
    expect(run('predict', sampleModelDir, converted).status).toBe(0);
  });
  it('validate of an Azure body against MLflow names the convert command too; --json output stays as it was', () => {
    const body = join(tmp, 'azure.json');
    writeFileSync(body, '{"input_data": {"columns": ["age"], "data": [[1]]}}');
    const r = run('validate', sampleModelDir, body, '--server', 'mlflow');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`To rewrite the body for this server: preflight convert ${body} --to dataframe_split --model ${sampleModelDir}`);
    const j = run('predict', sampleModelDir, body, '--server', 'mlflow', '--json');
    expect(j.stderr).toBe('');
  });
});

describe('flags read the same by every command', () => {
  it('--mlflow-version that is not a version is a usage error (exit 2) for validate, predict, serve and compare alike', () => {
    const example = join(sampleModelDir, 'serving_input_example.json');
    for (const argv of [
      ['validate', sampleModelDir, example],
      ['predict', sampleModelDir, example],
      ['serve', sampleModelDir, '--port', '0'],
      ['compare', sampleModelDir, example, '--target', 'local:azureml', '--target', 'local:mlflow'],
    ]) {
      const r = run(...argv, '--mlflow-version', 'banana');
      expect(r.status, `${argv[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain("MLflow version 'banana' is not a version: write it as X.Y or X.Y.Z");
    }
  });
});

describe('help and option errors', () => {
  it("--trust is aligned with each command's other options", () => {
    const column = (line: string): number => /^( {2}--\S+(?: \S+)?\s{2,})\S/.exec(line)![1]!.length;
    for (const command of ['serve', 'batch', 'compare', 'predict']) {
      const lines = run(command, '--help').stdout.split('\n');
      const at = lines.findIndex((l) => l.startsWith('  --trust '));
      const before = lines.slice(0, at).findLast((l) => /^ {2}--\S+(?: \S+)?\s{2,}\S/.test(l))!;
      expect(column(lines[at]!), `${command}: ${before}\n${lines[at]}`).toBe(column(before));
      expect(lines[at + 1]!.search(/\S/), command).toBe(column(before));
    }
  });
  it('serve --key that Azure would not take is a usage error (exit 2), like a bad --port', () => {
    const r = run('serve', sampleModelDir, '--key', 'short');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('The key must be at least 8 characters without spaces');
  });
});

describe('batch over a folder', () => {
  it('a failed job says which file it stopped at, of how many', async () => {
    const dir = join(tmp, 'folder');
    await mkdir(dir);
    const rows = 'age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n1,2,3,4,5,6,7,8,9,10\n';
    await writeFile(join(dir, 'a.csv'), rows);
    await writeFile(join(dir, 'b.csv'), 'age,sex,cp\n63,1,3\n');
    await writeFile(join(dir, 'c.csv'), rows);
    const r = run('batch', sampleModelDir, dir, '--out', join(tmp, 'folder-out'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^failed at b\.csv \(file 2 of 3\): 1 rows from 1\/3 files in \d+\.\d s\n$/);
    expect(r.stderr).toContain("Model is missing inputs ['bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6']");
  });
});

describe('a model no MLflow server can load', () => {
  it('an MLeap-only model (no python_function flavor): predict, serve and batch say so at once, with no trust question and no Python search', () => {
    const mleap = fixture('mlflow-models', 'mlflow-java-mleap-regression');
    for (const argv of [
      ['predict', mleap, join(sampleModelDir, 'serving_input_example.json'), '--server', 'mlflow'],
      ['serve', mleap, '--port', '0'],
      ['batch', mleap, csv, '--out', join(tmp, 'mleap-out')],
    ]) {
      const r = run(...argv);
      expect(r.status, `${argv[0]}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toContain('mlflow-java-mleap-regression has no python_function flavor (MLmodel flavors: mleap)');
      expect(r.stderr).toContain('Model does not have the "python_function" flavor');
      expect(r.stderr).not.toMatch(/--trust|pickled model is a program|needs a local Python/);
    }
  });
});
