/**
 * The rules the fourth fresh suite found (docs/fidelity.md §"A row of another kind", §"JSON nesting"), through
 * `validateRequest` (the emulated server). Expected texts and statuses are the real servers'
 * (test/fixtures/fidelity/fresh4, and the depths measured on the real 2.7.1 / 2.12.2 servers).
 */
import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidationResult } from './validate';
import { cols, tensor, tensors } from './test-signatures';
import type { Signature } from '../model-report';
import { frameFromDictOfLists } from './frame';
import type { PyDict } from './py-json';

const REG = cols({ age: 'double', bmi: 'double', bp: 'double' });
const ROW = [0.03, 0.06, 0.02];
const REC = { age: 0.03, bmi: 0.06, bp: 0.02 };
const run = (body: unknown, signature: Signature | null, version = '2.12.2'): ValidationResult =>
  validateRequest({ body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;

describe('pandas decides a list of rows by its first row (pandas 1.5.3 treat_as_nested / to_arrays)', () => {
  it('records: a row that is not a dict after a dict has no keys()', () => {
    for (const [row, type] of [[null, 'NoneType'], ['x', 'str'], [[], 'list'], [1, 'int']] as const) {
      const r = run({ dataframe_records: [REC, row] }, REG, '2.7.1');
      expect(r.status).toBe(400);
      expect(msgOf(r)).toBe(`Provided dataframe_records field is not a valid dataframe representation in 'records' format. Error: ''${type}' object has no attribute 'keys''`);
    }
  });
  it('a list first: later dicts give their keys, so the columns are 0..n-1 and every input is missing', () => {
    const r = run({ dataframe_records: [[1], REC] }, REG, '2.7.1');
    expect(r.status).toBe(500);
    expect(msgOf(r)).toBe("Model is missing inputs ['age', 'bmi', 'bp']. Note that there were extra inputs: [0, 1, 2]");
  });
  it('split: a scalar first row makes one object column; a dict first row is dict(row) for the others', () => {
    expect(msgOf(run({ dataframe_split: { columns: ['age', 'bmi', 'bp'], data: ['x', ROW] } }, REG))).toBe(
      "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'Shape of passed values is (2, 1), indices imply (2, 3)'");
    expect(msgOf(run({ dataframe_split: { columns: ['age', 'bmi', 'bp'], data: [{ a: 1 }, ROW] } }, REG))).toBe(
      "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'cannot convert dictionary update sequence element #0 to a sequence'");
  });
  it('split columns given as a dict are its keys (ensure_index)', () => {
    expect(run({ dataframe_split: { columns: { age: 1, bmi: 2, bp: 3 }, data: [ROW] } }, REG).ok).toBe(true);
    expect(msgOf(run({ dataframe_split: { columns: {}, data: [ROW] } }, REG, '2.7.1'))).toBe(
      "Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: '0 columns passed, passed data had 3 columns'");
  });
  it('split data as a dict: only the selected columns size the frame (none: 0 rows, and the model is called)', () => {
    const r = run({ dataframe_split: { columns: ['age', 'bmi', 'bp'], data: { 0: ROW, 1: ROW } } }, REG);
    expect(r.ok).toBe(true);
    expect((r.model_receives as { values: unknown[][] }).values).toEqual([]);
  });
});

describe('pd.DataFrame of a dict of dicts: each dict a Series on its keys (pandas 1.5.3 _extract_index / union_indexes)', () => {
  const d = (...kv: [string, unknown][]): PyDict => new Map(kv) as PyDict;
  const rowsOf = (f: ReturnType<typeof frameFromDictOfLists>): unknown[] => ((f.index as { values: unknown[] }).values);
  it("one dict's keys sorted, several dicts' keys in first-seen order (as Debian's pandas 1.5.3 prints them)", () => {
    expect(rowsOf(frameFromDictOfLists(d(['a', d(['y', 1], ['x', 2])]), null, '$'))).toEqual(['x', 'y']);
    expect(rowsOf(frameFromDictOfLists(d(['a', d(['y', 1], ['x', 2])], ['b', d(['z', 3], ['x', 4])]), null, '$'))).toEqual(['y', 'x', 'z']);
  });
  it('a list beside a dict is refused', () => {
    expect(() => frameFromDictOfLists(d(['a', d(['y', 1])], ['b', [1, 2]]), null, '$')).toThrow('Mixing dicts with non-Series may lead to ambiguous ordering.');
  });
});

describe("2.12's unified LLM key 'input' hands the dict over: pd.DataFrame of a dict of dicts, then the missing inputs", () => {
  it('a column signature names the extra key', () => {
    expect(msgOf(run({ input: { age: [1, 2], bmi: [1, 2] } }, REG))).toMatch(/Error: Model is missing inputs \['age', 'bmi', 'bp'\]\. Note that there were extra inputs: \['input'\]$/);
  });
  it('a named-tensor signature too', () => {
    const sig = tensors(tensor('float64', [-1, 2], 'a'), tensor('int64', [-1], 'b'));
    expect(msgOf(run({ input: { a: [[1, 2]], b: [3] } }, sig))).toMatch(/Error: Model is missing inputs \['a', 'b'\]\. Note that there were extra inputs: \['input'\]$/);
  });
});

describe('JSON nesting against the servers\' recursion budget (CPython 3.11, measured on the real servers)', () => {
  const nested = (d: number, leaf = ''): string => '['.repeat(d) + leaf + ']'.repeat(d);
  it('2.7.1 decodes 972 levels and refuses 973 (the unhandled RecursionError: Flask\'s 500 page)', () => {
    expect(run(nested(972), REG, '2.7.1').status).toBe(400);
    expect(run(nested(973), REG, '2.7.1').status).toBe(500);
  });
  it('2.12.2 decodes 973 levels once, but a dict body is decoded again one frame deeper', () => {
    expect(run(nested(973), REG).status).toBe(400);
    expect(run(nested(974), REG).status).toBe(500);
    const dict = (d: number): string => '{"a": '.repeat(d - 1) + '{}' + '}'.repeat(d - 1);
    expect(run(dict(972), REG).status).toBe(400);
    expect(run(dict(973), REG).status).toBe(500);
  });
  it("2.12's TF-serving parser deep-copies: 488 levels (a scalar counting one) are its RecursionError", () => {
    const recursion = "Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: RecursionError('maximum recursion depth exceeded while calling a Python object')";
    expect(msgOf(run(`{"inputs": ${nested(487, '1')}}`, REG))).toBe(recursion);
    expect(msgOf(run(`{"inputs": ${nested(486, '1')}}`, REG))).not.toBe(recursion);
    expect(msgOf(run(`{"inputs": ${nested(487)}}`, REG))).not.toBe(recursion);
  });
  it("2.12's frame printout of a cell of 952 levels is RecursionError, answered as an evaluation error", () => {
    const sig = tensors(tensor('float64', [-1, 4]));
    const body = (d: number): string => `{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": [[${nested(d, '5.1')}, 3.5, 1.4, 0.2]]}}`;
    expect(msgOf(run(body(951), sig))).toMatch(/^Encountered an unexpected error while evaluating the model/);
    expect(msgOf(run(body(950), sig))).toMatch(/^Failed to predict data/);
  });
});
