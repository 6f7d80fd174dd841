import { describe, expect, it } from 'vitest';
import { histogramEdges, latencyStats, niceStep } from './latency';
import { ReplayTally } from './replay-tally';
import { verdict, type VerdictTarget } from './verdict';

const tol = { abs: 1e-6, rel: 1e-6 };
const t = (name: string, body: unknown, status: number | null = 200): VerdictTarget => ({ name, status, body, json: true });
const chunk = (firstRow: number, rows: number) => ({ firstRow, rows, lines: Array.from({ length: rows }, (_, i) => firstRow + i + 2), records: Array.from({ length: rows }, (_, i) => `r${firstRow + i}`) });

describe('ReplayTally', () => {
  it('counts rows that agree, differ by value, and have no prediction, across chunks', () => {
    const tally = new ReplayTally(3);
    tally.add(chunk(0, 3), verdict([t('a', [1, 2, 3]), t('b', { predictions: [1, 2, 3] })], { tolerance: tol }));
    tally.add(chunk(3, 3), verdict([t('a', [1, 2, 3]), t('b', [1, 2.5, 3.25])], { tolerance: tol }));
    tally.add(chunk(6, 2), verdict([t('a', { message: 'bad' }, 500), t('b', { message: 'bad' }, 400)], { tolerance: tol }));
    tally.add(chunk(8, 2), verdict([t('a', [1, 2]), t('b', null, null)], { tolerance: tol }));
    expect(tally).toMatchObject({ rows: 10, agreeRows: 4, differRows: 2, unansweredRows: 4 });
    const worst = tally.worstRows();
    expect(worst.map((w) => [w.row, w.diff, w.line, w.input])).toEqual([[4, 0.5, 6, 'r4'], [5, 0.25, 7, 'r5']]);
    expect(tally.pairTallies()[0]).toMatchObject({ rowsCompared: 6, differRows: 2, maxDiff: 0.5 });
    expect(tally.sentence(['a', 'b'], tol, 4)).toBe('4 of 10 rows agree within 1e-6 (40%) across 2 targets (a, b), 4 requests each; 2 differ (worst: row 4, off by 0.5); 4 got no prediction from some target.');
  });

  it('a refusal against an answer, or another structure, makes every row of the chunk differ', () => {
    const tally = new ReplayTally(5);
    tally.add(chunk(0, 2), verdict([t('a', [1, 2]), t('b', { message: 'x' }, 424)], { tolerance: tol }));
    tally.add(chunk(2, 2), verdict([t('a', [0, 1]), t('b', [[0.9, 0.1], [0.2, 0.8]])], { tolerance: tol }));
    expect(tally).toMatchObject({ rows: 4, agreeRows: 0, differRows: 4, unansweredRows: 0 });
  });

  it('keeps the worst rows: non-numeric differences first, then the largest', () => {
    const tally = new ReplayTally(2);
    tally.add(chunk(0, 4), verdict([t('a', [1, 2, 'x', 4]), t('b', [1.1, 2.9, 'y', 4])], { tolerance: tol }));
    expect(tally.worstRows().map((w) => w.row)).toEqual([2, 1]);
  });
});

describe('latency', () => {
  it('uses nice steps and counts every request once, a slow first request in a wider last bin', () => {
    expect([niceStep(0.7), niceStep(1.2), niceStep(2.2), niceStep(4), niceStep(7)]).toEqual([1, 2, 2.5, 5, 10]);
    const values = [...Array.from({ length: 40 }, (_, i) => 5 + (i % 10)), 400];
    const edges = histogramEdges(values);
    const s = latencyStats(values, edges);
    expect(s.count).toBe(41);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(41);
    expect(s.histogram.counts.at(-1)).toBe(1);
    expect(edges.at(-1)).toBe(400);
    expect(edges.length).toBeLessThanOrEqual(14);
    expect(s.p50).toBe(10);
    expect(s.max).toBe(400);
    expect(latencyStats([]).count).toBe(0);
  });
});
