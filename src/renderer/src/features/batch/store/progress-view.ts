import type { BatchProgressData } from '@shared/ipc/contract';

export interface ProgressView {
  /** 0…1: rows of the job when known up front (parquet), else bytes read (CSV), else files done. */
  fraction: number;
  /** Rows scored per second so far; null before a second of work or a first chunk. */
  rowsPerSecond: number | null;
  /** Time left at the rate so far (ms); null until there is a rate to go by, or when done. */
  etaMs: number | null;
}

/**
 * Where a batch job is, from its last `batch.progress` event: a bar that moves within one big file (a CSV's rows
 * are not known up front, its bytes are), the rate and the time left.
 */
export function progressView(p: BatchProgressData | null): ProgressView {
  if (!p) return { fraction: 0, rowsPerSecond: null, etaMs: null };
  const fraction = clamp(
    p.rowsTotal ? p.rowsDone / p.rowsTotal : p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0,
  );
  const seconds = p.elapsedMs / 1000;
  const rowsPerSecond = p.rowsDone > 0 && seconds > 0 ? p.rowsDone / seconds : null;
  const etaMs = fraction > 0 && fraction < 1 && p.rowsDone > 0 ? (p.elapsedMs * (1 - fraction)) / fraction : null;
  return { fraction, rowsPerSecond, etaMs };
}

const clamp = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** `12 345 rows/s`, `3.4 rows/s`. */
export function formatRate(r: number): string {
  return `${r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1)} rows/s`;
}

/** `about 12 s left`, `about 3 min left`. */
export function formatEta(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `about ${s} s left`;
  const m = Math.round(s / 60);
  return m < 60 ? `about ${m} min left` : `about ${(m / 60).toFixed(1)} h left`;
}
