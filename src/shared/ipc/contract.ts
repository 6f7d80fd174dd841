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
