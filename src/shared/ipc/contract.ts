import { z } from 'zod';
import { ModelReportSchema } from '../mlflow/model-report';

/**
 * The one IPC contract. Namespaces → methods → `{ input, output }` zod schemas, plus push events.
 * Channel names are derived from these keys (see `channels.ts`); nobody writes one by hand.
 * One object argument per call; inputs and outputs are structured-clone-safe.
 */
const rpc = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) => ({ input, output, doc });

const Empty = z.object({}).strict();

export const RecentModelSchema = z.object({
  path: z.string(),
  name: z.string(),
  /** ISO time the model was last opened. */
  openedAt: z.string(),
});
export type RecentModel = z.infer<typeof RecentModelSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  /** Which host serves the renderer: the Electron app or the browser-mode host. */
  host: z.enum(['electron', 'browser', 'cli']),
  /** The bundled sample model, opened on start when nothing else is asked for. */
  sampleModelPath: z.string().nullable(),
  /** A model the host was started with (`npm start -- <dir>`, `preflight open <dir>`), else null. */
  initialModelPath: z.string().nullable(),
  /** Whether a native folder dialog exists in this host. */
  canPickFolder: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ---- payload (issue 3): the payload engine's answers, as they cross IPC -------------------------

/** Largest request body the payload methods take (characters); the CLI applies the same cap. */
export const PAYLOAD_MAX_BODY_CHARS = 64 * 1024 * 1024;

export const PayloadServerSchema = z.enum(['azureml', 'mlflow']);
export const PayloadConvertTargetSchema = z.enum(['azureml', 'dataframe_split', 'dataframe_records', 'instances', 'inputs', 'csv']);

export const PayloadWarningSchema = z.strictObject({
  /** Stable code, e.g. `float-truncated`, `string-to-bool`, `extra-column-dropped`. */
  code: z.string(),
  message: z.string(),
  /** JSON path into the body (`$.input_data.data[0][2]`), `$` for the whole body. */
  path: z.string(),
});

/** What the model's predict() is handed (issue 3 "what the model receives"). */
export type ModelReceivesData =
  /** `values` lists the first rows only (the engine's preview cap); `nrows` is how many the model gets. */
  | { kind: 'DataFrame'; columns: string[]; dtypes: Record<string, string>; nrows: number; values: unknown[][] }
  | { kind: 'ndarray'; dtype: string; shape: number[]; values: unknown }
  | { kind: 'dict'; items: Record<string, ModelReceivesData> }
  | { kind: 'list' | 'str' | 'scalar' | 'object'; pytype: string; value: unknown };

export const ModelReceivesSchema: z.ZodType<ModelReceivesData> = z.lazy(() =>
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

/** `preflight validate --json` and `payload.validate`: one shape (issue 3 CLI section). */
export const ValidationResultSchema = z.strictObject({
  server: PayloadServerSchema,
  mlflow_version: z.strictObject({
    version: z.string(),
    source: z.enum(['override', 'requirements', 'mlmodel', 'default']),
    behaviour: z.enum(['2.7', '2.12+']),
    /** One sentence: which version is emulated and why. */
    note: z.string(),
  }),
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
export type ValidationResultData = z.infer<typeof ValidationResultSchema>;

/** A ready-to-send body for one server. */
export const PayloadSampleSchema = z.strictObject({
  body: z.string(),
  contentType: z.string(),
  /** Where it came from; `none` when the model has neither examples nor a signature. */
  source: z.enum(['serving_input_example', 'input_example', 'signature', 'none']),
  /** What the user should know about it (made up from the signature, converted from the example …). */
  note: z.string(),
});
export type PayloadSample = z.infer<typeof PayloadSampleSchema>;

export const PayloadSamplesSchema = z.strictObject({ mlflow: PayloadSampleSchema, azureml: PayloadSampleSchema });

export const ConversionResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    body: z.string(),
    contentType: z.string(),
    /** The form the body was recognised as (an MLflow envelope, `csv`, `llm`, Azure's `input_data` kinds, MLflow 1.x bodies). */
    from: z.enum([
      'dataframe_split', 'dataframe_records', 'instances', 'inputs', 'csv', 'llm',
      'azureml_split', 'azureml_tensor', 'azureml_named', 'azureml_records', 'mlflow1_split', 'mlflow1_records',
    ]),
    warnings: z.array(PayloadWarningSchema),
    notes: z.array(z.string()),
  }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({ code: z.string(), message: z.string(), path: z.string().nullable() }),
  }),
]);
export type ConversionResultData = z.infer<typeof ConversionResultSchema>;

const PayloadBodySchema = z.string().max(PAYLOAD_MAX_BODY_CHARS, `the body is larger than ${PAYLOAD_MAX_BODY_CHARS / 1024 / 1024} MB; send a smaller sample of the rows`);

export const contract = {
  methods: {
    app: {
      info: rpc(Empty, AppInfoSchema, 'Version, host kind and the model to open first.'),
    },
    model: {
      inspect: rpc(
        z.object({ path: z.string().min(1, 'path must not be empty') }).strict(),
        ModelReportSchema,
        'Inspect an MLflow model folder or a bare .onnx file. Errors: E_NOT_FOUND, E_NOT_A_MODEL, E_INVALID_FILE, E_UNREADABLE.',
      ),
      pickFolder: rpc(
        Empty,
        z.object({ path: z.string().nullable() }),
        'Native folder picker; path is null when cancelled. Errors: E_ENVIRONMENT where the host has no dialog.',
      ),
      recent: rpc(Empty, z.object({ items: z.array(RecentModelSchema) }), 'Recently opened models, newest first.'),
      forgetRecent: rpc(
        z.object({ path: z.string() }).strict(),
        z.object({ items: z.array(RecentModelSchema) }),
        'Remove one entry from the recent list.',
      ),
    },
    payload: {
      validate: rpc(
        z.strictObject({
          modelPath: z.string().min(1, 'modelPath must not be empty'),
          body: PayloadBodySchema,
          server: PayloadServerSchema,
          /** null: the request carries no Content-Type header. */
          contentType: z.string().nullable(),
          /** Emulate this MLflow version (X.Y or X.Y.Z) instead of the model's pin. */
          mlflowVersion: z.string().nullable().optional(),
        }),
        ValidationResultSchema,
        "What the server answers to the body and what the model receives. Errors: the model's (E_NOT_FOUND, E_NOT_A_MODEL, …), E_INVALID_INPUT for a bad mlflowVersion.",
      ),
      samples: rpc(
        z.strictObject({ modelPath: z.string().min(1, 'modelPath must not be empty') }),
        PayloadSamplesSchema,
        "A sample body for each server, from the model's input examples or its signature.",
      ),
      convert: rpc(
        z.strictObject({
          body: PayloadBodySchema,
          contentType: z.string().nullable(),
          to: PayloadConvertTargetSchema,
          modelPath: z.string().min(1).nullable().optional(),
          fromServer: PayloadServerSchema.nullable().optional(),
        }),
        ConversionResultSchema,
        'The body rewritten in another form; {ok:false, error} (data, not a thrown error) when it cannot be.',
      ),
    },
  },
  events: {
    /** The recent list changed (another window opened a model). */
    'model.recent-changed': z.object({ items: z.array(RecentModelSchema) }),
  },
} as const;

export type Contract = typeof contract;
export type Methods = Contract['methods'];
export type Namespace = keyof Methods;
export type MethodOf<N extends Namespace> = keyof Methods[N] & string;
export type EventName = keyof Contract['events'] & string;

type Spec = { input: z.ZodType; output: z.ZodType };
export type InputOf<S extends Spec> = z.input<S['input']>;
export type OutputOf<S extends Spec> = z.output<S['output']>;
export type EventPayload<E extends EventName> = z.output<Contract['events'][E]>;

/** The API a renderer (or any client) sees: every method returns the unwrapped output or throws AppError. */
export type Api = {
  [N in Namespace]: {
    [M in MethodOf<N>]: Methods[N][M] extends Spec ? (input: InputOf<Methods[N][M]>) => Promise<OutputOf<Methods[N][M]>> : never;
  };
};
