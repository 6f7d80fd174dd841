import { describe, expect, it, vi } from 'vitest';
import type { WorkerExit } from '../../ports/worker-process';
import { startJsonLinesWorker } from '../../../../test/support/json-lines-worker';
import { processAlive } from '../../../../test/support/processes';

describe('startJsonLinesWorker (the Python worker’s transport)', () => {
  it('one message per JSON line, even split across chunks; a line that is not JSON is passed on as stray output', async () => {
    // Echoes each request back with `echo: true`, writing the answer in two pieces, after a stray print.
    const code = `
      const rl = require('node:readline').createInterface({ input: process.stdin });
      rl.on('line', (l) => {
        const m = JSON.parse(l);
        process.stdout.write('progress: 50%\\n');
        const out = JSON.stringify({ ...m, echo: true });
        process.stdout.write(out.slice(0, 5));
        setTimeout(() => process.stdout.write(out.slice(5) + '\\n'), 30);
      });`;
    const stray: string[] = [];
    const worker = startJsonLinesWorker(process.execPath, ['-e', code], { env: process.env, onStrayLine: (l) => stray.push(l) });
    const reply = new Promise<unknown>((r) => worker.onMessage(r));
    worker.send({ id: 1, op: 'predict', rows: [[1, 2]] }, () => undefined);
    expect(await reply).toEqual({ id: 1, op: 'predict', rows: [[1, 2]], echo: true });
    expect(stray).toEqual(['progress: 50%']);
    const exit = new Promise<WorkerExit>((r) => worker.onExit(r));
    worker.kill();
    expect((await exit).signal).toBe('SIGKILL');
  });

  it('kill() ends the processes the worker started too (its process group)', async () => {
    const code = `
      const helper = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
      console.log(JSON.stringify({ helper: helper.pid }));
      setInterval(() => {}, 1000);`;
    const worker = startJsonLinesWorker(process.execPath, ['-e', code], { env: process.env, onStrayLine: () => undefined });
    const { helper } = (await new Promise<unknown>((r) => worker.onMessage(r))) as { helper: number };
    expect(processAlive(helper)).toBe(true);
    const exit = new Promise<WorkerExit>((r) => worker.onExit(r));
    worker.kill();
    await exit; // at 'close', which the helper would hold back while it kept the pipes open
    // Killed, it may linger a moment as a zombie until init reaps it.
    await vi.waitFor(() => expect(processAlive(helper)).toBe(false), { timeout: 3_000, interval: 50 });
  });
});
