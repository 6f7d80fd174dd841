import { describe, expect, it } from 'vitest';
import { clipLongLines } from './clip-lines';

describe('clipLongLines', () => {
  it('cuts each long line and says how many characters were cut, keeping short lines and line breaks', () => {
    expect(clipLongLines(`abc\n${'x'.repeat(10)}\nde\n`, 4)).toBe('abc\nxxxx… (6 more characters)\nde\n');
  });
  it('returns short text unchanged', () => {
    const text = 'ValueError: could not convert\nline 2';
    expect(clipLongLines(text)).toBe(text);
  });
  it('a 50 MB one-line log becomes a line of a few thousand characters, in linear time', () => {
    const log = `ValueError: could not convert string to float: '${'x'.repeat(50_000_000)}'`;
    const t0 = performance.now();
    const clipped = clipLongLines(log);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(clipped.length).toBeLessThan(4_100);
    expect(clipped).toMatch(/^ValueError: could not convert string to float: 'x+… \(49996049 more characters\)$/);
  });
});
