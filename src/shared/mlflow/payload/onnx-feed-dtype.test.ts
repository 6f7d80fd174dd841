import { describe, expect, it } from 'vitest';
import type { Frame, NdArray } from './frame';
import { feedMismatches, shapeMismatches, shapeText } from './onnx-feed-dtype';

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

describe('shapeMismatches: the feeds onnxruntime refuses for their shape (CheckShapes)', () => {
  const arr = (shape: number[], dtype = 'float32'): NdArray => ({ kind: 'ndarray', dtype, shape, data: new Array(shape.reduce((a, b) => a * b, 1)).fill(0) });
  const pair = [{ name: 'x', elemType: 'float', shape: ['N', 2] }];
  it('symbolic and unknown dimensions take any size; fixed ones must match; the rank must match', () => {
    expect(shapeMismatches(pair, arr([7, 2]))).toEqual([]);
    expect(shapeMismatches([{ name: 'x', elemType: 'float', shape: [null, -1] }], arr([7, 5]))).toEqual([]);
    expect(shapeMismatches(pair, arr([1, 4]))).toEqual([{ input: 'x', shape: [1, 4], expected: ['N', 2], rank: false, indices: [1] }]);
    expect(shapeMismatches(pair, arr([2]))).toEqual([{ input: 'x', shape: [2], expected: ['N', 2], rank: true, indices: [] }]);
  });
  it('a frame is one rows × columns matrix for one input, a 1-D column for each of several', () => {
    expect(shapeMismatches(pair, frame(['a', 'float64'], ['b', 'float64']))).toEqual([]);
    expect(shapeMismatches(pair, frame(['a', 'float64'], ['b', 'float64'], ['c', 'float64']))[0]?.indices).toEqual([1]);
    const two = [{ name: 'a', elemType: 'float', shape: ['N'] }, { name: 'b', elemType: 'float', shape: ['N', 1] }];
    expect(shapeMismatches(two, frame(['a', 'float64'], ['b', 'float64'])).map((m) => [m.input, m.rank])).toEqual([['b', true]]);
  });
  it('object arrays, undeclared shapes and non-tensor inputs are left to onnxruntime', () => {
    expect(shapeMismatches(pair, arr([1, 4], 'object'))).toEqual([]);
    expect(shapeMismatches([{ name: 'x', elemType: 'float', shape: null }], arr([1, 4]))).toEqual([]);
    expect(shapeMismatches([{ name: 'x', elemType: null, shape: [2] }], arr([4]))).toEqual([]);
  });
  it('prints a declared shape with unknown dimensions as ?', () => {
    expect(shapeText(['N', 2, null, -1])).toBe('[N, 2, ?, ?]');
  });
});
