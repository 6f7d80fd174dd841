/**
 * The one-column records writer (the common prediction: one output → `[{"variable": 152.1}, …]`)
 * must write exactly the text of the general row-by-row writer, for every dtype and both encoders.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PyFloat } from '../payload/py-json';
import type { Cell } from '../payload/frame';
import type { FrameColumn, NdArrayValue } from './prediction';
import { azureBodyText, jsonableText, mlflowBodyText, recordsByRow } from './serialize';

const special = [NaN, Infinity, -Infinity, -0, 0, 1, 2 ** 53, 1e16, 1e-4, 9.999e-5, 5e-324, 1.7976931348623157e308, 0.1, 100, 152.13348388671875];
const doubles = fc.oneof(fc.double(), fc.constantFrom(...special), fc.integer({ min: -1e6, max: 1e6 }));

const values: fc.Arbitrary<NdArrayValue> = fc.oneof(
  fc.array(doubles, { minLength: 1, maxLength: 30 }).map((xs) => ({ kind: 'ndarray' as const, dtype: 'float32', shape: [xs.length], data: Float32Array.from(xs) })),
  fc.array(doubles, { minLength: 1, maxLength: 30 }).map((xs) => ({ kind: 'ndarray' as const, dtype: 'float64', shape: [xs.length], data: Float64Array.from(xs) })),
  fc.array(fc.integer(), { minLength: 1, maxLength: 30 }).map((xs) => ({ kind: 'ndarray' as const, dtype: 'int32', shape: [xs.length], data: Int32Array.from(xs) })),
  fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: 1, maxLength: 30 }).map((xs) => ({ kind: 'ndarray' as const, dtype: 'int64', shape: [xs.length], data: BigInt64Array.from(xs) })),
  fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }).map((xs) => ({ kind: 'ndarray' as const, dtype: 'bool', shape: [xs.length], data: Uint8Array.from(xs.map(Number)) })),
  fc
    .array(fc.oneof(fc.string({ maxLength: 4 }), doubles, fc.constant(null), doubles.map((x) => new PyFloat(x)), fc.constant(new Map([['a', 1.5]]))), { minLength: 1, maxLength: 30 })
    .map((xs) => ({ kind: 'ndarray' as const, dtype: 'object', shape: [xs.length], data: xs as Cell[] })),
);
const column: fc.Arbitrary<FrameColumn> = fc.tuple(fc.oneof(fc.constantFrom('variable', '0', 'prob"é\n'), fc.string({ maxLength: 5 })), values).map(([name, v]) => ({ name, values: v }));

function text(f: () => string): { ok: true; text: string } | { ok: false; error: string } {
  try {
    return { ok: true, text: f() };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

describe('one-column records: the direct writer equals the row-by-row writer', () => {
  it('same text (or the same TypeError) for any dtype, name and encoder', () => {
    fc.assert(
      fc.property(column, fc.constantFrom('numpy' as const, 'plain' as const), (col, enc) => {
        const nrows = col.values.data.length;
        const direct = text(() => jsonableText({ kind: 'dataframe', nrows, columns: [col] }, enc));
        expect(direct).toEqual(text(() => recordsByRow(nrows, [col], enc)));
      }),
      { numRuns: 3_000 },
    );
  });

  it('writes a float32 prediction the way Python prints it, in both servers', () => {
    const p = { kind: 'dataframe' as const, nrows: 3, columns: [{ name: 'variable', values: { kind: 'ndarray' as const, dtype: 'float32', shape: [3], data: Float32Array.from([152.1, 2, NaN]) } }] };
    expect(azureBodyText(p)).toEqual({ ok: true, text: '[{"variable": 152.10000610351562}, {"variable": 2.0}, {"variable": NaN}]' });
    expect(mlflowBodyText(p)).toEqual({ ok: true, text: '{"predictions": [{"variable": 152.10000610351562}, {"variable": 2.0}, {"variable": NaN}]}' });
  });
});
