/**
 * pandas 1.5.3's constructor inference (`lib.maybe_convert_objects`) stores every int as a double before its range
 * checks. Expected answers: Debian's pandas 1.5.3 (`pd.DataFrame(data, columns=["a", "b"])`, `pd.DataFrame(records)`).
 */
import { describe, expect, it } from 'vitest';
import { frameFromRecords, frameFromSplit } from './frame';
import { parsePyJson, type PyDict } from './py-json';

const HUGE = '1'.repeat(400);
const splitOf = (rows: string): string[] => {
  const f = frameFromSplit(parsePyJson(rows) as PyDict[], parsePyJson('["a", "b"]'), undefined, '$');
  return f.columns.map((c) => c.dtype);
};
const errOf = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return `${(e as { pyType?: string }).pyType}: ${(e as Error).message}`;
  }
};

describe('an int past the double range in a column pandas infers', () => {
  it('is OverflowError, after a None or a NaN too', () => {
    expect(errOf(() => splitOf(`[[${HUGE}, 1]]`))).toBe('OverflowError: int too large to convert to float');
    expect(errOf(() => splitOf(`[[null, 1], [${HUGE}, 2]]`))).toBe('OverflowError: int too large to convert to float');
    expect(errOf(() => frameFromRecords(parsePyJson(`[{"b": 1}, {"a": ${HUGE}}]`) as PyDict[], '$'))).toBe('OverflowError: int too large to convert to float');
    // 2**1024 - 2**970 rounds to 2**1024; one less is the largest double
    expect(errOf(() => splitOf(`[[${2n ** 1024n - 2n ** 970n}, 1]]`))).toBe('OverflowError: int too large to convert to float');
    expect(splitOf(`[[${2n ** 1024n - 2n ** 970n - 1n}, 1]]`)).toEqual(['object', 'int64']);
  });
  it('is never reached when an earlier value made the column object: a string, an int past uint64, a negative beside one past int64', () => {
    expect(splitOf(`[["a", 1], [${HUGE}, 2]]`)).toEqual(['object', 'int64']);
    expect(splitOf(`[[${2n ** 64n}, 1], [${HUGE}, 2]]`)).toEqual(['object', 'int64']);
    expect(splitOf(`[[-1, 1], [${2n ** 63n}, 1], [${HUGE}, 2]]`)).toEqual(['object', 'int64']);
  });
});
