import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../command';
import { stderrProgress } from './progress-line';

const wasTty = process.stderr.isTTY;
afterEach(() => {
  process.stderr.isTTY = wasTty;
});

function io(env: Record<string, string> = {}): { io: CliIo; err: string[] } {
  const err: string[] = [];
  return { io: { env, stderr: (t: string) => err.push(t) } as unknown as CliIo, err };
}

describe('the progress line batch, package and compare --replay draw on stderr', () => {
  it('redraws on a terminal and ends on a fresh line (or wipes it)', () => {
    process.stderr.isTTY = true;
    const a = io();
    const bar = stderrProgress(a.io, (n: number) => `\r${n}%`);
    bar.onProgress?.(10);
    bar.onProgress?.(90);
    bar.end();
    expect(a.err).toEqual(['\r10%', '\r90%', '\n']);
    const b = io();
    const wiped = stderrProgress(b.io, (n: number) => `\r${n}%`);
    wiped.onProgress?.(1);
    wiped.end({ clear: true });
    expect(b.err.at(-1)).toBe('\r\u001b[K');
  });

  it('draws nothing when piped, on TERM=dumb, or when turned off (--json)', () => {
    process.stderr.isTTY = false;
    expect(stderrProgress(io().io, String).onProgress).toBeUndefined();
    process.stderr.isTTY = true;
    expect(stderrProgress(io({ TERM: 'dumb' }).io, String).onProgress).toBeUndefined();
    const off = io();
    const bar = stderrProgress(off.io, String, false);
    expect(bar.onProgress).toBeUndefined();
    bar.end();
    expect(off.err).toEqual([]);
  });
});
