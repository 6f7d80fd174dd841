/**
 * The payload engine's answers, declared once as zod schemas: the engine's own types are derived from them
 * (`z.output`), and the IPC contract and `--json` outputs use the very same schemas — so what
 * `validateRequest` returns is, by its type, what `payload.validate` sends (no second declaration to drift).
 */
import { z } from 'zod';
import { SERVER_KINDS } from './validate';
import type { ModelReceives } from './model-input';
import { MLFLOW_BEHAVIOURS } from './version';

export const PayloadServerSchema = z.enum(SERVER_KINDS);

/** Preflight's own warnings (no server sends these): every silent coercion or dropped value (issue 3 "Warnings"). */
export const PayloadWarningSchema = z.strictObject({
  /** Stable code, e.g. `float-truncated`, `string-to-bool`, `extra-column-dropped`. */
  code: z.string(),
  message: z.string(),
  /** JSON path into the body (`$.input_data.data[0][2]`), `$` for the whole body. */
  path: z.string(),
});

/** What the model's predict() is handed (issue 3 "what the model receives"); the type is recursive, so it is declared in model-input.ts. */
export const ModelReceivesSchema: z.ZodType<ModelReceives> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('DataFrame'),
      columns: z.array(z.string()),
      dtypes: z.record(z.string(), z.string()),
      nrows: z.number().int().nonnegative(),
      values: z.array(z.array(z.unknown())),
    }),
    z.strictObject({ kind: z.literal('ndarray'), dtype: z.string(), shape: z.array(z.number().int().nonnegative()), values: z.unknown() }),
    z.strictObject({ kind: z.literal('dict'), items: z.record(z.string(), ModelReceivesSchema) }),
    z.strictObject({ kind: z.enum(['list', 'str', 'scalar', 'object']), pytype: z.string(), value: z.unknown() }),
  ]),
);

/** The MLflow version an answer is for: validation, samples and conversions name the same one. */
export const MlflowVersionInfoSchema = z.strictObject({
  version: z.string(),
  source: z.enum(['override', 'requirements', 'mlmodel', 'default']),
  /** The protocol generation: `1.x` the pre-2.0 server (bare pandas JSON, docs/fidelity.md §15), `2.7` up to 2.9, `2.12+` from 2.10. */
  behaviour: z.enum(MLFLOW_BEHAVIOURS),
  /** One sentence: which version is emulated and why. */
  note: z.string(),
});

/** `preflight validate --json` and `payload.validate`: one shape (issue 3 CLI section). */
export const ValidationResultSchema = z.strictObject({
  server: PayloadServerSchema,
  mlflow_version: MlflowVersionInfoSchema,
  /** true when the server would call the model. */
  ok: z.boolean(),
  /** 200 when the model would be called; 0 when the Azure deployment would not even start. */
  status: z.number().int().nonnegative(),
  /** The exact failure body (JSON, or text for MLflow's text/plain and HTML answers); null when ok. */
  body: z.unknown(),
  /** What the server only logs (Azure's real error behind its generic 500), or null. */
  server_log: z.string().nullable(),
  model_receives: ModelReceivesSchema.nullable(),
  params_received: z.record(z.string(), z.unknown()).nullable(),
  warnings: z.array(PayloadWarningSchema),
});

/** A ready-to-send body for one server. */
export const PayloadSampleSchema = z.strictObject({
  body: z.string(),
  contentType: z.string(),
  /** Where it came from; `none` when the model has neither examples nor a signature. */
  source: z.enum(['serving_input_example', 'input_example', 'signature', 'none']),
  /** One or two sentences: where the body comes from and anything the user must know before sending it. */
  note: z.string(),
});

export const PayloadSamplesSchema = z.strictObject({
  mlflow: PayloadSampleSchema,
  azureml: PayloadSampleSchema,
  /** The MLflow version the model pins, whose server's form the MLflow sample takes (1.x: bare pandas JSON). */
  mlflow_version: MlflowVersionInfoSchema,
});

/** The forms a body can be recognised as: MLflow envelopes, `csv`, `llm`, Azure's `input_data` kinds, MLflow 1.x bodies. */
export const CONVERT_SOURCES = [
  'dataframe_split', 'dataframe_records', 'instances', 'inputs', 'csv', 'llm',
  'azureml_split', 'azureml_tensor', 'azureml_named', 'azureml_records', 'mlflow1_split', 'mlflow1_records',
] as const;

/**
 * The forms a body can be written as: Azure's `input_data`, MLflow 2.x+ envelopes, the TF-serving and CSV forms
 * both generations read, and MLflow 1.x's bare pandas split / records bodies (docs/fidelity.md §15).
 */
export const CONVERT_TARGETS = ['azureml', 'dataframe_split', 'dataframe_records', 'instances', 'inputs', 'csv', 'mlflow1_split', 'mlflow1_records'] as const;
export const PayloadConvertTargetSchema = z.enum(CONVERT_TARGETS);

export const ConversionResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    body: z.string(),
    contentType: z.string(),
    /** The form the body was recognised as. */
    from: z.enum(CONVERT_SOURCES),
    /** The MLflow server the MLflow forms were written for (the override, else the model's pin, else the default). */
    mlflow_version: MlflowVersionInfoSchema,
    warnings: z.array(PayloadWarningSchema),
    notes: z.array(z.string()),
  }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({ code: z.string(), message: z.string(), path: z.string().nullable() }),
  }),
]);

export type PayloadWarning = z.output<typeof PayloadWarningSchema>;
export type ValidationResult = z.output<typeof ValidationResultSchema>;
export type Sample = z.output<typeof PayloadSampleSchema>;
export type SamplePayloads = z.output<typeof PayloadSamplesSchema>;
export type ConvertSource = (typeof CONVERT_SOURCES)[number];
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];
export type MlflowVersionInfo = z.output<typeof MlflowVersionInfoSchema>;
export type ConvertResult = z.output<typeof ConversionResultSchema>;
