import { describe, expect, it } from 'vitest';
import { maxOf, minOf, pushAll } from './arrays';

describe('arrays for any length', () => {
  it('pushAll appends in order past the length where push(...items) overflows the stack', () => {
    const items = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(() => [0].push(...items)).toThrow(RangeError);
    const out = pushAll([-1], items);
    expect(out).toHaveLength(1_000_001);
    expect([out[0], out[1], out.at(-1)]).toEqual([-1, 0, 999_999]);
    expect(pushAll(['a'], new Set(['b', 'c']))).toEqual(['a', 'b', 'c']);
  });

  it('maxOf is Math.max over any length, with the value for none', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(maxOf(values)).toBe(values.reduce((a, b) => (a > b ? a : b)));
    expect(maxOf([])).toBe(-Infinity);
    expect(maxOf([], 0)).toBe(0);
    expect(maxOf([-3, -1], 0)).toBe(0);
    expect(maxOf([1, NaN, 2])).toBeNaN();
  });
});

describe('minOf', () => {
  it('is Math.min over any length, with the value for none', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(minOf(values)).toBe(values.reduce((a, b) => (a < b ? a : b)));
    expect(minOf([])).toBe(Infinity);
    expect(minOf([3, 1], 0)).toBe(0);
    expect(minOf([1, NaN, 0])).toBeNaN();
  });
});
