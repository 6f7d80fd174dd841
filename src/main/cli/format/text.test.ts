import { describe, expect, it } from 'vitest';
import { truncate, warningText } from './text';

describe('truncate', () => {
  it('folds each blank run holding a line break into one ⏎, keeps other blanks, cuts with an ellipsis', () => {
    expect(truncate('a \n\t b\tc\n\nd', 100)).toBe('a ⏎ b\tc ⏎ d');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
  it('a hostile MLmodel value (a long blank run without a break) is cut at once', { timeout: 5_000 }, () => {
    // /\s*\n\s*/g re-scanned the run from each of its blanks: 100 000 tabs took 4.6 s, 200 000 about 18 s
    expect(truncate(`a${'\t'.repeat(200_000)}b`, 5)).toBe('a\t\t\t…');
  });
});

describe('warningText', () => {
  it('prints the code, the message and where it points, as validate, predict and convert all print it', () => {
    expect(warningText({ code: 'ignored-top-level-key', message: "'foo' is ignored", path: '$.foo' })).toBe("[ignored-top-level-key] 'foo' is ignored (at $.foo)");
    // the whole body is not a place worth naming
    expect(warningText({ code: 'azure-no-csv', message: 'Azure reads JSON only', path: '$' })).toBe('[azure-no-csv] Azure reads JSON only');
  });
});
