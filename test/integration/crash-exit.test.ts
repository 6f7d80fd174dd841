/**
 * The built CLI and browser-mode host when Preflight's own code fails (issue 12 item 1): an error nothing
 * caught. A preloaded module turns two signals into such errors (SIGUSR2: a rejected promise nobody
 * awaits; SIGHUP: an exception thrown from an event handler), so the real bundles are tested as users run them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot, sampleModelDir } from '../support/paths';

const outDir = inject('bundlesDir');
let tmp: string;
const FAULTS = `data:text/javascript,${encodeURIComponent(
  "process.on('SIGUSR2', () => { Promise.reject(new Error('stray rejection')); }); process.on('SIGHUP', () => { throw new TypeError('boom'); });",
)}`;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-crash-'));
}, 60_000);
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function start(entry: string, args: string[]): { child: ChildProcess; line: (test: (l: string) => boolean) => Promise<string>; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', FAULTS, join(outDir, entry), ...args], { cwd: repoRoot, env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data') } });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters) w();
  });
  const line = (test: (l: string) => boolean): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const check = (): void => {
        const hit = lines.find(test);
        if (hit !== undefined) resolve(hit);
      };
      waiters.push(check);
      check();
      void exit.then((code) => reject(new Error(`exited ${code} before printing it: ${err}`)));
    });
  return { child, line, stderr: () => err, exit };
}

describe('an error nothing caught', () => {
  it('CLI: one clear line on stderr and exit code 3, not a stack trace', async () => {
    const p = start('cli.js', ['serve', sampleModelDir, '--port', '0']);
    try {
      await p.line(() => true);
      p.child.kill('SIGHUP');
      expect(await p.exit).toBe(3);
      expect(p.stderr()).toContain('preflight: internal error (uncaught exception): TypeError: boom. This is a bug in Preflight, not in your model or files;');
      expect(p.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 60_000);

  it('host: a stray rejection is reported and the host keeps serving; an uncaught exception stops it cleanly', async () => {
    const rendererDir = join(tmp, 'renderer');
    await mkdir(rendererDir, { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Preflight</title>');
    const p = start('host.js', ['--port', '0', '--json-ready', '--renderer-dir', rendererDir]);
    try {
      const { url } = JSON.parse(await p.line((l) => l.startsWith('{'))) as { url: string };
      p.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 300));
      expect(p.stderr()).toContain('preflight host: warning: an operation failed in the background and was ignored: stray rejection. The host keeps serving');
      expect((await fetch(url)).status).toBe(200);
      p.child.kill('SIGHUP');
      expect(await p.exit).toBe(1);
      expect(p.stderr()).toContain('preflight host: internal error (uncaught exception): TypeError: boom.');
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 60_000);
});
