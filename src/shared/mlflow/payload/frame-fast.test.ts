/**
 * The frame builder's shortcut for all-number columns (inferColumn → plainNumberDtype) must give
 * exactly the dtype and values the general count gives (inferColumnByCount), for any column.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frameFromSplit, inferColumn, inferColumnByCount, type Cell } from './frame';
import { PyFloat } from './py-json';

const plainNumber = fc.oneof(
  fc.double(),
  fc.integer().map((n) => n),
  fc.constantFrom(0, -0, 0.5, -1.5, 1e300, 2 ** 53, NaN, Infinity, -Infinity),
);
const otherCell: fc.Arbitrary<Cell> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 3 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.double().map((x) => new PyFloat(x)),
);
/** Mostly all-number columns (the shortcut), sometimes one other cell anywhere (the general path). */
const column = fc.tuple(fc.array(plainNumber, { maxLength: 40 }), fc.option(fc.tuple(otherCell, fc.nat())), fc.boolean()).map(([nums, other, doubles]) => {
  // Both element kinds V8 uses for such columns: a double array and a generic one.
  const values: Cell[] = doubles ? [0.5, ...nums].slice(1) : [...nums];
  if (other) values.splice(other[1] % (values.length + 1), 0, other[0]);
  return values;
});

const describeColumn = (c: { dtype: string; values: Cell[] }) => ({ dtype: c.dtype, values: c.values.map((v) => (Object.is(v, -0) ? '-0' : v)) });

describe('inferColumn: the all-numbers shortcut equals the general count', () => {
  it('same dtype and the same values for any column', () => {
    fc.assert(
      fc.property(column, (values) => {
        expect(describeColumn(inferColumn(values))).toEqual(describeColumn(inferColumnByCount(values)));
      }),
      { numRuns: 5_000 },
    );
  });

  it('a split frame of floats keeps each column as the float64 values sent, one int makes int64 only when all are', () => {
    const frame = frameFromSplit([[0.5, 1], [2.25, 3]], ['a', 'b'], undefined, '$');
    expect(frame.columns.map((c) => [c.dtype, c.values])).toEqual([['float64', [0.5, 2.25]], ['int64', [1, 3]]]);
    const mixed = frameFromSplit([[0.5, 1], [2.25, 3.5]], ['a', 'b'], undefined, '$');
    expect(mixed.columns[1]!.dtype).toBe('float64');
  });
});
