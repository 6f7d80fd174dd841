import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { watchProcess, type ProcessEnd } from './process-watch';

const ended = (start: () => ReturnType<typeof spawn>, endOn?: 'exit' | 'close'): Promise<{ end: ProcessEnd; calls: number; chunks: string[] }> =>
  new Promise((resolve) => {
    let calls = 0;
    const chunks: string[] = [];
    const child = start();
    watchProcess(child, {
      endOn,
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
    const { end, calls, chunks } = await ended(() => spawn(process.execPath, ['-e', 'process.stderr.write("x".repeat(40) + "FATAL: gone"); process.exit(7)'], { stdio: ['ignore', 'ignore', 'pipe'] }));
    expect(calls).toBe(1);
    expect(end).toMatchObject({ exitCode: 7, signal: null, how: 'exited with code 7', spawnError: null });
    expect(end.stderrTail).toBe('xxxxxFATAL: gone');
    expect(chunks.join('')).toContain('FATAL: gone');
  });

  it('a process killed by a signal says so', async () => {
    const { end } = await ended(() => {
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
      setTimeout(() => c.kill('SIGKILL'), 100);
      return c;
    }, 'close');
    expect(end).toMatchObject({ exitCode: null, signal: 'SIGKILL', how: 'was killed by signal SIGKILL' });
  });

  it('a program that cannot be started is one end too (Node sends no exit for it)', async () => {
    const { end, calls } = await ended(() => spawn('/nonexistent/preflight-no-such-program', [], { stdio: ['ignore', 'ignore', 'pipe'] }));
    expect(calls).toBe(1);
    expect(end.how).toBe('could not be started');
    expect((end.spawnError as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
