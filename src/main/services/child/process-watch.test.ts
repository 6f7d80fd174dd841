import { describe, expect, it } from 'vitest';
import { watchProcess, type ProcessEnd } from './process-watch';
import { startJsonLinesWorker } from '../../../../test/support/json-lines-worker';
import type { WorkerProcess } from '../../ports/worker-process';

const node = (code: string): WorkerProcess => startJsonLinesWorker(process.execPath, ['-e', code], { env: process.env, onStrayLine: () => undefined });

const ended = (start: () => WorkerProcess): Promise<{ end: ProcessEnd; calls: number; chunks: string[] }> =>
  new Promise((resolve) => {
    let calls = 0;
    const chunks: string[] = [];
    watchProcess(start(), {
      tailChars: 16,
      onStderr: (c) => chunks.push(c),
      onEnd: (end) => {
        calls++;
        setTimeout(() => resolve({ end, calls, chunks }), 50);
      },
    });
  });

describe('watchProcess', () => {
  it('reports a crash once, after stderr drained, with its last characters and how it ended', async () => {
    const { end, calls, chunks } = await ended(() => node('process.stderr.write("x".repeat(40) + "FATAL: gone"); process.exit(7)'));
    expect(calls).toBe(1);
    expect(end).toMatchObject({ exitCode: 7, signal: null, how: 'exited with code 7', spawnError: null });
    expect(end.stderrTail).toBe('xxxxxFATAL: gone');
    expect(chunks.join('')).toContain('FATAL: gone');
  });

  it('a process killed by a signal says so', async () => {
    const { end } = await ended(() => {
      const c = node('setInterval(() => {}, 1000)');
      setTimeout(() => c.kill(), 100);
      return c;
    });
    expect(end).toMatchObject({ exitCode: null, signal: 'SIGKILL', how: 'was killed by signal SIGKILL' });
  });

  it('a program that cannot be started is one end too (Node sends no exit for it)', async () => {
    const { end, calls } = await ended(() => startJsonLinesWorker('/nonexistent/preflight-no-such-program', [], { env: process.env, onStrayLine: () => undefined }));
    expect(calls).toBe(1);
    expect(end.how).toBe('could not be started');
    expect((end.spawnError as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
