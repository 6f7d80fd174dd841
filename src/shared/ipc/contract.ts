import { z } from 'zod';
import { PackageBuildSummarySchema, PackageProgressSchema, PackageVerifyReportSchema } from '../packaging/package-report';
import { FindingSchema, ModelReportSchema } from '../mlflow/model-report';
import {
  ConversionResultSchema,
  MlflowVersionInfoSchema,
  ModelReceivesSchema,
  PayloadConvertTargetSchema,
  PayloadSampleSchema,
  PayloadSamplesSchema,
  PayloadServerSchema,
  PayloadWarningSchema,
  ValidationResultSchema,
  type ConvertResult,
  type Sample,
  type ValidationResult,
} from '../mlflow/payload/answers';
import type { ModelReceives } from '../mlflow/payload/model-input';
import { CompareHistoryEntrySchema, CompareInputSchema, CompareResultSchema, HISTORY_QUERY_MAX } from './compare-contract';
import { azureEvents, azureMethods } from './azure-contract';
import { azureViewEvents, azureViewMethods } from './azure-view-contract';
import { azureFilesMethods } from './azure-files-contract';
import { CollectionListInputSchema, CollectionListSchema, CollectionOpenInputSchema, CollectionRenameInputSchema, CollectionSaveInputSchema, CollectionSaveSchema, SavedRequestSchema } from './collections-contract';
import { ReplayInputSchema, ReplayProgressSchema, ReplaySummarySchema } from './replay-contract';
import { packageAzureEvents, packageAzureMethods, packageOpenMethods } from './package-azure-contract';

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

// The payload engine's answers are declared once, beside the engine (src/shared/mlflow/payload/answers.ts).
export {
  PayloadServerSchema,
  PayloadConvertTargetSchema,
  PayloadWarningSchema,
  ModelReceivesSchema,
  ValidationResultSchema,
  PayloadSampleSchema,
  PayloadSamplesSchema,
  ConversionResultSchema,
};
export type ModelReceivesData = ModelReceives;
export type ValidationResultData = ValidationResult;
export type PayloadSample = Sample;
export type ConversionResultData = ConvertResult;

const PayloadBodySchema = z.string().max(PAYLOAD_MAX_BODY_CHARS, `the body is larger than ${PAYLOAD_MAX_BODY_CHARS / 1024 / 1024} MB; send a smaller sample of the rows`);

// ---- runner + server (issue 4): run the model offline, serve it on 127.0.0.1 ---------------------

export const EngineKindSchema = z.enum(['onnx', 'python']);

export const LoaderInfoSchema = z.strictObject({
  /** `onnxruntime-node`, `mlflow.pyfunc.load_model`, or `pickle-direct` (sklearn pickle read without mlflow). */
  name: z.string(),
  /** What the user should know about how the model was loaded. */
  notes: z.array(z.string()),
  /** The Python interpreter that ran it; null for ONNX. */
  interpreter: z.string().nullable(),
});

/** `runner.predict`: the server's whole answer, as `preflight predict --json` prints it, plus what the app shows. */
export const RunResultSchema = z.strictObject({
  /** HTTP status; 0 when an Azure deployment of the model would not even start. */
  status: z.number().int().nonnegative(),
  /** Lower-case header names → values (the ones that matter; per-request ids are added by the live server). */
  headers: z.record(z.string(), z.string()),
  /** The exact body text. */
  body_text: z.string(),
  /** JSON view of body_text (NaN/Infinity as strings; text bodies as a string); null when there is no answer. */
  body: z.unknown(),
  /** Time the host took to answer (load on first use included). */
  latency_ms: z.number().nonnegative(),
  engine: EngineKindSchema.nullable(),
  loader: LoaderInfoSchema.nullable(),
  /** What the real server only logs (Azure's error behind its generic 500). */
  server_log: z.string().nullable(),
  warnings: z.array(PayloadWarningSchema),
  mlflow_version: MlflowVersionInfoSchema,
});
export type RunResultData = z.infer<typeof RunResultSchema>;

const CandidateSourceSchema = z.enum(['setting', 'PREFLIGHT_PYTHON', 'VIRTUAL_ENV', 'CONDA_PREFIX', 'PATH', 'system']);

/** `runner.environment`: which engine runs the model; for Python, what was found and how it matches the pins. */
export const RunnerEnvironmentSchema = z.strictObject({
  engine: EngineKindSchema,
  /** One sentence for the UI. */
  summary: z.string(),
  python: z
    .strictObject({
      chosen: z
        .strictObject({
          path: z.string(),
          executable: z.string(),
          source: CandidateSourceSchema,
          version: z.string(),
          mlflowVersion: z.string().nullable(),
        })
        .nullable(),
      loader: z.enum(['mlflow', 'pickle-direct']).nullable(),
      candidates: z.array(
        z.strictObject({
          path: z.string(),
          source: CandidateSourceSchema,
          version: z.string().nullable(),
          error: z.string().nullable(),
          canLoad: z.boolean(),
          missing: z.array(z.string()),
        }),
      ),
      packages: z.array(
        z.strictObject({ name: z.string(), pinned: z.string(), file: z.string(), installed: z.string().nullable(), matches: z.boolean().nullable() }),
      ),
      findings: z.array(FindingSchema),
    })
    .nullable(),
});
export type RunnerEnvironmentData = z.infer<typeof RunnerEnvironmentSchema>;

/**
 * Why the real server of a local server's model, profile and MLflow version would never start (it fails while loading
 * the model or the scoring script): the local one listens and says it is healthy, but answers every scoring request
 * 500 `E_NOT_STARTED`. Plain words first; Python's line is what the real deployment's log would show.
 */
export const ServerWouldNotStartSchema = z.strictObject({
  /** Why, in plain words (the readiness check's sentence where it has one). */
  reason: z.string(),
  /** The error line the real server's log shows. */
  log: z.string(),
  /** The version the model pins (what Azure installs), when that one would start: only the version asked for fails. */
  pinnedStarts: z.string().nullable(),
  /** What to change in the model when the pinned version fails too (the readiness check's fix); null otherwise. */
  fix: z.string().nullable(),
});
export type ServerWouldNotStartData = z.infer<typeof ServerWouldNotStartSchema>;

/** A running local scoring server as the renderer sees it. The key is a secret and never part of it. */
export const ServerInfoSchema = z.strictObject({
  id: z.string(),
  modelPath: z.string(),
  url: z.string(),
  server: PayloadServerSchema,
  engine: EngineKindSchema,
  mlflowVersion: z.string(),
  /** Azure profile: a few leading characters of the key, so the user can tell keys apart; null for MLflow. */
  keyHint: z.string().nullable(),
  startedAt: z.string(),
  /** Set when the real server would not start with this model and version (see ServerWouldNotStartSchema). */
  wouldNotStart: ServerWouldNotStartSchema.nullable(),
});
export type ServerInfoData = z.infer<typeof ServerInfoSchema>;

export const ClipboardStatusSchema = z.strictObject({
  /** Whether the host can write to this computer's clipboard (the Electron app can; browser mode cannot). */
  available: z.boolean(),
  /** Why not, and where the key is instead; null when available. */
  reason: z.string().nullable(),
});

/** Server log lines: no headers, bodies, query strings or keys. */
export const ServerRequestEventSchema = z.strictObject({
  id: z.string(),
  time: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number().int(),
  ms: z.number().nonnegative(),
  /** Only on events that are no request's answer: the ONNX serving process crashed or hung and was restarted (method/path '', status 0). */
  error: z.string().optional(),
});
export type ServerRequestEventData = z.infer<typeof ServerRequestEventSchema>;

const OpIdSchema = z.string().min(1).max(100);

/** The app's colour theme setting (issue 10): follow the OS, or an override. */
export const ThemeSchema = z.enum(['system', 'light', 'dark']);
export type ThemeSetting = z.infer<typeof ThemeSchema>;

// ---- batch (issue 4 "Batch"): offline Azure ML batch deployment jobs --------------------------------

export const BatchOutputActionSchema = z.enum(['append_row', 'summary_only']);

export const BatchProgressSchema = z.strictObject({
  jobId: z.string(),
  /** The file being read (base name); null before the first and after the last. */
  file: z.string().nullable(),
  rowsDone: z.number().int().nonnegative(),
  /** Known up front for parquet inputs only. */
  rowsTotal: z.number().int().nonnegative().nullable(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  /** Bytes of the input files read so far and in all: how far a job is within one big CSV, whose rows are not known up front. */
  bytesDone: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  /** Time since the job started (ms): with rowsDone, its rows per second and time left. */
  elapsedMs: z.number().nonnegative(),
});

export const BatchSummarySchema = z.strictObject({
  jobId: z.string(),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  modelPath: z.string(),
  input: z.string(),
  outDir: z.string(),
  outputAction: BatchOutputActionSchema,
  /** null when no predictions file was written (summary_only, failed, cancelled). */
  predictionsPath: z.string().nullable(),
  summaryPath: z.string(),
  engine: z.enum(['onnx', 'python']),
  chunkRows: z.number().int().positive(),
  files: z.array(
    z.strictObject({
      file: z.string(),
      path: z.string(),
      format: z.enum(['csv', 'parquet']),
      status: z.enum(['succeeded', 'failed', 'skipped']),
      rows: z.number().int().nonnegative(),
      ms: z.number().nonnegative(),
      /** Why the file failed, in the words Azure logs it ("Error processing input file: …"). */
      error: z.string().nullable(),
    }),
  ),
  /** Rows scored (and written, for append_row). */
  rows: z.number().int().nonnegative(),
  ms: z.number().nonnegative(),
  /** The error that stopped the job; null when it succeeded. */
  error: z.strictObject({ code: z.string(), message: z.string(), file: z.string().nullable() }).nullable(),
  /** Things the user should know: nested folders ignored, no signature (typing not enforced), chunking. */
  notes: z.array(z.string()),
  /** The first predictions (at most BATCH_PREVIEW_ROWS), as written to the predictions file: for a quick look. */
  preview: z.array(z.strictObject({ row: z.number().int().nonnegative(), prediction: z.string(), file_name: z.string() })),
});
export type BatchSummaryData = z.infer<typeof BatchSummarySchema>;
export type BatchProgressData = z.infer<typeof BatchProgressSchema>;

// ---- settings (issue 4 "explicit setting"): the Python interpreter discovery tries first -------------

/** `settings.getPythonInterpreter` / `settings.setPythonInterpreter`: the saved interpreter and what comes after it. */
export const PythonInterpreterSettingSchema = z.strictObject({
  /** The saved setting; null when none is set (discovery uses PREFLIGHT_PYTHON, VIRTUAL_ENV, CONDA_PREFIX, then PATH). */
  path: z.string().nullable(),
  /** What the saved interpreter runs as, when it still runs. */
  interpreter: z.strictObject({ executable: z.string(), version: z.string() }).nullable(),
  /** Why the saved value cannot be used now (removed since it was saved); null when fine or unset. */
  problem: z.string().nullable(),
  /** The variables discovery consults after the setting, as the host sees them. */
  fallbacks: z.strictObject({ PREFLIGHT_PYTHON: z.string().nullable(), VIRTUAL_ENV: z.string().nullable(), CONDA_PREFIX: z.string().nullable() }),
});
export type PythonInterpreterSettingData = z.infer<typeof PythonInterpreterSettingSchema>;

/** One request to a model as a server receives it: `payload.validate` and `runner.predict` take the same. */
/** `server.stopped`'s reason when the user pressed Stop (the renderer shows no notice for it). */
export const SERVER_STOPPED_BY_USER = 'stopped from the app';

export const ModelRequestSchema = z.strictObject({
  modelPath: z.string().min(1, 'modelPath must not be empty'),
  body: PayloadBodySchema,
  server: PayloadServerSchema,
  /** null: the request carries no Content-Type header. */
  contentType: z.string().nullable(),
  /** Emulate this MLflow version (X.Y or X.Y.Z) instead of the model's pin. */
  mlflowVersion: z.string().nullable().optional(),
});

/** `trust.*`: whether a model's folder may run its code (model-folder trust, like VS Code's workspace trust). */
export const TrustStatusSchema = z.strictObject({ folder: z.string(), trusted: z.boolean() });
export type TrustStatusData = z.infer<typeof TrustStatusSchema>;
const TrustPathSchema = z.strictObject({ path: z.string().min(1, 'path must not be empty').max(4096) });

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
        ModelRequestSchema.extend({
          /** Lets `payload.cancel` drop this validation (a large body's takes seconds; the editor's next one replaces it). */
          opId: OpIdSchema.optional(),
        }),
        ValidationResultSchema,
        "What the server answers to the body and what the model receives. Errors: the model's (E_NOT_FOUND, E_NOT_A_MODEL, …), E_INVALID_INPUT for a bad mlflowVersion or an opId in use, E_CANCELLED.",
      ),
      cancel: rpc(z.strictObject({ opId: OpIdSchema }), z.strictObject({ cancelled: z.boolean() }), 'Cancel a payload.validate started with this opId by this window; cancelled is false when it had finished.'),
      samples: rpc(
        z.strictObject({
          modelPath: z.string().min(1, 'modelPath must not be empty'),
          /** The MLflow version the servers run (X.Y or X.Y.Z) instead of the model's pin: decides the MLflow sample's form. */
          mlflowVersion: z.string().nullable().optional(),
        }),
        PayloadSamplesSchema,
        "A sample body for each server, from the model's input examples or its signature. Errors: the model's, E_INVALID_INPUT for a bad mlflowVersion.",
      ),
      convert: rpc(
        z.strictObject({
          body: PayloadBodySchema,
          contentType: z.string().nullable(),
          to: PayloadConvertTargetSchema,
          modelPath: z.string().min(1).nullable().optional(),
          fromServer: PayloadServerSchema.nullable().optional(),
          /** The MLflow version the MLflow forms are for (X.Y or X.Y.Z) instead of the model's pin; 1.x reads bare pandas bodies. */
          mlflowVersion: z.string().nullable().optional(),
        }),
        ConversionResultSchema,
        'The body rewritten in another form; {ok:false, error} (data, not a thrown error) when it cannot be. Errors: the model\'s, E_INVALID_INPUT for a bad mlflowVersion.',
      ),
    },
    runner: {
      predict: rpc(
        ModelRequestSchema.extend({
          /** Lets `runner.cancel` stop this run. */
          opId: OpIdSchema.optional(),
        }),
        RunResultSchema,
        "Run the model on the body offline; the answer the server would give. Rejected requests and model exceptions are answers. Errors: the model's (E_NOT_FOUND, …), E_ENVIRONMENT (no Python that can load it), E_MODEL_LOAD, E_TIMEOUT, E_RUNTIME_CRASHED, E_CANCELLED.",
      ),
      cancel: rpc(z.strictObject({ opId: OpIdSchema }), z.strictObject({ cancelled: z.boolean() }), 'Cancel a runner.predict started with this opId by this window; cancelled is false when it had finished.'),
      environment: rpc(
        z.strictObject({ modelPath: z.string().min(1, 'modelPath must not be empty') }),
        RunnerEnvironmentSchema,
        "Which engine runs the model; for Python the interpreter found, its mlflow, and the model's pins against it. Errors: the model's.",
      ),
    },
    server: {
      start: rpc(
        z.strictObject({
          modelPath: z.string().min(1, 'modelPath must not be empty'),
          server: PayloadServerSchema,
          /** 0 or absent: any free port. */
          port: z.number().int().min(0).max(65535).optional(),
          mlflowVersion: z.string().nullable().optional(),
        }),
        ServerInfoSchema,
        'Serve the model on 127.0.0.1 like an Azure ML endpoint or mlflow models serve. The key stays in the host. A model the real server would not start with still serves (health checks up, scoring 500 E_NOT_STARTED, as the emulation answers): wouldNotStart says why. Errors: the model\'s, E_ENVIRONMENT (port taken, no Python), E_MODEL_LOAD.',
      ),
      stop: rpc(z.strictObject({ id: z.string() }), z.strictObject({ stopped: z.boolean() }), 'Stop a server; stopped is false when it was not running.'),
      list: rpc(Empty, z.strictObject({ servers: z.array(ServerInfoSchema), clipboard: ClipboardStatusSchema }), 'Running servers, oldest first, and whether Copy key can work here.'),
      copyKey: rpc(
        z.strictObject({ id: z.string() }),
        z.strictObject({ copied: z.boolean(), message: z.string() }),
        "Put the server's key on this computer's clipboard (the key never crosses IPC). copied is false where the host has no clipboard (browser mode prints the key in its terminal instead). Errors: E_NOT_FOUND for an unknown id, E_INVALID_INPUT for an MLflow server (no key).",
      ),
    },
    batch: {
      run: rpc(
        z.strictObject({
          modelPath: z.string().min(1, 'modelPath must not be empty'),
          /** A .csv / .parquet / .pqt file or a folder of them (not recursive). */
          input: z.string().min(1, 'input must not be empty'),
          /** Output folder; created when missing. */
          outDir: z.string().min(1, 'outDir must not be empty'),
          /** Rows scored per model call (bounds memory). Default 10 000. */
          chunkRows: z.number().int().min(1).max(1_000_000).optional(),
          /** Azure's `output_file_name`. Default predictions.csv. */
          outputFileName: z.string().min(1).optional(),
          /** Azure's `output_action` (payloads.md §7). Default append_row. */
          outputAction: BatchOutputActionSchema.optional(),
          /** Replace output files that exist and were not written by Preflight; without it such a job fails with E_OUTPUT_EXISTS (ask the user, then retry with true). */
          overwrite: z.boolean().optional(),
          /** Chosen by the caller so batch.cancel and batch.progress events can name the job. */
          jobId: z.string().min(1).max(100).optional(),
        }),
        BatchSummarySchema,
        "Score the input files like an Azure ML batch deployment; writes predictions.csv and summary.json into outDir. A job that fails or is cancelled resolves with status failed/cancelled (no predictions file). Errors: the model's (E_NOT_FOUND, …), E_NOT_FOUND for the input, E_INVALID_INPUT for bad options or an output path that is an input, E_OUTPUT_EXISTS for an output file Preflight did not write (retry with overwrite: true once the user agrees), E_ENVIRONMENT (no Python).",
      ),
      cancel: rpc(z.strictObject({ jobId: z.string() }), z.strictObject({ cancelled: z.boolean() }), 'Cancel a running batch job; cancelled is false when no such job runs.'),
    },
    compare: {
      run: rpc(
        CompareInputSchema,
        CompareResultSchema,
        "Send one request to every target (local runner profiles, URLs that speak for azureml or mlflow), converted to each target's form, and a verdict over the answers. A target that does not answer is data (its error), not a thrown error. Errors: the model's (E_NOT_FOUND, …), E_CANCELLED.",
      ),
      cancel: rpc(z.strictObject({ opId: OpIdSchema }), z.strictObject({ cancelled: z.boolean() }), 'Cancel a compare.run started with this opId by this window; cancelled is false when it had finished.'),
      history: rpc(
        z.strictObject({ query: z.string().max(HISTORY_QUERY_MAX).default(''), limit: z.number().int().min(1).max(200).default(50) }),
        // total: the runs that match the query; kept: all runs in the history (what the panel's count says)
        z.strictObject({ entries: z.array(CompareHistoryEntrySchema), total: z.number().int().nonnegative(), kept: z.number().int().nonnegative() }),
        "Past comparisons made in the app, newest first; query matches the verdict, the model path, target names and the body (case-insensitive). Headers are never kept.",
        ),
      csvRows: rpc(
        z.strictObject({ path: z.string().min(1, 'the CSV path must not be empty'), rows: z.number().int().min(1).max(10_000) }),
        z.strictObject({ body: z.string(), contentType: z.literal('text/csv'), rows: z.number().int().nonnegative() }),
        'The header and the first rows of a CSV file as a CSV request body ("fill N rows from a CSV"). Errors: E_NOT_FOUND, E_INVALID_PAYLOAD (empty file, no data rows), E_INVALID_FILE.',
      ),
      replay: rpc(
        ReplayInputSchema,
        ReplaySummarySchema,
        'Replay a CSV file (or the input example) through every target in chunks of rowsPerRequest rows, each chunk one compare; progress goes out as compare.replay-progress events (summaries, never rows); compare.cancel with the same opId stops it (status cancelled, with what was done). A failure mid-way resolves with status failed and the error. Errors: E_INVALID_INPUT (opId in use).',
      ),
      },
    package: {
      build: rpc(
        z.strictObject({
          modelPath: z.string().min(1, 'modelPath must not be empty'),
          /** The archive to write: .tar.gz, .tgz or .zip. */
          out: z.string().min(1, 'out must not be empty'),
          /** A folder of .whl files (e.g. filled with `pip download`); null for none. */
          wheels: z.string().nullable().optional(),
          python: z.string().min(1).max(20).optional(),
          platform: z.string().min(1).max(60).optional(),
          deployment: z.enum(['online', 'batch']).optional(),
          format: z.enum(['tar.gz', 'zip']).optional(),
          /** Fill what the wheel folder lacks with the local `pip download` for the target (needs pip and network). */
          download: z.strictObject({ indexUrl: z.string().max(4096).nullable().optional(), findLinks: z.string().max(4096).nullable().optional() }).nullable().optional(),
          /** Chosen by the caller so package.cancel and package.progress events can name the build. */
          operationId: OpIdSchema.optional(),
        }),
        PackageBuildSummarySchema,
        'Build the offline package (issue 9): resolve the environment against the wheels, then write model/, environment/, wheels/, deploy/, README.md and manifest.json into one archive, atomically. A build with gaps, a failure or a cancel resolves with status failed/cancelled and writes no file. Errors: E_NOT_FOUND (model or wheel folder), E_NOT_A_MODEL, E_INVALID_INPUT (out name, python, platform).',
      ),
      cancel: rpc(z.strictObject({ operationId: z.string() }), z.strictObject({ cancelled: z.boolean() }), 'Cancel a running package build; cancelled is false when no such build runs. The partial file is removed.'),
      verify: rpc(
        z.strictObject({ path: z.string().min(1, 'path must not be empty') }),
        PackageVerifyReportSchema,
        'Verify a package: unpack into a temp folder (refusing zip-slip and links), recompute every hash, check completeness, re-run the offline resolution. verdict PASS or FAIL with reasons.',
      ),
      ...packageAzureMethods,
      ...packageOpenMethods,
    },
    settings: {
      getPythonInterpreter: rpc(Empty, PythonInterpreterSettingSchema, 'The saved Python interpreter (probed again: it may have been removed since), and the fallbacks discovery uses after it.'),
      setPythonInterpreter: rpc(
        z.strictObject({ path: z.string().max(4096, 'the path is longer than 4096 characters').nullable() }),
        PythonInterpreterSettingSchema,
        'Probe and save the interpreter the Python engine tries first (applies to the next model load); null clears it. Errors: E_INVALID_INPUT naming the path and what is wrong (missing, not executable, not Python, older than 3.8, relative) — nothing is saved then; E_ENVIRONMENT when the settings file cannot be written.',
      ),
    },
    trust: {
      status: rpc(TrustPathSchema, TrustStatusSchema, "Whether the model's folder is trusted to run its code (Python models need it; inspecting and ONNX runs do not)."),
      grant: rpc(TrustPathSchema, TrustStatusSchema, "Trust the model's folder (and its subfolders) to run code; remembered in the app store. Runs that failed with E_UNTRUSTED can then be retried."),
      revoke: rpc(TrustPathSchema, TrustStatusSchema, 'Forget the trust given to exactly this folder (a trusted parent folder still covers it).'),
    },
    azure: { ...azureMethods, ...azureViewMethods, ...azureFilesMethods },
    collections: {
      list: rpc(CollectionListInputSchema, CollectionListSchema, 'Saved requests (*.request.json) in a folder, by name. Errors: E_NOT_FOUND (no such folder).'),
      open: rpc(CollectionOpenInputSchema, SavedRequestSchema, 'Read one saved request. Secret header values were never saved (null). Errors: E_NOT_FOUND, E_INVALID_FILE naming what is wrong.'),
      save: rpc(CollectionSaveInputSchema, CollectionSaveSchema, 'Write a request as <name>.request.json (atomic; secret header values left out and listed). Errors: E_OUTPUT_EXISTS unless overwrite; E_FORBIDDEN in browser mode outside granted folders.'),
      rename: rpc(CollectionRenameInputSchema, z.strictObject({ file: z.string() }), "Rename a saved request (its name and its file). Errors: E_NOT_FOUND, E_OUTPUT_EXISTS when the new name's file exists."),
    },
    theme: {
      get: rpc(Empty, z.strictObject({ theme: ThemeSchema }), "The colour theme: 'system' follows the OS (light/dark), 'light' or 'dark' override it."),
      set: rpc(z.strictObject({ theme: ThemeSchema }), z.strictObject({ theme: ThemeSchema }), 'Save the colour theme (kept in the app store). Errors: E_ENVIRONMENT when the settings file cannot be written.'),
    },
  },
  events: {
    /** The recent list changed (another window opened a model). */
    'model.recent-changed': z.object({ items: z.array(RecentModelSchema) }),
    /** A batch job's progress (at most 10 per second, plus one per file boundary). */
    'batch.progress': BatchProgressSchema,
    /** A package build's progress (at most 10 per second, plus one per step). */
    'package.progress': PackageProgressSchema,
    /** A local scoring server answered a request (its live log). */
    'server.request': ServerRequestEventSchema,
    /** A local scoring server stopped (by the user, or because the host is shutting down). */
    'server.stopped': z.strictObject({ id: z.string(), reason: z.string() }),
    /** A replay's progress (at most 5 per second, plus the first and the last). */
    'compare.replay-progress': ReplayProgressSchema,
    ...azureEvents,
    ...azureViewEvents,
    ...packageAzureEvents,
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

/**
 * One request/answer shape from contract to engine: what a handler receives (the parsed input, defaults
 * applied) and must return. Services declare their request and answer types as these (minus the caller's
 * operation id), so a handler passes the input through and returns the service's answer without copies or casts.
 */
export type CallInput<N extends Namespace, M extends MethodOf<N>> = Methods[N][M] extends Spec ? z.output<Methods[N][M]['input']> : never;
export type CallOutput<N extends Namespace, M extends MethodOf<N>> = Methods[N][M] extends Spec ? z.output<Methods[N][M]['output']> : never;
/** The five fields of one request to a model (`payload.validate`, `runner.predict`, the CLI's validate/predict). */
export type ModelRequest = z.output<typeof ModelRequestSchema>;

/** The API a renderer (or any client) sees: every method returns the unwrapped output or throws AppError. */
export type Api = {
  [N in Namespace]: {
    [M in MethodOf<N>]: Methods[N][M] extends Spec ? (input: InputOf<Methods[N][M]>) => Promise<OutputOf<Methods[N][M]>> : never;
  };
};
