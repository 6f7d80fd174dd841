/**
 * Python's float()/int() of text (CPython `_PyUnicode_TransformDecimalAndSpaceToASCII`, py-numtext.ts), and what it
 * decides in a real request: the MLflow 2.7.1 and 2.12.2 servers answer 200 to `"١٢"` (Arabic-Indic 12) in a
 * double column — numpy's astype(float64) of the object column calls float() — (test/fixtures/fidelity/fresh).
 */
import { describe, expect, it } from 'vitest';
import { pyFloatFromStr } from './frame';
import { pyNumberText } from './py-numtext';
import { validateRequest } from './validate';
import { cols } from './test-signatures';

describe("Python's float() and int() of non-ASCII text", () => {
  it('reads any Unicode decimal digit as its ASCII digit and any Unicode space as a space', () => {
    // python3.11: float('١٢') 12.0, float('\xa012\u3000') 12.0, float('𝟙.𝟝') 1.5, float('12\u2007') 12.0
    expect(pyFloatFromStr('\u0661\u0662')).toBe(12);
    expect(pyFloatFromStr('\u00a012\u3000')).toBe(12);
    expect(pyFloatFromStr('\u{1d7d9}.\u{1d7dd}')).toBe(1.5);
    expect(pyFloatFromStr('12\u2007')).toBe(12);
    expect(pyNumberText('\uff11\uff10')).toBe('10');
  });
  it('keeps ASCII as it is and stops at any other character (a BOM, U+180E, DEL): not a number', () => {
    for (const s of ['\ufeff1', '1\u180e', '1\x1c', '1\x7f', '\u00bd']) expect(pyFloatFromStr(s), JSON.stringify(s)).toBeNull();
  });
  it('a request with "١٢" in a double column reaches the model as 12.0, in 2.7.1 and 2.12.2', () => {
    const body = JSON.stringify({ dataframe_records: [{ age: '\u0661\u0662', bmi: 0.06, bp: 0.02 }] });
    for (const mlflowVersion of ['2.7.1', '2.12.2']) {
      const r = validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion, signature: cols({ age: 'double', bmi: 'double', bp: 'double' }) });
      expect(r.ok, mlflowVersion).toBe(true);
      expect((r.model_receives as { values: unknown[][] }).values[0]![0]).toBe(12);
    }
  });
});

describe('float() of a hostile cell', () => {
  it('a long digit run that fails at its end is no float, decided at once; the float forms still read', { timeout: 5_000 }, () => {
    // the old pattern's optional digit run, point and digit run split the digits every way: 100 000 digits took 14 s
    expect(pyFloatFromStr(`${'1'.repeat(200_000)}x`)).toBeNull();
    expect(pyFloatFromStr(`${'1_'.repeat(50_000)}1`)).toBe(Number('1'.repeat(50_001)));
    // python3.11: float('1.e5') 100000.0, float('-2.E-3') -0.002 (a point with no digits after it, then an exponent)
    expect(['1', '1.5', '.5', '1.', '1_0.2_5e-1_0', ' -2E3 ', 'inf', 'NaN', '1.e5', '-2.E-3', '1__0', '._1', '1.e', '.e5'].map(pyFloatFromStr)).toEqual([1, 1.5, 0.5, 1, 10.25e-10, -2000, Infinity, NaN, 100000, -0.002, null, null, null, null]);
  });
});
