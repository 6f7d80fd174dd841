/**
 * Work limits for parsing untrusted text (issue 12 item 4). A byte cap alone does not bound the work:
 * 10 MB of commas is a header of ten million columns, and every column costs far more memory than its
 * comma. CSV bodies are bounded by columns and cells; the caller's host may change the limits (the main
 * process reads PREFLIGHT_CSV_MAX_COLUMNS / PREFLIGHT_CSV_MAX_CELLS: configureCsvLimitsFromEnv).
 */
import { AppError, ErrorCodes } from '../../errors';
import { formatCount } from '../../format-count';

export interface CsvLimits {
  /** Columns of one CSV record (header included). */
  maxColumns: number;
  /** Fields of one CSV text (all records). */
  maxCells: number;
}

export const DEFAULT_CSV_LIMITS: Readonly<CsvLimits> = { maxColumns: 10_000, maxCells: 5_000_000 };

const current: CsvLimits = { ...DEFAULT_CSV_LIMITS };

/** Sets the limits for this process (hosts call it once at start). Values < 1 are ignored. */
export function configureCsvLimits(limits: Partial<CsvLimits>): void {
  if (limits.maxColumns && limits.maxColumns >= 1) current.maxColumns = Math.floor(limits.maxColumns);
  if (limits.maxCells && limits.maxCells >= 1) current.maxCells = Math.floor(limits.maxCells);
}

export const csvLimits = (): Readonly<CsvLimits> => current;

const fmt = formatCount;

export function csvLimitError(which: 'columns' | 'cells', line: number): AppError {
  const l = current;
  const what =
    which === 'columns'
      ? `line ${line} of the CSV has more than ${fmt(l.maxColumns)} columns`
      : `the CSV has more than ${fmt(l.maxCells)} fields (reached at line ${line})`;
  return new AppError(
    ErrorCodes.INVALID_INPUT,
    `Preflight did not parse this CSV: ${what}. Preflight limits CSV text to ${fmt(l.maxColumns)} columns and ${fmt(l.maxCells)} fields so that a body cannot exhaust memory. ` +
      `Send fewer rows or columns (for batch jobs, lower --chunk-rows), or raise the limit with the environment variable ${which === 'columns' ? 'PREFLIGHT_CSV_MAX_COLUMNS' : 'PREFLIGHT_CSV_MAX_CELLS'}.`,
    { details: { limit: which, maxColumns: l.maxColumns, maxCells: l.maxCells, line } },
  );
}

/**
 * The limits from an environment (PREFLIGHT_CSV_MAX_COLUMNS, PREFLIGHT_CSV_MAX_CELLS: positive whole
 * numbers). Each host passes its process environment once at start: compose() (app, browser mode), the
 * CLI entry, the ONNX serving process.
 */
export function configureCsvLimitsFromEnv(env: Record<string, string | undefined>): void {
  const num = (v: string | undefined): number | undefined => (v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);
  configureCsvLimits({ maxColumns: num(env.PREFLIGHT_CSV_MAX_COLUMNS), maxCells: num(env.PREFLIGHT_CSV_MAX_CELLS) });
}
