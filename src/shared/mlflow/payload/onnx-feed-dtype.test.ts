import { describe, expect, it } from 'vitest';
import type { Frame, NdArray } from './frame';
import { feedMismatches } from './onnx-feed-dtype';

const nd = (dtype: string): NdArray => ({ kind: 'ndarray', dtype, shape: [1], data: [0] });
const frame = (...dtypes: [string, string][]): Frame => ({ kind: 'frame', nrows: 1, columns: dtypes.map(([name, dtype]) => ({ name, dtype, values: [0], path: () => '$' })) });
const x = [{ name: 'x', elemType: 'float' }];

describe('feedMismatches: the feeds onnxruntime refuses for their element type', () => {
  it('float64 for a float input is cast (mlflow issue 1286); int64, int32 and bool are not', () => {
    expect(feedMismatches(x, nd('float64'))).toEqual([]);
    expect(feedMismatches(x, nd('float32'))).toEqual([]);
    expect(feedMismatches(x, nd('int64'))).toEqual([{ input: 'x', dtype: 'int64', expected: 'float' }]);
    expect(feedMismatches(x, nd('bool'))).toEqual([{ input: 'x', dtype: 'bool', expected: 'float' }]);
    // only the float input gets the cast: float64 for a double is fine, for an int64 input it is refused
    expect(feedMismatches([{ name: 'x', elemType: 'double' }], nd('float64'))).toEqual([]);
    expect(feedMismatches([{ name: 'x', elemType: 'int64' }], nd('float64'))).toEqual([{ input: 'x', dtype: 'float64', expected: 'int64' }]);
  });
  it("a one-input model gets the frame's values in pandas' common dtype; several inputs get a column each", () => {
    expect(feedMismatches(x, frame(['a', 'int64'], ['b', 'float64']))).toEqual([]); // int64 + float64 → float64 → float32
    expect(feedMismatches(x, frame(['a', 'int64'], ['b', 'int32']))).toEqual([{ input: 'x', dtype: 'int64', expected: 'float' }]);
    const two = [{ name: 'a', elemType: 'float' }, { name: 'b', elemType: 'int64' }];
    expect(feedMismatches(two, frame(['a', 'float64'], ['b', 'int64']))).toEqual([]);
    expect(feedMismatches(two, frame(['a', 'int64'], ['b', 'int64']))).toEqual([{ input: 'a', dtype: 'int64', expected: 'float' }]);
  });
  it('strings, objects and non-tensor inputs are left to onnxruntime', () => {
    expect(feedMismatches(x, nd('object'))).toEqual([]);
    expect(feedMismatches([{ name: 'x', elemType: 'string' }], nd('int64'))).toEqual([]);
    expect(feedMismatches([{ name: 'x', elemType: null }], nd('int64'))).toEqual([]);
  });
});
