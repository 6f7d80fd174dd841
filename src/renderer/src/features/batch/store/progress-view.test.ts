import { describe, expect, it } from 'vitest';
import { formatEta, formatRate, progressView } from './progress-view';

const base = { jobId: 'j', file: 'big.csv', rowsDone: 0, rowsTotal: null, filesDone: 0, filesTotal: 1, bytesDone: 0, bytesTotal: 0, elapsedMs: 0 };

describe('progressView', () => {
  it('moves within one big CSV by the bytes read, with the rate and the time left', () => {
    const v = progressView({ ...base, rowsDone: 50_000, bytesDone: 2_500_000, bytesTotal: 10_000_000, elapsedMs: 2_000 });
    expect(v.fraction).toBeCloseTo(0.25);
    expect(v.rowsPerSecond).toBe(25_000);
    expect(v.etaMs).toBeCloseTo(6_000);
  });

  it('uses the rows when they are known up front (parquet), and says nothing of a rate before the first rows', () => {
    expect(progressView({ ...base, rowsDone: 30, rowsTotal: 120, bytesDone: 0, bytesTotal: 999, elapsedMs: 10 }).fraction).toBeCloseTo(0.25);
    expect(progressView({ ...base, bytesTotal: 100, elapsedMs: 500 })).toEqual({ fraction: 0, rowsPerSecond: null, etaMs: null });
    expect(progressView(null).fraction).toBe(0);
  });

  it('has no time left once done', () => {
    expect(progressView({ ...base, rowsDone: 10, bytesDone: 100, bytesTotal: 100, filesDone: 1, elapsedMs: 1000 }).etaMs).toBeNull();
  });

  it('words the rate and the time left', () => {
    expect(formatRate(12_345.6)).toBe('12,346 rows/s');
    expect(formatRate(3.44)).toBe('3.4 rows/s');
    expect(formatEta(12_100)).toBe('about 13 s left');
    expect(formatEta(185_000)).toBe('about 3 min left');
  });
});
