import { describe, expect, it } from 'vitest';
import { convertCsvColumn } from './pandas-csv';

const errOf = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as Error).message;
  }
};

/** Measured with Debian's pandas 1.5.3: `pd.read_csv(io.StringIO("a\n3\n<v>\n"), dtype={"a": <t>})`. */
describe('a float-looking CSV column read with an integer dtype (parsers.pyx `_convert_tokens`)', () => {
  it('keeps integral values inside the dtype’s range', () => {
    expect(convertCsvColumn(['3', '2147483648.0'], 'int64', 0).values).toEqual([3, 2147483648]);
    expect(convertCsvColumn(['3', '4294967297.0'], 'int64', 0).values).toEqual([3, 4294967297]);
    expect(convertCsvColumn(['3', '-2147483648.0'], 'int32', 0).values).toEqual([3, -2147483648]);
  });
  it('refuses a value past the range: numpy’s cast made it the minimum, which differs from the float read', () => {
    for (const [v, t] of [['2147483648.0', 'int32'], ['4294967297.0', 'int32'], ['-1e19', 'int32'], ['1e300', 'int64'], ['-1e19', 'int64'],
      // precise_xstrtod reads these as ±9.223372036854778e18, past int64
      ['9223372036854775807.0', 'int64'], ['-9223372036854775808.0', 'int64']] as const) {
      expect(errOf(() => convertCsvColumn(['3', v], t, 0)), `${v} as ${t}`).toBe(`cannot safely convert passed user dtype of ${t} for float64 dtyped data in column 0`);
    }
  });
});
