/**
 * `npm start -- <model-dir> --allow-write <dir>` as the README's first command runs it (scripts/start.mjs on a machine
 * without Electron's binary or a display, so browser mode): the flags after the model reach the browser-mode host.
 * The batch refusal tells users to restart this way; before, start.mjs passed on only its first argument, so the
 * folder stayed refused (and `npm start -- --allow-write DIR` opened a model folder named "--allow-write").
 * Needs `npm run build` (out/node/host.js, out/renderer), as `npm start` and `npm test` do first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methodChannel } from '../../src/shared/ipc/channels';
import { repoRoot, sampleModelDir } from '../support/paths';

let tmp: string;
let child: ChildProcess | null = null;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-start-'));
});
afterAll(async () => {
  child?.kill('SIGTERM');
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('npm start (scripts/start.mjs) in browser mode', () => {
  it('passes the flags after the model to the host: --json-ready, --allow-write, --user-data', async () => {
    expect(existsSync(join(repoRoot, 'out', 'node', 'host.js')), 'run `npm run build` first: npm start serves out/node/host.js').toBe(true);
    const allowed = join(tmp, 'allowed');
    const csv = join(tmp, 'rows.csv');
    await writeFile(csv, 'age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.1\n');
    await mkdir(join(tmp, 'user-data'));
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'no-electron') };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    child = spawn(process.execPath, ['scripts/start.mjs', sampleModelDir, '--json-ready', '--allow-write', allowed, '--user-data', join(tmp, 'user-data')], { cwd: repoRoot, env });
    const lines: string[] = [];
    const c = child;
    const ready = await new Promise<{ url: string; wsUrl: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no JSON ready line within 30 s (--json-ready not passed on?):\n${lines.join('\n')}`)), 30_000);
      c.once('exit', (code) => reject(new Error(`start.mjs exited ${code}:\n${lines.join('\n')}`)));
      createInterface({ input: c.stdout! }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('{')) {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        }
      });
    });
    expect(lines[0]).toBe('No Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD?); starting browser mode instead.');
    const ws = new WebSocket(ready.wsUrl, { origin: new URL(ready.url).origin });
    await new Promise((r) => ws.once('open', r));
    try {
      const reply = await new Promise<{ ok: boolean; value?: { status: string }; error?: { message: string } }>((resolve) => {
        ws.on('message', (data: WebSocket.RawData) => {
          const msg = JSON.parse(data.toString());
          if (!('event' in msg) && msg.id === 1) resolve(msg.result);
        });
        ws.send(JSON.stringify({ id: 1, channel: methodChannel('batch', 'run'), input: { modelPath: sampleModelDir, input: csv, outDir: allowed } }));
      });
      expect(reply.ok, JSON.stringify(reply.error)).toBe(true);
      expect(reply.value!.status).toBe('succeeded');
      expect(existsSync(join(allowed, 'predictions.csv'))).toBe(true);
    } finally {
      ws.close();
    }
  }, 90_000);
});
