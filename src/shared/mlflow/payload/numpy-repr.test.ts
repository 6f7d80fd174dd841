import { describe, expect, it } from 'vitest';
import type { Cell, NdArray } from './frame';
import { ndarrayRepr, ndarrayStr } from './numpy-repr';
import { PyFloat } from './py-json';

const A = (data: Cell[], shape: number[], dtype = 'float64'): NdArray => ({ kind: 'ndarray', dtype, shape, data });

// Every expectation is what Debian's numpy 1.24.2 (the reference servers' numpy) prints for the same array.
describe("numpy 1.24's str() and repr() of arrays", () => {
  it('pads a float column to common integer and fraction widths (maxprec, trailing "." kept)', () => {
    expect(ndarrayRepr(A([-0.9847, 0.95411], [2]))).toBe('array([-0.9847 ,  0.95411])');
    // an empty array names its dtype always, its shape unless (0,) (numpy _array_repr_implementation)
    expect(ndarrayRepr(A([], [0]))).toBe('array([], dtype=float64)');
    expect(ndarrayRepr({ kind: 'ndarray', dtype: 'int64', shape: [1, 1, 0], data: [] })).toBe('array([], shape=(1, 1, 0), dtype=int64)');
    expect(ndarrayRepr(A([0, -0.785], [2]))).toBe('array([ 0.   , -0.785])');
    expect(ndarrayRepr(A([-0, 0.5], [2]))).toBe('array([-0. ,  0.5])');
    expect(ndarrayRepr(A([1.1234567891, 2.0], [2]))).toBe('array([1.12345679, 2.        ])');
  });

  it('switches to scientific notation for the whole array (max ≥ 1e8, min < 1e-4, or a spread over 1000)', () => {
    expect(ndarrayRepr(A([1e20, 2.5e-3, NaN], [3]))).toBe('array([1.0e+20, 2.5e-03,     nan])');
    expect(ndarrayRepr(A([1e20], [1]))).toBe('array([1.e+20])');
    expect(ndarrayRepr(A([1e-320, 5.0], [2]))).toBe('array([1.e-320, 5.e+000])');
    expect(ndarrayRepr(A([1.5, Infinity, -Infinity], [3]))).toBe('array([ 1.5,  inf, -inf])');
  });

  it('prints rows on lines of their own, blocks separated by a blank line (str)', () => {
    expect(ndarrayStr(A([6.3, 7.325], [2, 1]))).toBe('[[6.3  ]\n [7.325]]');
    expect(ndarrayStr(A([4.5, 2.88, 6.4297, 1, 1], [1, 5]))).toBe('[[4.5    2.88   6.4297 1.     1.    ]]');
    expect(ndarrayStr(A([0.9, 4.7671, 7.113, 6.7, 0.4374, 3.44, 7.2, 3.0], [2, 4, 1]))).toBe(
      '[[[0.9   ]\n  [4.7671]\n  [7.113 ]\n  [6.7   ]]\n\n [[0.4374]\n  [3.44  ]\n  [7.2   ]\n  [3.    ]]]',
    );
  });

  it('wraps the elements for a trailing "," when a dtype follows, and puts a dtype that would pass 75 columns on its own line', () => {
    // numpy 1.24 _array_repr_implementation: array2string(..., suffix=",") then "dtype=…)" after " " or "\n      "
    expect(ndarrayRepr({ kind: 'ndarray', dtype: '<U12', shape: [2, 6], data: ['3', '1', 'paris', '0.5', 'True', '12.5', '70', '-2', 'tokyo', '0.3000000119', 'False', '900.0'] })).toBe(
      "array([['3', '1', 'paris', '0.5', 'True', '12.5'],\n       ['70', '-2', 'tokyo', '0.3000000119', 'False', '900.0']],\n      dtype='<U12')",
    );
    const dict = new Map([['age', new PyFloat(0.0380759064)], ['bmi', new PyFloat(0.0616962065)], ['bp', new PyFloat(0.021872355)]]);
    expect(ndarrayRepr({ kind: 'ndarray', dtype: 'object', shape: [], data: [dict] })).toBe(
      "array({'age': 0.0380759064, 'bmi': 0.0616962065, 'bp': 0.021872355},\n      dtype=object)",
    );
    expect(ndarrayRepr({ kind: 'ndarray', dtype: 'int32', shape: [20], data: Array.from({ length: 20 }, (_, i) => i) })).toBe(
      'array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n       17, 18, 19], dtype=int32)',
    );
    expect(ndarrayRepr({ kind: 'ndarray', dtype: '<U16', shape: [4], data: ['abcdefghijklmnop', 'abcdefghijklmnop', 'abcdefghijklmnop', 'abcdefghi'] })).toBe(
      "array(['abcdefghijklmnop', 'abcdefghijklmnop', 'abcdefghijklmnop',\n       'abcdefghi'], dtype='<U16')",
    );
  });

  it('wraps str elements by their length in code points (an emoji is one), as numpy measures with len()', () => {
    const e = '\u{1F600}'.repeat(30);
    const a = A([e, 'ab', e, 'ab', e, 'ab'], [6], '<U30');
    expect(ndarrayStr(a)).toBe(`['${e}' 'ab' '${e}'\n 'ab' '${e}' 'ab']`);
    expect(ndarrayRepr(a)).toBe(`array(['${e}', 'ab',\n       '${e}', 'ab',\n       '${e}', 'ab'], dtype='<U30')`);
  });

  it('wraps a long row at 75 columns under the opening bracket', () => {
    expect(ndarrayRepr(A(Array.from({ length: 12 }, () => 0.1), [12]))).toBe('array([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])');
    expect(ndarrayRepr(A(Array.from({ length: 20 }, () => 0.125), [20]))).toBe(
      'array([0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125,\n       0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125,\n       0.125, 0.125])',
    );
  });

  it('right-aligns ints, pads True, and names non-default dtypes', () => {
    expect(ndarrayRepr(A([3, -12, 100000], [3], 'int64'))).toBe('array([     3,    -12, 100000])');
    expect(ndarrayRepr(A([true, false], [2], 'bool'))).toBe('array([ True, False])');
    expect(ndarrayRepr(A([0.1, 0.2].map(Math.fround), [2], 'float32'))).toBe('array([0.1, 0.2], dtype=float32)');
    expect(ndarrayRepr(A([0, 1], [2], 'int32'))).toBe('array([0, 1], dtype=int32)');
    expect(ndarrayRepr(A(['a', 'bcd'], [2], 'str'))).toBe("array(['a', 'bcd'], dtype='<U3')");
  });
});
