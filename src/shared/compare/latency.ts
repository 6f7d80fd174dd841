/**
 * Latency statistics of a replay (issue 10): percentiles and a histogram with "nice" bin edges (1, 2, 2.5, 5 × 10^k
 * ms wide) so the chart's axis reads like a person would label it. Pure; the replay service computes it, the
 * playground draws it.
 */
import type { LatencyStatsData } from '../ipc/replay-contract';

/** As the replay answer carries it (`compare.replay`). */
export type LatencyStats = LatencyStatsData;

/** The q-quantile (0…1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** The smallest "nice" step (1, 2, 2.5 or 5 × 10^k) at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * Bin edges for latencies (ms): at most `maxBins` bins of one "nice" width from a multiple of it, covering up to
 * twice the 95th percentile; slower requests (a first run that loads the model) share one last, wider bin up to
 * the slowest, so one outlier does not squash every other bar into a sliver.
 */
export function histogramEdges(values: readonly number[], maxBins = 12): number[] {
  const sorted = values.filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const cap = Math.min(hi, Math.max(quantile(sorted, 0.95)! * 2, lo));
  const tail = hi > cap;
  const bins = tail ? maxBins - 1 : maxBins;
  const step = niceStep(Math.max(cap - lo, cap * 0.01, 0.001) / bins);
  const start = Math.floor(lo / step) * step;
  const edges = [round3(start)];
  while (edges[edges.length - 1]! <= cap && edges.length <= bins + 1) edges.push(round3(start + edges.length * step));
  if (tail && edges[edges.length - 1]! < hi) edges.push(round3(hi));
  return edges;
}

/** Stats of request latencies (ms), counted over `edges` (default: their own, from histogramEdges). */
export function latencyStats(values: readonly number[], edges: readonly number[] = histogramEdges(values)): LatencyStats {
  const sorted = values.filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, p50: null, p95: null, max: null, mean: null, histogram: { edges: [...edges], counts: edges.length > 1 ? new Array<number>(edges.length - 1).fill(0) : [] } };
  const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
  let bin = 0;
  for (const v of sorted) {
    while (bin < counts.length - 1 && v >= edges[bin + 1]!) bin++;
    if (counts.length) counts[bin]! += 1;
  }
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return { count: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1]!, mean: round3(mean), histogram: { edges: [...edges], counts } };
}
