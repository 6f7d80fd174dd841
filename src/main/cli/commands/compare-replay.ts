import { resolve } from 'node:path';
import { formatNumber } from '@shared/compare/cells';
import type { ReplayProgressData, ReplaySummaryData } from '@shared/ipc/replay-contract';
import { MAX_ROWS_PER_REQUEST, REPLAY_DEFAULTS } from '@shared/ipc/replay-contract';
import type { CompareService } from '../../services/compare/compare-service';
import type { PayloadService } from '../../services/payload/payload-service';
import { ReplayService, type ReplayInput } from '../../services/compare/replay-service';
import { CliUsageError, ExitCode, type CliIo } from '../command';
import { stderrProgress } from '../format/progress-line';
import { formatCount } from '@shared/format-count';

/**
 * `preflight compare <model-dir> --replay <csv|example>` (issue 10): the replay from a terminal. Kept apart from
 * compare.ts, which only hands over when --replay is given.
 */

export function parseRowsPerRequest(v: string | undefined): number {
  if (v === undefined) return REPLAY_DEFAULTS.rowsPerRequest;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_ROWS_PER_REQUEST) throw new CliUsageError(`--rows-per-request must be a whole number from 1 to ${formatCount(MAX_ROWS_PER_REQUEST)}, got "${v}".`);
  return Number(v);
}

const ms = (v: number | null): string => (v === null ? '–' : `${formatNumber(Math.round(v * 10) / 10)} ms`);

function progressLine(p: ReplayProgressData): string {
  const width = 24;
  const filled = Math.round(p.fraction * width);
  const eta = p.etaMs === null ? '' : ` · ETA ${Math.ceil(p.etaMs / 1000)} s`;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.rowsDone}${p.rowsTotal !== null ? `/~${p.rowsTotal}` : ''} rows · ${p.rowsPerSecond} rows/s${eta} · ${p.differRows} differ\u001b[K`;
}

function printText(s: ReplaySummaryData, io: CliIo): void {
  io.stdout(`${s.sentence}\n\n`);
  for (const t of s.targets) {
    const l = t.latency;
    const problems = [t.refused ? `${t.refused} refused` : '', t.noAnswer ? `${t.noAnswer} unanswered` : ''].filter(Boolean).join(', ');
    io.stdout(`${t.name}  ${l.count} requests  p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  max ${ms(l.max)}${problems ? `  (${problems})` : ''}\n`);
    if (t.firstProblem) io.stdout(`  first problem: ${t.firstProblem}\n`);
  }
  for (const p of s.pairs) for (const n of p.shapeNotes) io.stdout(`  ${p.other} vs ${p.reference}: ${n}\n`);
  if (s.worstRows.length) {
    io.stdout('\nWorst rows:\n');
    for (const w of s.worstRows.slice(0, 10)) {
      io.stdout(`  row ${w.row}${w.line !== null ? ` (line ${w.line})` : ''} '${w.output}': ${JSON.stringify(w.referenceValue)} vs ${JSON.stringify(w.otherValue)} — ${w.why}\n`);
    }
  }
  for (const n of s.notes) io.stdout(`note: ${n}\n`);
}

/** 0 every row agrees · 1 some rows differ · 3 a target left rows unanswered or the replay could not run · 130 cancelled. */
function exitCodeOf(s: ReplaySummaryData): number {
  if (s.status === 'cancelled') return ExitCode.INTERRUPTED;
  if (s.status === 'failed') return s.error?.code === 'E_INVALID_PAYLOAD' || s.error?.code === 'E_INVALID_FILE' ? ExitCode.INVALID : ExitCode.ENVIRONMENT;
  if (s.unansweredRows > 0) return ExitCode.ENVIRONMENT;
  return s.differRows > 0 || s.rows === 0 ? ExitCode.INVALID : ExitCode.OK;
}

export async function runReplayCommand(
  deps: { compare: CompareService; payload: PayloadService },
  input: Omit<ReplayInput, 'source'> & { replay: string },
  io: CliIo,
  json: boolean,
): Promise<number> {
  const bar = stderrProgress(io, progressLine, !json);
  const source = input.replay === 'example' ? ({ kind: 'example' } as const) : ({ kind: 'csv', path: resolve(io.cwd, input.replay) } as const);
  const replay = new ReplayService(deps);
  const s = await replay.run(
    { ...input, source },
    {
      signal: io.signal,
      onProgress: bar.onProgress,
    },
  );
  bar.end();
  if (json) io.stdout(`${JSON.stringify(s, null, 2)}\n`);
  else printText(s, io);
  if (s.status === 'failed') io.stderr(`preflight: ${s.error?.message ?? 'the replay failed'}\n`);
  if (s.status === 'cancelled') io.stderr('preflight: cancelled\n');
  return exitCodeOf(s);
}
