/**
 * Datetime strings as numpy 1.24 (`np.array([s], dtype="datetime64[ns]")`) and pandas 1.5
 * (`Series(object).astype("datetime64[ns]")`) read them; every expectation is the machine's numpy/pandas output
 * (Debian bookworm), and the request-level ones the real MLflow 2.7.1 / 2.12.2 answers (test/fixtures/fidelity/fresh/typed.jsonl).
 */
import { describe, expect, it } from 'vitest';
import { NaT, Timestamp } from './cells';
import { numpyDatetimeFromStr, pandasDatetimeFromStr } from './datetime-strings';
import { PyError } from './frame';
import { validateRequest } from './validate';
import { cols } from './test-signatures';

const errOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof PyError ? `${e.pyType}: ${e.message}` : String(e);
  }
  return 'no error';
};
const iso = (t: unknown): string => (t instanceof Timestamp ? t.iso('T') : 'NaT');

describe("numpy's parse_iso_8601_datetime", () => {
  it('reads ISO forms of any precision, a zone as an offset to UTC, and empty / any-case NaT as NaT', () => {
    expect(iso(numpyDatetimeFromStr('2024-01-15T10:30:00.123456789'))).toBe('2024-01-15T10:30:00.123456789');
    expect(iso(numpyDatetimeFromStr('2024-01-15T10'))).toBe('2024-01-15T10:00:00');
    expect(iso(numpyDatetimeFromStr('2024'))).toBe('2024-01-01T00:00:00');
    expect(iso(numpyDatetimeFromStr(' 2024-01-15'))).toBe('2024-01-15T00:00:00');
    expect(iso(numpyDatetimeFromStr('2024-01-15T10:30:00+02:00'))).toBe('2024-01-15T08:30:00');
    for (const s of ['', 'NaT', 'nat', 'NAT']) expect(numpyDatetimeFromStr(s)).toBe(NaT);
    expect(iso(numpyDatetimeFromStr('today', new Date(Date.UTC(2026, 11, 3, 18, 4, 47, 500))))).toBe('2026-12-03T00:00:00');
    expect(iso(numpyDatetimeFromStr('now', new Date(Date.UTC(2026, 11, 3, 18, 4, 47, 500))))).toBe('2026-12-03T18:04:47');
  });
  it('wraps a year past datetime64[ns] silently (20240115 is a year, not an error)', () => {
    expect(iso(numpyDatetimeFromStr('2262-04-12'))).toBe('1677-09-21T00:25:26.290448384');
    expect(iso(numpyDatetimeFromStr('20240115'))).toBe('1684-09-14T14:40:27.903950848');
  });
  it("fails in numpy's words: the field out of range, or the byte position where parsing stopped", () => {
    expect(errOf(() => numpyDatetimeFromStr('2024-13-01'))).toBe('ValueError: Month out of range in datetime string "2024-13-01"');
    expect(errOf(() => numpyDatetimeFromStr('2024-02-30'))).toBe('ValueError: Day out of range in datetime string "2024-02-30"');
    expect(errOf(() => numpyDatetimeFromStr('2024-01-15T25:00:00'))).toBe('ValueError: Hours out of range in datetime string "2024-01-15T25:00:00"');
    expect(errOf(() => numpyDatetimeFromStr('2024-01-15T10:60'))).toBe('ValueError: Minutes out of range in datetime string "2024-01-15T10:60"');
    expect(errOf(() => numpyDatetimeFromStr('  2024-01-15  '))).toBe('ValueError: Error parsing datetime string "  2024-01-15  " at position 13');
    expect(errOf(() => numpyDatetimeFromStr('2024-W03'))).toBe('ValueError: Error parsing datetime string "2024-W03" at position 5');
    expect(errOf(() => numpyDatetimeFromStr('15/01/2024'))).toBe('ValueError: Error parsing datetime string "15/01/2024" at position 2');
    expect(errOf(() => numpyDatetimeFromStr('2024-1-5'))).toBe('ValueError: Error parsing datetime string "2024-1-5" at position 5');
    expect(errOf(() => numpyDatetimeFromStr('2024-01-15t10:30'))).toBe('ValueError: Error parsing datetime string "2024-01-15t10:30" at position 10');
  });
});

describe("pandas 1.5's astype('datetime64[ns]') of an object column (tslib array_to_datetime)", () => {
  it("reads '' and nat_strings as NaT and trims spaces", () => {
    for (const s of ['', 'NaT', 'nan', 'NAN']) expect(pandasDatetimeFromStr(s, 0)).toBe(NaT);
    expect(iso(pandasDatetimeFromStr('  2024-01-15  ', 0))).toBe('2024-01-15T00:00:00');
  });
  it('names the position, the field out of range in datetime() words, and the datetime64[ns] bounds', () => {
    expect(errOf(() => pandasDatetimeFromStr('2024-02-30', 0))).toBe('ParserError: day is out of range for month: 2024-02-30 present at position 0');
    expect(errOf(() => pandasDatetimeFromStr('2024-13-01', 0))).toBe('ParserError: month must be in 1..12: 2024-13-01 present at position 0');
    expect(errOf(() => pandasDatetimeFromStr('2024-01-15T25:00:00', 0))).toBe('ParserError: hour must be in 0..23: 2024-01-15T25:00:00 present at position 0');
    expect(errOf(() => pandasDatetimeFromStr('garbage', 1))).toBe('ParserError: Unknown string format: garbage present at position 1');
    expect(errOf(() => pandasDatetimeFromStr('1677-09-21', 1))).toBe('OutOfBoundsDatetime: Out of bounds nanosecond timestamp: 1677-09-21 00:00:00 present at position 1');
    expect(errOf(() => pandasDatetimeFromStr('0001-01-01', 0))).toBe('OutOfBoundsDatetime: Out of bounds nanosecond timestamp: 1-01-01 00:00:00 present at position 0');
  });
});

describe('datetime and binary columns in requests (real MLflow answers)', () => {
  const TYPED = cols({ x: 'double', when: 'datetime', blob: 'binary', n: 'long' });
  const run = (body: unknown, v: string) => validateRequest({ body: JSON.stringify(body), contentType: 'application/json', server: 'mlflow', mlflowVersion: v, signature: TYPED });
  const msg = (r: { body: unknown }): string => (r.body as { message: string }).message;
  it('2.12 instances records: the per-record datetime64 scalars stack into a datetime64 column (no "Could not convert object")', () => {
    const body = { instances: [{ x: 0.25, when: '2024-01-15 10:30:00', blob: 'aGVsbG8=', n: 3 }, { x: 1.5, when: '2023-12-31T00:00:00.000', blob: 'AP8=', n: 7 }] };
    for (const v of ['2.7.1', '2.12.2']) expect(run(body, v).ok, v).toBe(true);
  });
  it('a bool in a datetime column on the inputs path is 0/1 ns; a non-ASCII str in a binary one is numpy\'s UnicodeEncodeError (2.12)', () => {
    expect(run({ inputs: { x: [0.25], when: [true], blob: ['YQ=='], n: [3] } }, '2.12.2').ok).toBe(true);
    expect(msg(run({ inputs: [{ x: 0.25, when: '2024-01-15', blob: 'été', n: 3 }] }, '2.12.2'))).toBe("Invalid input. 'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)");
  });
  it("a binary column that fails to decode names the type as str(object): '<class 'object'>'", () => {
    expect(msg(run({ dataframe_split: { columns: ['x', 'when', 'blob', 'n'], data: [[0.25, '2024-01-15', null, 3]] } }, '2.7.1'))).toBe(
      "Data is not compatible with model signature. Failed to convert column blob to type '<class 'object'>'. Error: 'TypeError('encoding without a string argument')'",
    );
  });
});

describe('a datetime column mixing UTC offsets (pandas 1.5.3 convert_timezone, real 2.7.1 / 2.12.2 answers in fresh2/typed.jsonl)', () => {
  const TYPED = cols({ x: 'double', when: 'datetime', blob: 'binary', n: 'long' });
  const split = (whens: string[]): string =>
    JSON.stringify({ dataframe_split: { columns: ['x', 'when', 'blob', 'n'], data: whens.map((w) => [0.25, w, 'aGVsbG8=', 3]) } });
  const run = (whens: string[], v = '2.7.1') => validateRequest({ body: split(whens), contentType: 'application/json', server: 'mlflow', mlflowVersion: v, signature: TYPED });
  const msg = (r: { body: unknown }): string => (r.body as { message: string }).message;
  const cast = (e: string): string => `Data is not compatible with model signature. Failed to convert column when to type 'datetime64[ns]'. Error: '${e}'`;
  it('refuses a naive time after an aware one, and an aware one after a naive one or with another offset, in their own words', () => {
    expect(msg(run(['2024-01-15T10:30:00.000Z', '2024-01-15']))).toBe(cast("ValueError('Cannot mix tz-aware with tz-naive values')"));
    expect(msg(run(['2024-01-15T10:30:00+0200', '2024-01-15'], '2.12.2'))).toBe(`Invalid input. ${cast("ValueError('Cannot mix tz-aware with tz-naive values')")}`);
    expect(msg(run(['2024-01-15', '2024-01-15T10:30:00Z']))).toBe(cast("ValueError('Tz-aware datetime.datetime cannot be converted to datetime64 unless utc=True')"));
    expect(msg(run(['2024-01-15T10:30:00+02:00', '2024-01-16T00:00:00Z']))).toBe(cast("ValueError('Tz-aware datetime.datetime cannot be converted to datetime64 unless utc=True')"));
  });
  it('accepts one offset throughout (Z and +00:00 are the same), with gaps; a string it cannot read is reported first', () => {
    expect(run(['2024-01-15T10:30:00Z', '2024-01-16T00:00:00+00:00', '', 'NaT']).ok).toBe(true);
    expect(run(['2024-01-15T10:30:00+02:00', '2024-01-16T00:00:00+02:00']).ok).toBe(true);
    expect(msg(run(['2024-01-15T10:30:00Z', '2024-01-15', 'bogus']))).toBe(cast("ParserError('Unknown string format: bogus present at position 2')"));
  });
});

describe('a hostile datetime cell', () => {
  it('a date and a long blank run that fails at its end is no datetime, decided at once', { timeout: 5_000 }, () => {
    // `\s*(offset)?\s*$` split the blanks every way: a date and 100 000 spaces took over 15 s
    const cell = `2020-01-01 ${' '.repeat(200_000)}x`;
    expect(() => pandasDatetimeFromStr(cell, 0)).toThrow(`Unknown string format: ${cell} present at position 0`);
    expect(pandasDatetimeFromStr(`2020-01-01T10:30 ${' '.repeat(1_000)}+01:00  `, 0)).toEqual(pandasDatetimeFromStr('2020-01-01T09:30', 0));
  });
});
