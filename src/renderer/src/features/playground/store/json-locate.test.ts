import { describe, expect, it } from 'vitest';
import { pathKey } from '@shared/mlflow/payload/warnings';
import { lineAndColumn, locateJsonPath, parseJsonPath } from './json-locate';

const body = `{
  "input_data": {
    "columns": ["age", "sex"],
    "data": [[0.5, 1], [0.25, "x"]]
  },
  "params": {"k": {"nested": true}}
}`;

describe('locateJsonPath', () => {
  it.each([
    ['$.input_data.data[1][1]', '"x"', true],
    ['$.input_data.data[0][0]', '0.5', true],
    ['$.input_data.columns[1]', '"sex"', true],
    ['$.params.k.nested', 'true', true],
    ['$.input_data.data[1]', '[0.25, "x"]', true],
    ["$['params']['k']", '{"nested": true}', true],
    // Deeper than the text: the deepest value found.
    ['$.input_data.data[5][0]', '[[0.5, 1], [0.25, "x"]]', false],
    ['$.nope', body, false],
  ])('%s → %s', (path, text, exact) => {
    const span = locateJsonPath(body, path)!;
    expect(body.slice(span.from, span.to)).toBe(text);
    expect(span.exact).toBe(exact);
  });

  it('stops at broken JSON without throwing', () => {
    expect(locateJsonPath('{"a": [1, ', '$.a[3]')).toBeNull();
    expect(locateJsonPath('', '$')).toBeNull();
  });

  it('parses paths and reports line/column', () => {
    expect(parseJsonPath('$.dataframe_records[2].age')).toEqual(['dataframe_records', 2, 'age']);
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('reads every key the engine writes (pathKey: a JSON string when not a plain name), as pathKey wrote it', () => {
    const keys = ['age', 'a b', 'a"b', 'x]y', "it's", 'a.b', '\u2028', '[0]', ''];
    for (const k of keys) expect(parseJsonPath(pathKey(pathKey('$', 'input_data'), k)), k).toEqual(['input_data', k]);
    expect(parseJsonPath("$['single quoted'][0]")).toEqual(['single quoted', 0]);
    expect(locateJsonPath('{"a b": [1, {"x]y": 7}]}', pathKey(pathKey(pathKey('$', 'a b'), 1), 'x]y'))).toMatchObject({ exact: true });
  });

  it('a hostile key in a path is read in one pass', { timeout: 5_000 }, () => {
    // a lazy pattern between brackets backtracked over `['` × 50 000 (7.8 s at 100 000 characters)
    const hostile = `$${"['".repeat(50_000)}\u2028`;
    expect(parseJsonPath(hostile)).toEqual([]);
    expect(parseJsonPath(`$${'["'.repeat(50_000)}`)).toEqual([]);
    expect(parseJsonPath(`$${"['".repeat(50_000)}']`)).toEqual(["['".repeat(49_999)]);
  });
});
