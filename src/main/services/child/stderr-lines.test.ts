import { describe, expect, it } from 'vitest';
import { StderrLines } from './stderr-lines';

function collect(chunks: string[], max?: number): string[] {
  const out: string[] = [];
  const s = new StderrLines((l) => out.push(l), max);
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe('StderrLines (a child\'s stderr as a terminal shows it)', () => {
  it('splits at newlines, with or without CR, across chunk boundaries', () => {
    expect(collect(['a\nb', 'c\r', '\nd\r\n'])).toEqual(['a', 'bc', 'd']);
  });

  it('keeps only the last state of a progress bar', () => {
    expect(collect(['\r10%', '\r20%\r', '30%', '\r100%\ndone\n'])).toEqual(['100%', 'done']);
    expect(collect(['\r1/3\r2/3\r3/3'])).toEqual(['3/3']);
  });

  it('cuts a line that never ends and says how much was left out', () => {
    expect(collect(['x'.repeat(5), 'y'.repeat(5)], 4)).toEqual(['xxxx… (6 more characters)']);
    expect(collect(['x'.repeat(10), '\rok\n'], 4)).toEqual(['ok']);
  });
});
