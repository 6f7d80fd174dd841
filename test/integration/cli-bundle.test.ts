import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ModelReportSchema } from '../../src/shared/mlflow/model-report';
import { fixture, repoRoot } from '../support/paths';

/**
 * The esbuild bundles on plain Node, as users run them: a private build (so a concurrent `npm run build`
 * cannot interfere), spawned as child processes.
 */
const outDir = inject('bundlesDir');
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-bundle-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const env = () => ({ ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data') });
const runCli = (...args: string[]) => spawnSync(process.execPath, [join(outDir, 'cli.js'), ...args], { cwd: repoRoot, encoding: 'utf8', env: env(), timeout: 60_000 });

describe('out/node/cli.js', () => {
  it('--help exits 0; an unknown command exits 2', () => {
    expect(runCli('--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage: preflight') });
    expect(runCli('frobnicate')).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
  });

  it('inspect of a missing folder exits 3 with a one-line message', () => {
    const r = runCli('inspect', join(tmp, 'missing-model'));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^preflight: .*missing-model.*\n$/);
  });

  it('inspect --json of a fixture prints a ModelReport', () => {
    const r = runCli('inspect', fixture('mlflow-models', 'azureml-examples-sklearn-diabetes'), '--json');
    expect([0, 1]).toContain(r.status);
    expect(ModelReportSchema.parse(JSON.parse(r.stdout)).name).toBe('azureml-examples-sklearn-diabetes');
  });
});

describe('out/node/host.js', () => {
  it('prints the URL line and a JSON ready line, and serves the page only with the token', async () => {
    const rendererDir = join(tmp, 'renderer');
    await mkdir(rendererDir, { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Preflight</title>');
    const child = spawn(process.execPath, [join(outDir, 'host.js'), '--port', '0', '--json-ready', '--renderer-dir', rendererDir], { cwd: repoRoot, env: env() });
    try {
      const lines: string[] = [];
      const ready = await new Promise<{ url: string }>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`host exited ${code}: ${lines.join('\n')}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.startsWith('{')) resolve(JSON.parse(line));
        });
      });
      expect(lines[0]).toMatch(/^Preflight \(browser mode\): http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
      expect(ready.url).toBe(lines[0].replace('Preflight (browser mode): ', ''));
      expect((await fetch(ready.url)).status).toBe(200);
      expect((await fetch(ready.url.replace(/\?token=.*/, ''))).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
