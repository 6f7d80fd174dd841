import { z } from 'zod';

/**
 * The result of inspecting an MLflow model folder: what `model.inspect` returns over IPC and what
 * `preflight inspect --json` prints. This is a documented, stable shape (README "inspect --json"):
 * add optional fields freely, never rename or remove one without bumping `schemaVersion`.
 */

// ---- signature (payloads.md §1) -------------------------------------------------------------

/** A column DataType, recursive for array/object/map (payloads.md §1 "Complex types"). */
export type ColType =
  | { type: 'boolean' | 'integer' | 'long' | 'float' | 'double' | 'string' | 'binary' | 'datetime' }
  | { type: 'array'; items: ColType }
  | { type: 'object'; properties: Record<string, { type: ColType; required: boolean }> }
  | { type: 'map'; values: ColType }
  | { type: 'any' }
  | { type: 'sparkml_vector' };

export const ScalarTypeNames = ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime'] as const;

export const ColTypeSchema: z.ZodType<ColType> = z.lazy(() =>
  z.union([
    z.object({ type: z.enum(ScalarTypeNames) }),
    z.object({ type: z.literal('array'), items: ColTypeSchema }),
    z.object({
      type: z.literal('object'),
      properties: z.record(z.string(), z.object({ type: ColTypeSchema, required: z.boolean() })),
    }),
    z.object({ type: z.literal('map'), values: ColTypeSchema }),
    z.object({ type: z.literal('any') }),
    z.object({ type: z.literal('sparkml_vector') }),
  ]),
);

export const ColumnSpecSchema = z.object({
  name: z.string().nullable(),
  type: ColTypeSchema,
  /** false only when the column may be omitted from a request (`required: false`, or a complex type without it). */
  required: z.boolean(),
  /** Human-readable type, e.g. `array<double>`, `object{a: long, b?: string}`. */
  display: z.string(),
});
export type ColumnSpec = z.infer<typeof ColumnSpecSchema>;

export const TensorSpecSchema = z.object({
  name: z.string().nullable(),
  /** numpy dtype name as written in MLmodel, e.g. `float32`, `int64`, `object`, `str`. */
  dtype: z.string(),
  /** -1 marks a variable dimension. */
  shape: z.array(z.number().int()),
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

export const SchemaSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('columns'), columns: z.array(ColumnSpecSchema) }),
  z.object({ kind: z.literal('tensors'), tensors: z.array(TensorSpecSchema) }),
]);
export type Schema = z.infer<typeof SchemaSchema>;

export const ParamSpecSchema = z.object({
  name: z.string(),
  /** DataType name, or `object` for object params (payloads.md §1 "params"). */
  type: z.string(),
  display: z.string(),
  default: z.unknown(),
  /** null for a scalar, `[-1]` for a 1-D list. */
  shape: z.array(z.number().int()).nullable(),
});
export type ParamSpec = z.infer<typeof ParamSpecSchema>;

export const SignatureSchema = z.object({
  inputs: SchemaSchema.nullable(),
  outputs: SchemaSchema.nullable(),
  params: z.array(ParamSpecSchema).nullable(),
  /** The JSON strings exactly as MLmodel holds them, for display and for the payload engine. */
  raw: z.object({ inputs: z.string().nullable(), outputs: z.string().nullable(), params: z.string().nullable() }),
});
export type Signature = z.infer<typeof SignatureSchema>;

// ---- MLmodel -----------------------------------------------------------------------------------

export const FlavorSchema = z.object({
  name: z.string(),
  /** Every key of the flavor block, as parsed. */
  settings: z.record(z.string(), z.unknown()),
});
export type Flavor = z.infer<typeof FlavorSchema>;

export const MLmodelSchema = z.object({
  /** Path of the MLmodel file relative to the model folder (normally `MLmodel`). */
  file: z.string(),
  flavors: z.array(FlavorSchema),
  /** `python_function.loader_module`, when there is a python_function flavor. */
  loaderModule: z.string().nullable(),
  /** `python_function.python_version`. */
  pythonVersion: z.string().nullable(),
  mlflowVersion: z.string().nullable(),
  modelUuid: z.string().nullable(),
  runId: z.string().nullable(),
  utcTimeCreated: z.string().nullable(),
  artifactPath: z.string().nullable(),
  databricksRuntime: z.string().nullable(),
  modelSizeBytes: z.number().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  savedInputExampleInfo: z.record(z.string(), z.unknown()).nullable(),
  /** MLflow ≥ 2.20 type-hint signatures (payloads.md §1). */
  isSignatureFromTypeHint: z.boolean(),
  /** Every top-level key of MLmodel, as parsed, so nothing is hidden. */
  raw: z.record(z.string(), z.unknown()),
});
export type MLmodelInfo = z.infer<typeof MLmodelSchema>;

// ---- input examples ----------------------------------------------------------------------------

export const InputExampleSchema = z.object({
  /** File name relative to the model folder, e.g. `input_example.json`, `serving_input_example.json`. */
  file: z.string(),
  role: z.enum(['input_example', 'serving_input_example']),
  /**
   * What the content is, from `saved_input_example_info` and the content itself:
   * `dataframe-split`, `dataframe-values`, `ndarray`, `named-ndarrays`, `tf-serving` (pre-2.16 ndarray),
   * `json-object`, `sparse`, `serving-body`, `legacy-split` (MLflow 1.x columns/data), `unknown`.
   */
  form: z.string(),
  /** Parsed JSON, or null when it did not parse (see `error`). */
  content: z.unknown(),
  /** Pretty-printed JSON (2-space indent) or the raw text when it did not parse. Truncated to 200 kB. */
  pretty: z.string(),
  truncated: z.boolean(),
  /** Whether the example carries `params`. */
  hasParams: z.boolean(),
  error: z.string().nullable(),
});
export type InputExample = z.infer<typeof InputExampleSchema>;

// ---- environment -------------------------------------------------------------------------------

export const EnvFileSchema = z.object({
  file: z.string(),
  kind: z.enum(['conda', 'python_env', 'requirements', 'constraints']),
  /** Python version the file asks for, when it says. */
  python: z.string().nullable(),
  error: z.string().nullable(),
});
export type EnvFile = z.infer<typeof EnvFileSchema>;

export const DependencySchema = z.object({
  /** Normalised (PEP 503: lower-case, `_`/`.` → `-`) package name. */
  name: z.string(),
  /** Version specifier as written (`==1.2.3`, `>=2,<3`, `` for none), or a URL/path for direct references. */
  spec: z.string(),
  /** The whole requirement as written in the file. */
  raw: z.string(),
  file: z.string(),
  /** 1-based line in the file, when known. */
  line: z.number().int().nullable(),
  /** `conda` for conda-channel packages, `pip` for pip requirements (including conda.yaml's pip list). */
  installer: z.enum(['conda', 'pip']),
  /** conda channel when given (`conda-forge::numpy`) or the file's channels. */
  channel: z.string().nullable(),
  /** What installing it needs: a public index, or something a private-link workspace cannot reach. */
  source: z.enum(['index', 'vcs', 'url', 'local-path', 'private-index', 'option']),
});
export type Dependency = z.infer<typeof DependencySchema>;

export const DependencyConflictSchema = z.object({
  name: z.string(),
  entries: z.array(z.object({ file: z.string(), spec: z.string() })),
  message: z.string(),
});
export type DependencyConflict = z.infer<typeof DependencyConflictSchema>;

export const EnvironmentSchema = z.object({
  files: z.array(EnvFileSchema),
  dependencies: z.array(DependencySchema),
  conflicts: z.array(DependencyConflictSchema),
  /** Extra index URLs / find-links seen in pip options (credentials redacted). */
  indexUrls: z.array(z.string()),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

// ---- ONNX --------------------------------------------------------------------------------------

export type OnnxType =
  | { kind: 'tensor'; elemType: string; shape: (number | string | null)[] | null }
  | { kind: 'sparse_tensor'; elemType: string; shape: (number | string | null)[] | null }
  | { kind: 'sequence'; elem: OnnxType | null }
  | { kind: 'map'; keyType: string; value: OnnxType | null }
  | { kind: 'optional'; elem: OnnxType | null }
  | { kind: 'unknown' };

export const OnnxTypeSchema: z.ZodType<OnnxType> = z.lazy(() =>
  z.union([
    z.object({
      kind: z.enum(['tensor', 'sparse_tensor']),
      elemType: z.string(),
      /** null: rank unknown. A number is a fixed dim, a string a symbolic dim (`N`), null an anonymous dynamic dim. */
      shape: z.array(z.union([z.number(), z.string(), z.null()])).nullable(),
    }),
    z.object({ kind: z.literal('sequence'), elem: OnnxTypeSchema.nullable() }),
    z.object({ kind: z.literal('map'), keyType: z.string(), value: OnnxTypeSchema.nullable() }),
    z.object({ kind: z.literal('optional'), elem: OnnxTypeSchema.nullable() }),
    z.object({ kind: z.literal('unknown') }),
  ]),
) as z.ZodType<OnnxType>;

export const OnnxValueInfoSchema = z.object({
  name: z.string(),
  type: OnnxTypeSchema,
  /** e.g. `tensor(float)[N,10]`, `seq(map(int64,tensor(float)))`. */
  display: z.string(),
  docString: z.string().nullable(),
});
export type OnnxValueInfo = z.infer<typeof OnnxValueInfoSchema>;

export const OnnxSummarySchema = z.object({
  /** Path relative to the model folder (or the file name for a bare `.onnx`). */
  file: z.string(),
  fileSize: z.number(),
  irVersion: z.number().nullable(),
  producerName: z.string().nullable(),
  producerVersion: z.string().nullable(),
  domain: z.string().nullable(),
  modelVersion: z.number().nullable(),
  docString: z.string().nullable(),
  graphName: z.string().nullable(),
  opsetImports: z.array(z.object({ domain: z.string(), version: z.number() })),
  metadataProps: z.array(z.object({ key: z.string(), value: z.string() })),
  /** Graph inputs that are not initializers (what a caller feeds). */
  inputs: z.array(OnnxValueInfoSchema),
  outputs: z.array(OnnxValueInfoSchema),
  nodeCount: z.number(),
  /** Distinct op types used by the top-level graph's nodes, sorted: default-domain ops bare (`Add`), others `domain:op_type` (`ai.onnx.ml:ZipMap`). */
  opTypes: z.array(z.string()),
  initializerCount: z.number(),
  /** Bytes of initializer data inside the file (skipped, never read). */
  initializerBytes: z.number(),
  /** External-data files named by initializers, with their sizes (null when missing). */
  externalData: z.array(z.object({ location: z.string(), bytes: z.number().nullable(), exists: z.boolean() })),
});
export type OnnxSummary = z.infer<typeof OnnxSummarySchema>;

// ---- files, findings, problems -----------------------------------------------------------------

export const FileEntrySchema = z.object({
  /** POSIX path relative to the model folder. */
  path: z.string(),
  kind: z.enum(['file', 'dir', 'symlink']),
  /** Bytes for files; the sum of contents for folders. */
  size: z.number(),
  /** For symlinks: where it points, and whether that stays inside the folder. */
  target: z.string().nullable(),
  outside: z.boolean(),
});
export type FileEntry = z.infer<typeof FileEntrySchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const FindingSchema = z.object({
  /** Stable rule id, e.g. `no-pyfunc-flavor`, `needs-private-link-packaging`. */
  code: z.string(),
  severity: SeveritySchema,
  title: z.string(),
  /** What in the folder shows it: quoted values, file names, columns. */
  evidence: z.string(),
  /** What to do about it. */
  fix: z.string(),
  /** The file the finding is about, relative to the model folder, when there is one. */
  file: z.string().nullable(),
  /** Where the fact comes from: one or more public https links (docs, source at a commit, issues), space-separated. */
  reference: z.string().nullable(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** A part of the folder that could not be read; inspection goes on without it. */
export const ProblemSchema = z.object({
  file: z.string(),
  code: z.string(),
  message: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/**
 * A mapping key written twice in MLmodel, conda.yaml or python_env.yaml. PyYAML (`yaml.safe_load`, how MLflow and
 * Azure ML read these files) keeps the last value without a word, and so does Preflight; the report says so, since
 * the first value is often the one the user meant to edit.
 */
export const YamlDuplicateKeySchema = z.object({
  /** The file relative to the model folder. */
  file: z.string(),
  /** Dotted path of the key, e.g. `flavors.python_function.loader_module`. */
  key: z.string(),
  /** 1-based line of the value that counts (the last), and of the first one written. */
  line: z.number().int(),
  firstLine: z.number().int(),
});
export type YamlDuplicateKey = z.infer<typeof YamlDuplicateKeySchema>;

export const ModelReportSchema = z.object({
  schemaVersion: z.literal(1),
  /** Absolute path of the folder (or of the bare `.onnx` file). */
  path: z.string(),
  name: z.string(),
  /** `mlflow-folder`, or `onnx-file` when a bare `.onnx` file was opened. */
  kind: z.enum(['mlflow-folder', 'onnx-file']),
  mlmodel: MLmodelSchema.nullable(),
  signature: SignatureSchema.nullable(),
  inputExamples: z.array(InputExampleSchema),
  environment: EnvironmentSchema,
  onnx: z.array(OnnxSummarySchema),
  files: z.array(FileEntrySchema),
  totalBytes: z.number(),
  findings: z.array(FindingSchema),
  problems: z.array(ProblemSchema),
  /**
   * Keys written twice in MLmodel, conda.yaml or python_env.yaml (the last one is used, as PyYAML reads them);
   * the readiness rules show them as info. Absent in reports saved before it existed.
   */
  duplicateKeys: z.array(YamlDuplicateKeySchema).optional(),
});
export type ModelReport = z.infer<typeof ModelReportSchema>;
