import { describe, expect, it } from 'vitest';
import { exampleLexemes, lexGet, parseLexemes } from './json-lexemes';

describe('parseLexemes', () => {
  it('keeps the int/float difference JSON.parse loses', () => {
    const v = parseLexemes('{"data": [[3.0, 1, 1e3, -0.5, "x", true, null, NaN]]}');
    const row = lexGet(v, 'data');
    expect(row?.t === 'arr' && row.items[0]?.t === 'arr' ? row.items[0].items.map((l) => l.t) : null)
      .toEqual(['float', 'int', 'float', 'float', 'str', 'bool', 'null', 'float']);
  });

  it.each(['{"a": [1, 2', '{"a" 1}', '', '[1,]', '{"a": 1} trailing', '['.repeat(5000)])('returns null, never throws, for %j', (text) => {
    expect(parseLexemes(text)).toBeNull();
  });

  it("reads ints from the example's text, also when it equals JSON.stringify's re-print (the file's own Python lexemes)", () => {
    const content = { data: [[3]] };
    expect(exampleLexemes({ pretty: JSON.stringify(content, null, 2), truncated: false, content })).toEqual({
      t: 'obj', entries: [['data', { t: 'arr', items: [{ t: 'arr', items: [{ t: 'int' }] }] }]],
    });
  });

  it('falls back to the parsed content (ints only as numbers) when the text was cut short', () => {
    const content = { data: [[3]] };
    expect(exampleLexemes({ pretty: '{"data": [[3', truncated: true, content })).toEqual({
      t: 'obj', entries: [['data', { t: 'arr', items: [{ t: 'arr', items: [{ t: 'num' }] }] }]],
    });
  });
});
