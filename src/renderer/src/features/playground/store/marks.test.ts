import { describe, expect, it } from 'vitest';
import { acceptedValidation } from './test-support';
import { marksOf } from './marks';

const base = acceptedValidation;

const body = '{\n  "input_data": {"columns": ["age", "bmi"], "data": [[1, "oops"]]}\n}';

describe('marksOf', () => {
  it('marks a warning at its JSON path', () => {
    const m = marksOf(body, { ...base, warnings: [{ code: 'int-to-float', message: 'int becomes float', path: '$.input_data.data[0][0]' }] }, ['age', 'bmi']);
    expect(m).toHaveLength(1);
    expect(body.slice(m[0]!.from, m[0]!.to)).toBe('1');
    expect(m[0]!.severity).toBe('warning');
  });

  it('marks the quoted bad value a rejection names', () => {
    const r = { ...base, ok: false, status: 500, server_log: "Traceback …\nValueError: could not convert string to float: 'oops'" };
    const [m] = marksOf(body, r, ['age', 'bmi']);
    expect(body.slice(m!.from, m!.to)).toBe('"oops"');
    expect(m!.message).toBe("500: ValueError: could not convert string to float: 'oops'");
  });

  it('marks the column a rejection names, else the first line', () => {
    const named = marksOf(body, { ...base, ok: false, status: 400, body: { message: 'Incompatible input types for column bmi' } }, ['age', 'bmi']);
    expect(body.slice(named[0]!.from, named[0]!.to)).toBe('"bmi"');
    const vague = marksOf(body, { ...base, ok: false, status: 400, body: { message: 'bad' } }, ['age']);
    expect(body.slice(vague[0]!.from, vague[0]!.to)).toBe('{');
  });
});
