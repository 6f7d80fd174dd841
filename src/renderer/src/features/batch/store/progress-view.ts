import type { BatchProgressData, BatchSummaryData } from '@shared/ipc/contract';

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

/**
 * The line beside the bar. While the job runs: rows, percent and the file being read. Once it stopped on a failure or a
 * cancel (`ended`: the job's summary), where it stopped — the file the job's last event counted as done is the one it
 * failed on, so "file N+1 of M" named a file the job never reached (a folder whose first file failed read "65% · file 2
 * of 3").
 */
export function progressLabel(p: BatchProgressData, fraction: number, ended: Pick<BatchSummaryData, 'status' | 'files'> | null): string {
  const rows = `${p.rowsDone.toLocaleString('en-US')}${p.rowsTotal !== null ? ` / ${p.rowsTotal.toLocaleString('en-US')}` : ''} rows`;
  if (ended && ended.status !== 'succeeded') {
    const at = ended.files.at(-1);
    const where = at ? `at file ${ended.files.length} of ${p.filesTotal} (${at.file})` : `before the first of ${p.filesTotal} file${p.filesTotal === 1 ? '' : 's'}`;
    return `${rows} · ${ended.status === 'cancelled' ? 'cancelled' : 'failed'} ${where}`;
  }
  if (ended) return `${rows} · 100% · ${p.filesTotal} file${p.filesTotal === 1 ? '' : 's'}`;
  return `${rows} · ${Math.round(fraction * 100)}% · file ${Math.min(p.filesDone + 1, p.filesTotal)} of ${p.filesTotal}${p.file ? ` (${p.file})` : ''}`;
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
