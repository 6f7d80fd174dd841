/**
 * Rules found by the single-value suite (test/fidelity/generate_scalars.py, recorded from the real 2.7.1, 2.12.2 and
 * 2.16.2 servers; docs/fidelity.md §7):
 * - numpy 1.24 types each Python int by its value: `np.array(2**63)` is uint64, uint64 with int64 promotes to float64,
 *   an int past uint64 (or below int64) makes an object array — no OverflowError.
 * - S2 `parse_instances_data` (2.12+): a key without a spec holding one value is a 0-d array, and the length check's
 *   `len()` of it raises TypeError('len() of unsized object') into the generic "valid JSON-formatted string" answer.
 */
import { describe, expect, it } from 'vitest';
import { ndarrayFrom } from './frame';
import { validateRequest, type ValidationResult } from './validate';
import { cols } from './test-signatures';
import type { Signature } from '../model-report';

describe('np.array of Python ints (numpy 1.24)', () => {
  it.each([
    [[2n ** 63n], 'uint64'],
    [[2n ** 63n, true], 'uint64'],
    [[2n ** 63n, 1], 'float64'],
    [[2n ** 63n, 1.5], 'float64'],
    [[2n ** 64n], 'object'],
    [[-(2n ** 63n) - 1n, 1], 'object'],
    [[2n ** 64n, 'a'], 'object'],
    [[2n ** 63n, 'a'], '<U20'],
    [[1, 2], 'int64'],
  ])('%s → %s', (values, dtype) => {
    expect(ndarrayFrom(values, null).dtype).toBe(dtype);
  });
  it('a single int past int64 is a 0-d uint64 array, not an error', () => {
    expect(ndarrayFrom(2n ** 63n, null)).toMatchObject({ dtype: 'uint64', shape: [], data: [2n ** 63n] });
  });
});

const run = (body: string, signature: Signature | null, version: string): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature });
const LEN = "Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: TypeError('len() of unsized object')";

describe('instances given as a dict of single values', () => {
  const body = '{"instances": {"age": 1, "bmi": 1, "bp": 1}}';
  it.each(['2.12.2', '2.16.2'])('%s, no signature: the length check\'s len() of a 0-d array → 400', (v) => {
    const r = run(body, null, v);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error_code: 'BAD_REQUEST', message: LEN });
  });
  it('2.16.2 with a signature: each value is a numpy scalar, not checked — the model is called', () => {
    expect(run(body, cols({ age: 'double', bmi: 'double', bp: 'double' }), '2.16.2').ok).toBe(true);
  });
  it('2.7.1, no signature: still the generic TF-serving 500', () => {
    expect(run(body, null, '2.7.1').status).toBe(500);
  });
  it('2.7.1, no signature, {"inputs": 2**63}: np.array makes a uint64 scalar array and the model is called', () => {
    const r = run('{"inputs": 9223372036854775808}', null, '2.7.1');
    expect(r.ok).toBe(true);
    expect(r.model_receives).toMatchObject({ kind: 'ndarray', dtype: 'uint64', shape: [] });
  });
});
