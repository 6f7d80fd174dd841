/**
 * pandas 1.5's str(DataFrame) as a scoring server prints it (docs/fidelity.md §2, "2.12's 'Failed to predict
 * data'"), and the MultiIndex labels behind it. Expected texts are pandas 1.5.3's own output (Debian bookworm);
 * test/integration/frame-repr-pandas.test.ts compares random frames with that pandas directly.
 */
import { describe, expect, it } from 'vitest';
import { frameFromSplit, type Column, type PyTuple, type Frame } from './frame';
import { NaT, Timestamp } from './cells';
import { frameStr, keptAfterFitting } from './frame-repr';
import { parseCsvFrame } from './csv';
import { parsePyJson, type PyDict } from './py-json';
import { pyRepr } from './py-repr';

const split = (json: string): Frame => {
  const d = parsePyJson(json) as PyDict;
  return frameFromSplit(d.get('data')!, d.get('columns'), d.get('index'), '$');
};

describe('frameStr: the display options of a server process', () => {
  it('fits 80 columns (display.max_columns 0 outside a terminal): middle columns become "...", with the dimensions', () => {
    const f = split('{"columns": ["a long column name 0", "a long column name 1", "a long column name 2", "a long column name 3", "a long column name 4", "a long column name 5"], "data": [[1.5, 2, "x", true, -0.25, "y"]]}');
    expect(frameStr(f)).toBe('   a long column name 0  ...  a long column name 5\n0                   1.5  ...                     y\n\n[1 rows x 6 columns]');
  });
  it('keeps the cells 50 wide (display.max_colwidth) under a header wider than that: adjoin pads them on the right, and the "..." row too', () => {
    // printed by Debian's pandas 1.5.3 (display.max_columns 0, width 80)
    expect(frameStr(split(`{"columns": ["a", "${'h'.repeat(60)}"], "data": [[1.5, "x"], [22.25, "yy"]]}`))).toBe("       a hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh\n0   1.50                                                  x          \n1  22.25                                                 yy          ");
    const long = split(`{"columns": ["${'h'.repeat(60)}", "n"], "data": [${Array.from({ length: 70 }, (_, i) => `[${i * 1.5}, ${i}]`).join(', ')}]}`);
    expect(frameStr(long)).toBe("    hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh   n\n0                                                 0.0              0\n1                                                 1.5              1\n2                                                 3.0              2\n3                                                 4.5              3\n4                                                 6.0              4\n..                                                ...             ..\n65                                               97.5             65\n66                                               99.0             66\n67                                              100.5             67\n68                                              102.0             68\n69                                              103.5             69\n\n[70 rows x 2 columns]");
  });
  it('cuts a cell wider than display.max_colwidth (50) to 47 characters and "..."', () => {
    expect(frameStr(split(`{"columns": ["s"], "data": [["${'z'.repeat(60)}"]]}`))).toBe(`${' '.repeat(51)}s\n0  ${'z'.repeat(46)}...`);
  });
  it('measures and pads names, labels and cells in code points, as Python len() does (an emoji is one, not two)', () => {
    // printed by Debian's pandas 1.5.3: the emoji header is right-justified to width 3, the 60-emoji cell (with its leading space) cut to 47 code points + "..."
    const f = split(`{"columns": ["\u{1F600}", "city", "long"], "index": ["\u00e9", "\u{1D518}"], "data": [[3, "\u{1F680}x", "${'\u{1F600}'.repeat(60)}"], [70, "tokyo", "a"]]}`);
    expect(frameStr(f)).toBe(
      `    \u{1F600}   city                                               long\n\u00e9   3     \u{1F680}x  ${'\u{1F600}'.repeat(46)}...\n\u{1D518}  70  tokyo                                                  a`,
    );
  });
  it('escapes a tab, CR or LF in column names, row labels and object cells as pandas pprint_thing does (not in an empty frame)', () => {
    expect(frameStr(split('{"columns": ["a\\tb", "c"], "index": ["r\\t1", "r2"], "data": [["x\\ny", 1], ["p\\rq", 2]]}'))).toBe('      a\\tb  c\nr\\t1  x\\ny  1\nr2    p\\rq  2');
    expect(frameStr(parseCsvFrame('a\tb\n1\t2\n', null))).toBe('   a\\tb\n0  1\\t2');
    expect(frameStr(split('{"columns": ["a\\tb"], "data": []}'))).toBe('Empty DataFrame\nColumns: [a\tb]\nIndex: []');
  });
  it("makes a CSV line's k extra first fields a k-level row MultiIndex (pandas leading_cols)", () => {
    expect(frameStr(parseCsvFrame('a\n3;1,0,5\n70,0,3\n', null))).toBe('       a\n3;1 0  5\n70  0  3');
    expect(frameStr(parseCsvFrame('a,b\nx,1,2,3\ny,1.5,4,5\nx,,6,7\n', null))).toBe('       a  b\nx 1.0  2  3\ny 1.5  4  5\nx NaN  6  7');
    expect(frameStr(parseCsvFrame('a\n1,2,3\n', null))).toBe('     a\n1 2  3');
  });
  it('prints a datetime64 column with one fraction width for all values (3/6/9 digits), dates alone at midnight, no leading space', () => {
    const dt = (name: string, values: (bigint | null)[]): Column => ({ name, dtype: 'datetime64[ns]', values: values.map((v) => (v === null ? NaT : new Timestamp(v))), path: () => '' });
    const f: Frame = {
      kind: 'frame', nrows: 3,
      columns: [
        dt('w', [1705314600000n, 1705276800000000000n, null]),
        dt('d', [1705276800000000000n, 1672531200000000000n, null]),
        dt('u', [1705312800500000000n, 1672531200000000000n, null]),
      ],
    };
    // pandas 1.5.3: str(pd.DataFrame({'w': pd.to_datetime([1705314600000, 1705276800000000000, None]), …}))
    expect(frameStr(f)).toBe('                           w          d                       u\n0 1970-01-01 00:28:25.314600 2024-01-15 2024-01-15 10:00:00.500\n1 2024-01-15 00:00:00.000000 2023-01-01 2023-01-01 00:00:00.000\n2                        NaT        NaT                     NaT');
  });
  it("prints a CSV line's extra first field as the row label", () => {
    expect(frameStr(parseCsvFrame('a,b\nr1,1,2\nr2,3,4\n', null))).toBe('    a  b\nr1  1  2\nr2  3  4');
  });
  it('prints every level of nested labels on its own line, NaN for a missing one, no leading space over numbers', () => {
    const f = split('{"columns": [["age", "bmi", "bp"], ["g", "g", "h"], [1, null, -3]], "data": [[0.5, 1, 2], [0.25, 3, 4]]}');
    expect(frameStr(f)).toBe('    age bmi bp\n      g   g  h\n      1 NaN -3\n0  0.50   1  2\n1  0.25   3  4');
  });
});

describe('frameStr: a list of lists as `index` is a row MultiIndex (pandas 1.5.3 texts)', () => {
  it('prints one column per level, blanks a label repeating the row above (and every level to its left), never the last level', () => {
    const f = split('{"columns": [["age", "bmi"], ["h", "h"]], "index": [["g0", "g0", "g0", "g1", "g1", "g1"], [1, 1, 2, 2, 3, 3], [true, false, true, true, false, false]], "data": [[1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [1, 2]]}');
    expect(frameStr(f)).toBe('           age bmi\n             h   h\ng0 1 True    1   2\n     False   1   2\n   2 True    1   2\ng1 2 True    1   2\n   3 False   1   2\n     False   1   2');
  });
  it('formats an int level with a missing value as ints with NaN, and lists the tuples of an empty frame', () => {
    expect(frameStr(split('{"columns": ["x"], "index": [["a", "a", "b"], [1, null, 2]], "data": [[0.5], [1.5], [2]]}'))).toBe('         x\na 1    0.5\n  NaN  1.5\nb 2    2.0');
    expect(frameStr(split('{"columns": [], "index": [["a", "a"], [1, 2]], "data": [[], []]}'))).toBe('Empty DataFrame\nColumns: []\nIndex: [(a, 1), (a, 2)]');
  });
  it('re-infers a flat object index cut to its head and tail rows (Index._concat → _with_infer)', () => {
    const labels = ['1', '1', 'null', '1', '1', ...Array<string>(60).fill('"s"'), '1', 'null', '2', '2', '2'];
    const f = split(`{"columns": ["x"], "index": [${labels.join(', ')}], "data": [${labels.map(() => '[1]').join(', ')}]}`);
    expect(frameStr(f)).toBe('     x\n1.0  1\n1.0  1\nNaN  1\n1.0  1\n1.0  1\n..  ..\n1.0  1\nNaN  1\n2.0  1\n2.0  1\n2.0  1\n\n[70 rows x 1 columns]');
  });
  it('refuses levels of unequal length and lists as level values, as pandas does', () => {
    expect(() => split('{"columns": ["x"], "index": [[1, 2], [3]], "data": [[1], [2]]}')).toThrow('all arrays must be same length');
    expect(() => split('{"columns": ["x"], "index": [[[1], [2]], [3, 4]], "data": [[1], [2]]}')).toThrow("unhashable type: 'list'");
  });
});

describe('MultiIndex levels are factorized (pandas MultiIndex.from_arrays → Categorical)', () => {
  const labels = (columns: string): string[] => split(`{"columns": ${columns}, "data": [[1, 2, 3]]}`).columns.map((c) => pyRepr(c.name as PyTuple));
  it('an int level with a missing value gives float tuples, and None is nan', () => {
    expect(labels('[["age", "bmi", "bp"], ["g", "g", "h"], [1, null, -3]]')).toEqual(["('age', 'g', 1.0)", "('bmi', 'g', nan)", "('bp', 'h', -3.0)"]);
  });
  it("values equal in Python share the first one seen (True == 1), and the remaining ones decide the dtype", () => {
    expect(labels('[["a", "b", "c"], [true, 1, 0]]')).toEqual(["('a', True)", "('b', True)", "('c', 0)"]);
    expect(labels('[["a", "b", "c"], [12, 0, false]]')).toEqual(["('a', 12)", "('b', 0)", "('c', 0)"]);
  });
  it("a list as a label is unhashable (the server's 'not a valid dataframe representation')", () => {
    expect(() => labels('[[["a"], ["b"], ["c"]], ["x", "y", "z"]]')).toThrow("unhashable type: 'list'");
  });
});

describe('fitting the columns to 80 characters (pandas `_fit_strcols_to_terminal_width`)', () => {
  /** pandas' own loop: drop the column at round(len / 2) until the adjoined width fits (Python's round: half to even). */
  function pandasKept(lens: number[]): number {
    const l = [...lens];
    let adjDif = l.reduce((a, w) => a + w, 0) + l.length - 1 - 80 + 1;
    while (adjDif > 0 && l.length > 1) {
      const half = l.length / 2;
      const mid = Math.abs(half % 1) === 0.5 && Math.round(half) % 2 !== 0 ? Math.round(half) - 1 : Math.round(half);
      adjDif -= l[mid]! + 1;
      l.splice(mid, 1);
    }
    return l.length;
  }

  it('keeps as many columns as the one-at-a-time loop, for every count of columns up to 3 000', () => {
    let seed = 3;
    const rand = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    for (let n = 1; n <= 3000; n++) {
      const lens = Array.from({ length: n }, () => 1 + rand(rand(4) === 0 ? 40 : 6));
      expect(keptAfterFitting(lens), `${n} columns`).toBe(pandasKept(lens));
    }
  });

  it('prints a frame of 200 000 columns in linear time, the middle ones cut', () => {
    const n = 200_000;
    const split = parsePyJson(`{"columns": [${Array.from({ length: n }, (_, k) => `"c${k}"`).join(', ')}], "data": [[${Array.from({ length: n }, (_, k) => k % 7).join(', ')}]]}`) as PyDict;
    const text = frameStr(frameFromSplit(split.get('data')!, split.get('columns'), undefined, '$'));
    expect(text.split('\n')[0]).toMatch(/^ {3}c0 {2}c1 .* \.\.\. .* c199999$/);
    expect(text.endsWith('[1 rows x 200000 columns]')).toBe(true);
  });
});
