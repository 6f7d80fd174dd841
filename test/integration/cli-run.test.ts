import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelReportSchema } from '../../src/shared/mlflow/model-report';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { fixture, repoRoot, sampleModelDir } from '../support/paths';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data') },
    cwd: repoRoot,
    signal: new AbortController().signal,
    log: silentLogger,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const diabetes = fixture('mlflow-models', 'azureml-examples-sklearn-diabetes');

describe('preflight (usage)', () => {
  it('--help lists the commands and the exit codes, exit 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: preflight <command>');
    expect(r.stdout).toMatch(/inspect\s+Inspect an MLflow model folder/);
    expect(r.stdout).toMatch(/open\s+Start Preflight in browser mode/);
    expect(r.stdout).toContain('2 usage error');
  });

  it('--version prints the package version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('no arguments prints usage to stderr, exit 2', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: preflight <command>');
  });

  it('an unknown command is exit 2 naming it', async () => {
    const r = await cli('deploy-everything');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('preflight: unknown command "deploy-everything"');
    expect(r.stdout).toBe('');
  });

  it('an unknown flag, a missing or an extra argument are exit 2 with the command usage', async () => {
    const flag = await cli('inspect', diabetes, '--jsn');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/preflight inspect: Unknown option '--jsn'/);
    expect(flag.stderr).toContain('Usage: preflight inspect <model-dir> [--json | --markdown]');

    const missing = await cli('inspect');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing <model-dir>.');

    const extra = await cli('inspect', 'a', 'b');
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('Too many arguments');
  });

  it('`inspect --help` prints the command usage with the JSON contract and exit codes', async () => {
    const r = await cli('inspect', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ModelReportSchema');
    expect(r.stdout).toContain('1 the model has error-severity findings');
  });

  it('`open <missing>` fails in the terminal (exit 3) instead of starting a host', async () => {
    const r = await cli('open', join(tmp, 'no-such-model'));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^preflight: Model folder not found: .*no-such-model/);
  });

  it('`open` serves the model through the host process and stops when the CLI is interrupted', async () => {
    const controller = new AbortController();
    let stdout = '';
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
        if (stdout.includes('"url"')) controller.abort();
      },
      stderr: () => {},
      env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data-open') },
      cwd: repoRoot,
      signal: controller.signal,
      log: silentLogger,
    };
    const code = await runCli(['open', sampleModelDir, '--json-ready'], io);
    expect(JSON.parse(stdout.split('\n').find((l) => l.startsWith('{'))!).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(code).toBe(0);
  });

  it('`open --help` shows the user flags, not the E2E-only ones', async () => {
    const r = await cli('open', '--help');
    expect(r.stdout).toContain('--port N');
    expect(r.stdout).not.toContain('--dialog-paths');
    expect(r.stdout).not.toContain('--renderer-dir');
  });

  it('`open` refuses a non-loopback --host as a usage error', async () => {
    const r = await cli('open', '--host', '0.0.0.0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('only listens on 127.0.0.1');
  });
});

describe('preflight inspect', () => {
  it('a missing folder is exit 3 with one `preflight: …` line naming it, no stack', async () => {
    const r = await cli('inspect', join(tmp, 'no-such-model'));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^preflight: .*no-such-model/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a folder without MLmodel is exit 3 with a specific message', async () => {
    const empty = join(tmp, 'not-a-model');
    await writeFile(join(tmp, 'stray.txt'), 'x');
    await rm(empty, { recursive: true, force: true });
    await (await import('node:fs/promises')).mkdir(empty);
    await writeFile(join(empty, 'notes.txt'), 'hello');
    const r = await cli('inspect', empty);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^preflight: .*(MLmodel|not-a-model)/);
  });

  it("the parent of a model folder is exit 3 with \"Did you mean …/model?\"", async () => {
    const parent = join(tmp, 'run-artifacts');
    await (await import('node:fs/promises')).cp(sampleModelDir, join(parent, 'model'), { recursive: true });
    const r = await cli('inspect', parent);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`Did you mean ${join(parent, 'model')}?`);
  });

  it('the text form starts with the verdict; --markdown prints the same verdict as a document', async () => {
    const text = await cli('inspect', diabetes);
    const first = text.stdout.split('\n')[0];
    expect(first).toMatch(/^(Not ready|Ready) for Azure ML no-code deployment/);
    const md = await cli('inspect', diabetes, '--markdown');
    expect(md.code).toBe(text.code);
    expect(md.stdout.split('\n')[0]).toBe('# Preflight: azureml-examples-sklearn-diabetes');
    expect(md.stdout).toContain(first.replace(/_/g, '\\_'));
    expect(md.stdout).toMatch(/- Source: <https:\/\//);
    const both = await cli('inspect', diabetes, '--markdown', '--json');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Choose one of --json and --markdown.');
  });

  it('--json prints exactly a ModelReport of the folder; exit 0/1 follows the error findings', async () => {
    const r = await cli('inspect', diabetes, '--json');
    const report = ModelReportSchema.parse(JSON.parse(r.stdout));
    expect(report.path).toContain('azureml-examples-sklearn-diabetes');
    expect(report.mlmodel?.mlflowVersion).toBe('2.7.1');
    expect(report.signature?.inputs).toMatchObject({ kind: 'columns' });
    expect(r.code).toBe(report.findings.some((f) => f.severity === 'error') ? 1 : 0);
  });

  it('the text form shows the sections a user reads: flavors, signature columns, dependencies, findings', async () => {
    const r = await cli('inspect', diabetes);
    expect(r.stdout).toContain('Preflight inspect: azureml-examples-sklearn-diabetes');
    expect(r.stdout).toContain('Flavors');
    expect(r.stdout).toMatch(/python_function\n\s+env:/);
    expect(r.stdout).toMatch(/Inputs \(columns\):\n\s+NAME\s+TYPE\s+REQUIRED/);
    expect(r.stdout).toMatch(/\bage\s+double\s+yes/);
    expect(r.stdout).toContain('Dependencies (');
    expect(r.stdout).toContain('Readiness findings');
    expect(r.stdout).toMatch(/Summary: \d+ errors?, \d+ warnings?/);
  });

  it.runIf(existsSync(join(sampleModelDir, 'MLmodel')))('--json on the bundled sample model parses with ModelReportSchema', async () => {
    const r = await cli('inspect', sampleModelDir, '--json');
    const report = ModelReportSchema.parse(JSON.parse(r.stdout));
    expect(report.onnx.length).toBeGreaterThan(0);
    expect(r.code).toBe(0);
  });
});
