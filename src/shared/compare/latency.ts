/**
 * Latency statistics of a replay (issue 10): percentiles and a histogram with "nice" bin edges (1, 2, 2.5, 5 × 10^k
 * ms wide) so the chart's axis reads like a person would label it. Pure; the replay service computes it, the
 * playground draws it.
 */

export interface LatencyStats {
  count: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
  mean: number | null;
  histogram: { edges: number[]; counts: number[] };
}

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

/** Stats of request latencies (ms) with at most `maxBins` histogram bins starting at a multiple of the step. */
export function latencyStats(values: readonly number[], maxBins = 12): LatencyStats {
  const finite = values.filter((v) => Number.isFinite(v) && v >= 0);
  if (finite.length === 0) return { count: 0, p50: null, p95: null, max: null, mean: null, histogram: { edges: [], counts: [] } };
  const sorted = [...finite].sort((a, b) => a - b);
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const step = niceStep(Math.max(hi - lo, hi * 0.01, 0.001) / maxBins);
  const start = Math.floor(lo / step) * step;
  let bins = Math.max(1, Math.ceil((hi - start) / step + 1e-9));
  if (start + bins * step <= hi) bins += 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - start) / step))]! += 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => round3(start + i * step));
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return { count: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: hi, mean: round3(mean), histogram: { edges, counts } };
}
