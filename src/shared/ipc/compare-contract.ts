import { z } from 'zod';

/**
 * `compare.*` (issue 10, the payload playground): one request sent to several targets, converted to each
 * target's format, and a verdict. Kept beside contract.ts so the playground's schemas stay in one place.
 */

const ServerSchema = z.enum(['azureml', 'mlflow']);

const AzureNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,31}$/, 'an Azure endpoint or deployment name: a letter, then letters, digits and hyphens');

export const TargetSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local'), server: ServerSchema }),
  z.strictObject({ kind: z.literal('url'), server: ServerSchema, url: z.string().url().max(4096) }),
  z.strictObject({ kind: z.literal('azure'), server: z.literal('azureml'), endpoint: AzureNameSchema, deployment: AzureNameSchema.nullable() }),
]);

/** Defaults of `compare.run` and `preflight compare`. */
export const COMPARE_DEFAULTS = { tolerance: { abs: 1e-6, rel: 1e-6 }, timeoutMs: 30_000 } as const;

const ToleranceSchema = z.strictObject({ abs: z.number().nonnegative(), rel: z.number().nonnegative() });

export const CompareInputSchema = z.strictObject({
  modelPath: z.string().min(1, 'modelPath must not be empty'),
  body: z.string().max(64 * 1024 * 1024),
  /** The body's Content-Type; null when it has none. */
  contentType: z.string().nullable(),
  targets: z.array(TargetSpecSchema).min(1, 'name at least one target').max(8, 'at most 8 targets at once'),
  /** Sent to URL targets only (e.g. `Authorization: Bearer …`, `azureml-model-deployment`). Secret values never come back. */
  headers: z.array(z.strictObject({ name: z.string().min(1).max(200), value: z.string().max(16384) })).max(50).default([]),
  tolerance: ToleranceSchema.default(COMPARE_DEFAULTS.tolerance),
  perOutput: z.record(z.string(), ToleranceSchema).optional(),
  /** Per target; local runs include a first model load. */
  timeoutMs: z.number().int().min(1).max(600_000).default(COMPARE_DEFAULTS.timeoutMs),
  mlflowVersion: z.string().nullable().optional(),
  /** Lets `compare.cancel` stop this comparison. */
  opId: z.string().min(1).max(100).optional(),
});

const WarningSchema = z.strictObject({ code: z.string(), message: z.string(), path: z.string() });

export const TargetResultSchema = z.strictObject({
  name: z.string(),
  spec: TargetSpecSchema,
  /** What was sent: the exact body bytes, the headers (secret values replaced by a placeholder). */
  request: z.strictObject({
    method: z.literal('POST'),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
    /** The form the request was converted from and to; `converted` false when it was sent as written. */
    converted: z.boolean(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    warnings: z.array(WarningSchema),
    notes: z.array(z.string()),
  }),
  /** The answer; null when none came (conversion failed, connection refused, timeout). */
  response: z
    .strictObject({
      status: z.number().int().nonnegative(),
      headers: z.record(z.string(), z.string()),
      body_text: z.string(),
      body: z.unknown(),
      json: z.boolean(),
      latency_ms: z.number().nonnegative(),
    })
    .nullable(),
  /** Why there was no answer, in words, with a stable code (E_CONNECTION_REFUSED, E_TIMEOUT, E_CONVERSION, …). */
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  /** The root cause pulled to the top: Azure's model-error headers, the server log, the error's message. */
  rootCause: z.string().nullable(),
  /** Local targets: which engine ran the model, its loader and interpreter; null for URL targets and unanswered runs. */
  runner: z.strictObject({ engine: z.enum(['onnx', 'python']).nullable(), loader: z.string().nullable(), interpreter: z.string().nullable() }).nullable(),
  /** What the server only logs (the local runner's emulation of Azure's hidden error); null for URL targets. */
  serverLog: z.string().nullable(),
});
export type TargetResultData = z.infer<typeof TargetResultSchema>;

const RowMismatchSchema = z.strictObject({
  row: z.number().int(),
  /** The reference target's value, then the other target's. */
  reference: z.unknown(),
  other: z.unknown(),
  /** Largest absolute numeric difference in the row; null when not numeric (label vs label, NaN, lengths). */
  diff: z.number().nullable(),
  why: z.string(),
});
const PairStatusSchema = z.enum(['agree', 'disagree', 'no-predictions', 'no-answer']);

/** The playground's verdict (src/shared/compare/verdict.ts builds it). */
export const VerdictSchema = z.strictObject({
  /** True when every target answered 2xx with the same predictions within the tolerance. */
  agree: z.boolean(),
  kind: PairStatusSchema,
  /** The one plain sentence on top. */
  sentence: z.string(),
  tolerance: ToleranceSchema,
  targets: z.array(
    z.strictObject({
      name: z.string(),
      status: z.number().int().nullable(),
      wrapping: z.enum(['bare-list', 'predictions-key', 'named-outputs', 'scalar', 'text']).nullable(),
      rows: z.number().int().nullable(),
      outputs: z.array(z.string()),
    }),
  ),
  pairs: z.array(
    z.strictObject({
      reference: z.string(),
      other: z.string(),
      status: PairStatusSchema,
      /** One sentence for this pair. */
      summary: z.string(),
      /** Shape differences in words; empty when both answers have the same form. */
      shapeNotes: z.array(z.string()),
      outputs: z.array(
        z.strictObject({
          /** The output's name in the reference answer (and in the other, when they differ: `otherOutput`). */
          output: z.string(),
          otherOutput: z.string(),
          tolerance: ToleranceSchema,
          rowsCompared: z.number().int(),
          mismatchCount: z.number().int(),
          mismatches: z.array(RowMismatchSchema),
          /** Largest absolute difference over all compared numeric cells (0 when all identical; null when none numeric). */
          maxDiff: z.number().nullable(),
        }),
      ),
    }),
  ),
});

/** `compare.run` and `preflight compare --json`: one shape. */
export const CompareResultSchema = z.strictObject({
  targets: z.array(TargetResultSchema),
  verdict: VerdictSchema,
});
export type CompareResultData = z.infer<typeof CompareResultSchema>;
export type CompareInputData = z.input<typeof CompareInputSchema>;

/** The longest history search the host takes (the search field stops there rather than showing a refusal). */
export const HISTORY_QUERY_MAX = 1000;

/** The largest body (in characters) a history entry keeps; a larger one is left out (`body: null`). */
export const HISTORY_BODY_CAP = 256 * 1024;

/** One past comparison (no headers: they carry keys). `body` is null when it was too large to keep. */
export const CompareHistoryEntrySchema = z.strictObject({
  id: z.string(),
  time: z.string(),
  modelPath: z.string(),
  body: z.string().nullable(),
  contentType: z.string().nullable(),
  targets: z.array(TargetSpecSchema),
  tolerance: ToleranceSchema,
  /** The MLflow version chosen instead of the model's pin for this run (absent or null: the pin; older entries lack it). */
  mlflowVersion: z.string().nullable().optional(),
  agree: z.boolean(),
  kind: z.string(),
  sentence: z.string(),
  statuses: z.array(z.strictObject({ name: z.string(), status: z.number().int().nullable() })),
});
export type CompareHistoryEntryData = z.infer<typeof CompareHistoryEntrySchema>;
