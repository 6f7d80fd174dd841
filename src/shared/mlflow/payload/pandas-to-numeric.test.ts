import { describe, expect, it } from 'vitest';
import { pandasToNumeric } from './pandas-to-numeric';
import { PyFloat } from './py-json';
import type { Cell } from './frame';

// Expected values: pandas 1.5.3's own `pd.to_numeric(pd.Series(v, dtype=object), errors='raise')`.
describe('pandasToNumeric = pd.to_numeric of an object column (pandas 1.5 maybe_convert_numeric)', () => {
  it.each<[string, Cell[], string, unknown[]]>([
    ['ints and an integral float (the int fast path)', [1, new PyFloat(2)], 'int64', [1, 2]],
    ['a numeric string and a float', ['1', 2.5], 'float64', [1, 2.5]],
    ['an empty list is NaN (convert_empty)', [[], 1.5], 'float64', [NaN, 1.5]],
    ['integer strings', ['3', '4'], 'int64', [3, 4]],
    ['bools', [true, false], 'bool', [true, false]],
    ['an int then a bool', [1, true], 'int64', [1, 1]],
  ])('%s', (_, values, dtype, want) => {
    const r = pandasToNumeric(values);
    expect(r.dtype).toBe(dtype);
    expect(r.values).toEqual(want);
  });
  it.each<[Cell[], string]>([
    [[null, 'x'], 'Unable to parse string "x" at position 1'],
    [[new Map([['a', 1]])], 'Invalid object type at position 0'],
    [[0.2, [1]], 'Invalid object type at position 1'],
  ])('%j fails with pandas\' words', (values, text) => {
    expect(() => pandasToNumeric(values)).toThrow(text);
  });
});

describe('pandasToNumeric of a hostile cell', () => {
  it('a long digit run that fails at its end is refused in pandas\' words at once', { timeout: 5_000 }, () => {
    // xstrtod's pattern split the digits between `\d+` and `\d*` every way: 100 000 digits took over 15 s
    const cell = `${'1'.repeat(200_000)}x`;
    expect(() => pandasToNumeric([cell])).toThrow(`Unable to parse string "${cell}" at position 0`);
    expect(pandasToNumeric(['1.', '.5', ' 2e3 ']).values).toEqual([1, 0.5, 2000]);
  });
});
