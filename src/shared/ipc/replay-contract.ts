import { z } from 'zod';
import { COMPARE_DEFAULTS, TargetSpecSchema } from './compare-contract';

/**
 * `compare.replay` (issue 10 "Replay"): a whole CSV file — or the model's input example — sent through every
 * target in chunks of rows, each chunk one request, and a summary: agreement rate, the worst rows, a latency
 * histogram per target. The renderer hears `compare.replay-progress` summaries (a few per second), never rows.
 */

const ToleranceSchema = z.strictObject({ abs: z.number().nonnegative(), rel: z.number().nonnegative() });

export const REPLAY_DEFAULTS = { rowsPerRequest: 500, worstRows: 20 } as const;
export const MAX_ROWS_PER_REQUEST = 100_000;

export const ReplaySourceSchema = z.discriminatedUnion('kind', [
  /** A CSV file with a header row (as `preflight batch` reads it). */
  z.strictObject({ kind: z.literal('csv'), path: z.string().min(1, 'the CSV path must not be empty') }),
  /** The model's input example (or the body the signature makes), sent as one request. */
  z.strictObject({ kind: z.literal('example') }),
]);
export type ReplaySourceData = z.infer<typeof ReplaySourceSchema>;

export const ReplayInputSchema = z.strictObject({
  modelPath: z.string().min(1, 'modelPath must not be empty'),
  source: ReplaySourceSchema,
  targets: z.array(TargetSpecSchema).min(1, 'name at least one target').max(8, 'at most 8 targets at once'),
  headers: z.array(z.strictObject({ name: z.string().min(1).max(200), value: z.string().max(16384) })).max(50).default([]),
  tolerance: ToleranceSchema.default(COMPARE_DEFAULTS.tolerance),
  perOutput: z.record(z.string(), ToleranceSchema).optional(),
  /** Per request. */
  timeoutMs: z.number().int().min(1).max(600_000).default(COMPARE_DEFAULTS.timeoutMs),
  /** Rows per request (one chunk of the file). */
  rowsPerRequest: z.number().int().min(1).max(MAX_ROWS_PER_REQUEST).default(REPLAY_DEFAULTS.rowsPerRequest),
  mlflowVersion: z.string().nullable().optional(),
  /** Names the replay in its progress events and lets `compare.cancel` stop it. */
  opId: z.string().min(1).max(100).optional(),
});
export type ReplayInputData = z.input<typeof ReplayInputSchema>;

/** A progress summary (at most ~5 per second, plus the first and the last). */
export const ReplayProgressSchema = z.strictObject({
  opId: z.string(),
  rowsDone: z.number().int().nonnegative(),
  /** Known for the example; for a CSV, estimated from the bytes read so far (null before the first chunk). */
  rowsTotal: z.number().int().nonnegative().nullable(),
  /** 0…1 through the source (bytes of the file read and sent). */
  fraction: z.number().min(0).max(1),
  requestsDone: z.number().int().nonnegative(),
  rowsPerSecond: z.number().nonnegative(),
  /** Estimated time left; null until it can be estimated. */
  etaMs: z.number().nonnegative().nullable(),
  agreeRows: z.number().int().nonnegative(),
  differRows: z.number().int().nonnegative(),
  unansweredRows: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
});
export type ReplayProgressData = z.infer<typeof ReplayProgressSchema>;

export const LatencyStatsSchema = z.strictObject({
  /** Requests answered (any status). */
  count: z.number().int().nonnegative(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  /** Histogram of request latencies: `counts[i]` requests took from `edges[i]` to `edges[i+1]` ms. */
  histogram: z.strictObject({ edges: z.array(z.number()), counts: z.array(z.number().int().nonnegative()) }),
});
export type LatencyStatsData = z.infer<typeof LatencyStatsSchema>;

export const ReplayWorstRowSchema = z.strictObject({
  /** 0-based data row in the source (the CSV's first data row is 0). */
  row: z.number().int().nonnegative(),
  /** 1-based line of the CSV where the row starts; null for the example. */
  line: z.number().int().positive().nullable(),
  reference: z.string(),
  other: z.string(),
  output: z.string(),
  referenceValue: z.unknown(),
  otherValue: z.unknown(),
  /** Largest absolute difference; null when not numeric (labels, NaN on one side, lengths). */
  diff: z.number().nullable(),
  why: z.string(),
  /** The row's input as written in the CSV (first 300 characters). */
  input: z.string().nullable(),
});
export type ReplayWorstRowData = z.infer<typeof ReplayWorstRowSchema>;

export const ReplaySummarySchema = z.strictObject({
  opId: z.string(),
  status: z.enum(['completed', 'cancelled', 'failed']),
  source: ReplaySourceSchema,
  rowsPerRequest: z.number().int().positive(),
  tolerance: ToleranceSchema,
  rows: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  ms: z.number().nonnegative(),
  /** Rows where every target answered 2xx with the same predictions within the tolerance. */
  agreeRows: z.number().int().nonnegative(),
  /** Rows whose predictions differ (or whose request one target refused and another answered). */
  differRows: z.number().int().nonnegative(),
  /** Rows some target gave no answer for (timeout, connection refused), or all refused alike. */
  unansweredRows: z.number().int().nonnegative(),
  /** agreeRows / rows; null when no row was sent. */
  agreementRate: z.number().min(0).max(1).nullable(),
  /** One plain sentence on top. */
  sentence: z.string(),
  targets: z.array(
    z.strictObject({
      name: z.string(),
      latency: LatencyStatsSchema,
      /** Requests answered with a status outside 2xx, and requests with no answer. */
      refused: z.number().int().nonnegative(),
      noAnswer: z.number().int().nonnegative(),
      /** The first failure's root cause or error, as the single compare explains it. */
      firstProblem: z.string().nullable(),
    }),
  ),
  /** Each target after the first against the first: rows compared, rows that differ, largest difference. */
  pairs: z.array(z.strictObject({ reference: z.string(), other: z.string(), rowsCompared: z.number().int().nonnegative(), differRows: z.number().int().nonnegative(), maxDiff: z.number().nullable(), shapeNotes: z.array(z.string()) })),
  /** The rows that differ most (largest difference first; non-numeric differences first of all). */
  worstRows: z.array(ReplayWorstRowSchema),
  /** What stopped a failed replay (unreadable CSV, the model cannot load). */
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  notes: z.array(z.string()),
});
export type ReplaySummaryData = z.infer<typeof ReplaySummarySchema>;
