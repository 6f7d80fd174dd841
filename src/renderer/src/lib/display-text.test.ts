import { describe, expect, it } from 'vitest';
import { clippedNote, displayText } from './display-text';

describe('displayText', () => {
  it('shows short text whole', () => {
    expect(displayText('abc')).toEqual({ shown: 'abc', clippedFrom: null });
    expect(clippedNote(displayText('abc'))).toBeNull();
  });

  it('shows a prefix of long text, ending at a line break near the limit, and says how much there is', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const d = displayText(text, 100);
    expect(d.clippedFrom).toBe(text.length);
    expect(d.shown.length).toBeLessThanOrEqual(100);
    expect(text.startsWith(d.shown)).toBe(true);
    expect(d.shown.endsWith('\n')).toBe(false);
    expect(clippedNote(d)).toMatch(/^Showing the first \d+ of 8\u202f889 characters .*Copy copies the whole text\.$/);
  });
});
