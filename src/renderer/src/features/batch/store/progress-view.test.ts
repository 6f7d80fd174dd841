import { describe, expect, it } from 'vitest';
import { formatEta, formatRate, progressLabel, progressView } from './progress-view';

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

describe('progressLabel', () => {
  // The last event of a job over a folder of 3 CSV files whose first one failed (the fixtures' heart data on the
  // diabetes sample): the failed file counts as done, 65 % of the bytes were read.
  const last = { ...base, file: null, filesDone: 1, filesTotal: 3, bytesDone: 65, bytesTotal: 100, elapsedMs: 100 };
  const failedOnFirst = { status: 'failed' as const, files: [{ file: 'heart-unlabeled-0.csv', path: '/d/heart-unlabeled-0.csv', format: 'csv' as const, status: 'failed' as const, rows: 0, ms: 7, error: 'Model is missing inputs' }] };
  it('a failed job: the file it failed on, not the next one', () => {
    expect(progressLabel(last, 0.65, failedOnFirst)).toBe('0 rows · failed at file 1 of 3 (heart-unlabeled-0.csv)');
    expect(progressLabel(last, 0.65, { status: 'cancelled', files: failedOnFirst.files })).toBe('0 rows · cancelled at file 1 of 3 (heart-unlabeled-0.csv)');
    expect(progressLabel({ ...last, filesDone: 0 }, 0, { status: 'failed', files: [] })).toBe('0 rows · failed before the first of 3 files');
  });
  it('while running: the file being read; once succeeded: all of them', () => {
    expect(progressLabel({ ...last, file: 'heart.csv', filesDone: 2, rowsDone: 1500 }, 0.9, null)).toBe('1,500 rows · 90% · file 3 of 3 (heart.csv)');
    expect(progressLabel({ ...last, filesDone: 3, rowsDone: 2 }, 1, { status: 'succeeded', files: [] })).toBe('2 rows · 100% · 3 files');
  });
});
