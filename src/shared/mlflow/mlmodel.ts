import { LineCounter, parseDocument, type Document } from 'yaml';
import { AppError, ErrorCodes } from '../errors';
import type { Flavor, MLmodelInfo } from './model-report';
import type { RawSignatureBlock } from './signature';
import { formatCount } from '../format-count';
import { duplicateYamlKeys, type YamlDuplicateKey } from './yaml-duplicate-keys';

/**
 * MLmodel (YAML) → the report's `MLmodelInfo`. Pure, so the renderer and the CLI share it.
 *
 * MLflow writes MLmodel with PyYAML and reads it with `yaml.safe_load`. Two consequences shape this code:
 * - version-like scalars are often unquoted (`python_version: 3.12`, `python: 3.10`): read as YAML 1.2 core
 *   numbers they would lose digits (3.10 → 3.1), so every text field is taken from a second, `failsafe`
 *   parse of the same text, where every scalar is the string as written;
 * - PyYAML accepts duplicate keys (the last wins), so `uniqueKeys` is off.
 * Aliases are capped (`maxAliasCount`) and the text size is capped by the caller, so a billion-laughs file
 * fails fast with E_INVALID_FILE instead of exhausting memory.
 */

/** Expanding more aliases than this is treated as an alias bomb. MLflow itself never writes aliases. */
export const MLMODEL_MAX_ALIAS_COUNT = 100;

/**
 * YAML entries (lines, and `,` `[` `{` outside quoted scalars) read at most. The yaml parser costs about
 * 10 µs and hundreds of bytes per entry, so a 4 MB file of repeated keys blocked the event loop for
 * 27 s and took 1.8 GB (issue 12 item 4); 20 000 entries parse in about 0.2 s. MLflow writes a few dozen
 * entries, but a signature is one quoted scalar that PyYAML wraps at 80 columns: a 60 000-column model's
 * MLmodel (3.9 MB) has 45 000 lines — see QUOTED_LINES_PER_ENTRY.
 */
export const YAML_MAX_ENTRIES = 20_000;

/**
 * A line break inside a quoted scalar, followed by a line indented deeper than the line the scalar opened on
 * (how PyYAML wraps a long value), costs the parser a fraction of an entry: 400 000 such lines (1.6 MB) parsed
 * in 1.4 s and 36 MB, linear. Any other break inside quotes counts whole: continuation lines indented too
 * little are the parser's slow path (160 000 of them took 11 s and 480 MB, 2 000 000 ran out of memory).
 */
const QUOTED_LINES_PER_ENTRY = 8;

/**
 * Characters of double-quoted scalars that cost the parser an entry. It builds such a value a character at a time
 * (`res += ch`, plus escapes), about 1 µs and 70 bytes a character: a 15 MB one-value MLmodel took 28 s and 1.1 GB,
 * 1 MB took 0.5–1 s on a loaded machine where 20 000 entries took 2.2 s. Single-quoted and plain scalars are read
 * in slices (15 MB: 0.4 s, 60 MB), so they count by their lines only: a wide signature (one single-quoted scalar
 * of about 60 bytes a column) is bounded by its lines, not by this. MLflow's signature is single-quoted whatever its
 * column names: `Schema.to_json` is a plain `json.dumps` (ASCII, `\u00e9` escapes), which PyYAML's safe_dump quotes
 * with single quotes; checked with Debian's PyYAML.
 */
export const DOUBLE_QUOTED_CHARS_PER_ENTRY = 100;

/** Counts YAML entries up to `limit + 1`; linear and allocation-free. */
export function countYamlEntries(text: string, limit = YAML_MAX_ENTRIES): number {
  return scanYaml(text, limit).entries;
}

interface YamlScan {
  entries: number;
  /** Characters inside double-quoted scalars read (the scan stops past `limit`). */
  doubleQuoted: number;
  /** The longest double-quoted scalar read: its length and the line it opens on (1-based; 0: none); `cut`: the scan stopped inside it. */
  longest: { chars: number; line: number; cut: boolean };
}

function scanYaml(text: string, limit: number): YamlScan {
  let n = 0;
  let quote = 0; // 0, or the char code of the open quote (' or ")
  let lineStart = 0;
  let line = 1;
  let quoteIndent = 0; // indent of the node the open quoted scalar belongs to
  let wrapped = 0; // cheap continuation lines seen (QUOTED_LINES_PER_ENTRY of them are one entry)
  let doubleQuoted = 0; // characters inside double-quoted scalars (DOUBLE_QUOTED_CHARS_PER_ENTRY of them are one entry)
  let opened = 0; // where the open double-quoted scalar starts
  let openedLine = 0;
  const longest = { chars: 0, line: 0, cut: false };
  const closeDouble = (at: number): void => {
    if (at - opened > longest.chars) {
      longest.chars = at - opened;
      longest.line = openedLine;
    }
  };
  let i = 0;
  for (; i < text.length && n <= limit; i++) {
    const c = text.charCodeAt(i);
    if (quote === 34 && ++doubleQuoted % DOUBLE_QUOTED_CHARS_PER_ENTRY === 0) n++;
    if (c === 10) {
      lineStart = i + 1;
      line++;
      if (quote !== 0 && indentOf(text, i + 1) > quoteIndent) {
        if (++wrapped === QUOTED_LINES_PER_ENTRY) {
          wrapped = 0;
          n++;
        }
      } else n++;
    } else if (quote === 0) {
      if (c === 39 || c === 34) {
        quote = c;
        quoteIndent = nodeIndent(text, lineStart);
        opened = i + 1;
        openedLine = line;
      } else if (c === 44 || c === 91 || c === 123) n++;
    } else if (c === quote) {
      if (c === 39 && text.charCodeAt(i + 1) === 39) i++; // '' inside a single-quoted scalar
      else {
        if (c === 34) closeDouble(i);
        quote = 0;
      }
    } else if (c === 92 && quote === 34 && text.charCodeAt(i + 1) !== 10) i++; // \x inside a double-quoted scalar (an escaped line break is a line: counted above)
  }
  if (quote === 34) {
    // stopped inside one: past the limit (its length is more than read), or at an unclosed quote
    closeDouble(i);
    longest.cut = longest.line === openedLine && i < text.length;
  }
  return { entries: n, doubleQuoted, longest };
}

/** Spaces at `at`; -1 for an empty line (a blank line in a quoted scalar counts whole). */
function indentOf(text: string, at: number): number {
  let i = at;
  while (text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  return c === 10 || c === 13 || Number.isNaN(c) ? -1 : i - at;
}

/** The column of a line's node: past its indent and any `- ` sequence markers (`  - key: 'x` → 4). */
function nodeIndent(text: string, lineStart: number): number {
  let i = lineStart;
  for (;;) {
    while (text.charCodeAt(i) === 32) i++;
    if (text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 32) i += 2;
    else return i - lineStart;
  }
}

/** What MLmodel says beyond `MLmodelInfo`, for the service to follow up on. */
export interface ParsedMLmodel {
  info: MLmodelInfo;
  /** The `signature:` mapping, or null when MLmodel has none. */
  signatureBlock: RawSignatureBlock | null;
  /** Environment files named by `python_function.env` (a string = conda; or `{conda, virtualenv}`). */
  envFiles: { conda: string | null; virtualenv: string | null };
  /**
   * Where the input example is described: `saved_input_example_info`, or the `input_example:` block of
   * very old (Java-era) files, which MLflow's own Java tests still carry.
   */
  exampleInfo: { artifactPath: string | null; servingInputPath: string | null; source: string } | null;
  /** Non-fatal oddities (wrong value types), each naming the key and the fix. */
  issues: string[];
  /** Keys written twice (the last one is used, as PyYAML reads it): shown as info, never an error. */
  duplicateKeys: YamlDuplicateKey[];
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** A stack overflow in the YAML parser or its conversion: nesting, not a syntax error. */
function isStackOverflow(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /Maximum call stack size exceeded|too much recursion/.test(message);
}

/**
 * Valid YAML nested hundreds of levels deep overflows the parser's stack, which it reports as an error at the line
 * it reached; "fix the YAML syntax" would send the user looking for a typo that is not there.
 */
function tooDeepYaml(file: string, line: number | null): AppError {
  return new AppError(
    ErrorCodes.INVALID_FILE,
    `${file} nests its lists or mappings too deeply to read${line === null ? '' : ` (past line ${line})`}: hundreds of levels, where MLflow writes a few. ` +
      'Check the file for a generated or damaged block and remove it, or re-save the model with MLflow.',
    { details: { file, line } },
  );
}

function yamlError(file: string, doc: Document.Parsed): AppError | null {
  const first = doc.errors[0];
  if (first === undefined) return null;
  const pos = first.linePos?.[0];
  if (isStackOverflow(first.message)) return tooDeepYaml(file, pos?.line ?? null);
  const where = pos === undefined ? '' : ` at line ${pos.line}, column ${pos.col}`;
  // yaml's message repeats the position and quotes the source line; keep only its first sentence.
  const reason = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return new AppError(
    ErrorCodes.INVALID_FILE,
    `${file} is not valid YAML${where}: ${reason}. Fix the YAML syntax on that line (MLflow writes MLmodel as plain ` +
      `"key: value" YAML), or re-save the model with MLflow.`,
    { details: { file, line: pos?.line ?? null, column: pos?.col ?? null } },
  );
}

function toJs(file: string, doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: MLMODEL_MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new AppError(
        ErrorCodes.INVALID_FILE,
        `${file} uses YAML aliases (*name) so heavily that expanding them could exhaust memory (a "billion laughs" ` +
          `pattern; more than ${formatCount(MLMODEL_MAX_ALIAS_COUNT)} alias expansions). MLflow never writes aliases: remove the ` +
          `&anchors and *aliases, or re-save the model with MLflow.`,
        { details: { file } },
      );
    }
    if (isStackOverflow(err)) throw tooDeepYaml(file, null);
    throw new AppError(
      ErrorCodes.INVALID_FILE,
      `${file} could not be read as YAML: ${err instanceof Error ? err.message : String(err)}. Re-save the model with MLflow.`,
      { details: { file }, cause: err },
    );
  }
}

/**
 * Parses YAML text into a plain value with the alias cap. Throws AppError(E_INVALID_FILE) naming `file`
 * and the line of the first syntax error. Exported for the other small YAML files of a model folder.
 */
export function parseYamlText(text: string, file: string, options: { schema?: 'core' | 'failsafe' } = {}): unknown {
  return parseYamlDocument(text, file, options).value;
}

/** A YAML file parsed once: its plain value, and the document with the line counter for the lines of its nodes. */
export interface ParsedYaml {
  value: unknown;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * `parseYamlText` that also hands back the parsed document and its line counter, so a caller that needs the lines
 * of items (environment.ts: a dependency row's line) does not parse the text a second time. Same caps, same errors.
 */
export function parseYamlDocument(text: string, file: string, options: { schema?: 'core' | 'failsafe' } = {}): ParsedYaml {
  const scan = scanYaml(text, YAML_MAX_ENTRIES);
  if (scan.entries > YAML_MAX_ENTRIES) {
    // Mostly one long double-quoted value (not one MLflow writes: a hand-edited or hostile file): say which, the
    // generic "repeated block" would send the user looking for a repetition that is not there.
    if (scan.doubleQuoted / DOUBLE_QUOTED_CHARS_PER_ENTRY > YAML_MAX_ENTRIES / 2) throw doubleQuotedTooLong(file, scan.longest);
    throw new AppError(
      ErrorCodes.INVALID_FILE,
      `${file} has more than ${formatCount(YAML_MAX_ENTRIES)} YAML entries (lines or list/mapping items); Preflight reads files of this kind up to that size so that a damaged file cannot freeze the app, and MLflow writes a few dozen. ` +
        `Check the file for a repeated or generated block and remove it, or re-save the model with MLflow.`,
      { details: { file, limit: YAML_MAX_ENTRIES } },
    );
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, schema: options.schema ?? 'core', prettyErrors: true });
  } catch (err) {
    // The parser reports most problems in doc.errors; anything thrown (e.g. stack exhaustion on absurd nesting) lands here.
    if (isStackOverflow(err)) throw tooDeepYaml(file, null);
    throw new AppError(ErrorCodes.INVALID_FILE, `${file} could not be parsed as YAML: ${err instanceof Error ? err.message : String(err)}.`, {
      details: { file },
      cause: err,
    });
  }
  const error = yamlError(file, doc);
  if (error) throw error;
  return { value: toJs(file, doc), doc, lineCounter };
}

function doubleQuotedTooLong(file: string, longest: YamlScan['longest']): AppError {
  const max = YAML_MAX_ENTRIES * DOUBLE_QUOTED_CHARS_PER_ENTRY;
  return new AppError(
    ErrorCodes.INVALID_FILE,
    `${file} has a double-quoted value of ${longest.cut ? 'more than ' : ''}${formatCount(longest.chars)} characters (opening on line ${longest.line}); ` +
      `Preflight reads up to about ${formatCount(max)} characters of double-quoted text in a file of this kind, because the YAML parser reads it a character at a time (a 15 MB value took 28 s and 1.1 GB). ` +
      `MLflow writes its values plain or single-quoted (the signature's JSON is ASCII), so this one was written by hand or by another tool: ` +
      `save the model again with MLflow, or check the file for a generated or damaged block.`,
    { details: { file, line: longest.line, limit: max } },
  );
}

/** A text field: null when absent or YAML null, the failsafe text as written otherwise. */
function textField(core: Plain, failsafe: Plain, key: string, issues: string[], where = key): string | null {
  const value = core[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') {
    issues.push(`MLmodel ${where} should be a single value, found ${kindOf(value)}; it is ignored`);
    return null;
  }
  const text = failsafe[key];
  return typeof text === 'string' ? text : String(value);
}

function mappingField(core: Plain, key: string, issues: string[]): Plain | null {
  const value = core[key];
  if (value === undefined || value === null) return null;
  if (!isPlain(value)) {
    issues.push(`MLmodel ${key} should be a mapping, found ${kindOf(value)}; it is ignored`);
    return null;
  }
  return value;
}

function envFilesOf(pyfunc: Plain | null, issues: string[]): ParsedMLmodel['envFiles'] {
  const env = pyfunc?.env;
  if (env === undefined || env === null) return { conda: null, virtualenv: null };
  // MLflow < 2.0 wrote `env: conda.yaml`; 2.x writes `env: {conda: conda.yaml, virtualenv: python_env.yaml}`.
  if (typeof env === 'string') return { conda: env, virtualenv: null };
  if (isPlain(env)) {
    const pick = (k: string): string | null => {
      const v = env[k];
      if (v === undefined || v === null) return null;
      if (typeof v === 'string') return v;
      issues.push(`MLmodel flavors.python_function.env.${k} should be a file name, found ${kindOf(v)}; it is ignored`);
      return null;
    };
    return { conda: pick('conda'), virtualenv: pick('virtualenv') };
  }
  issues.push(`MLmodel flavors.python_function.env should be a file name or {conda, virtualenv}, found ${kindOf(env)}; it is ignored`);
  return { conda: null, virtualenv: null };
}

function exampleInfoOf(info: Plain | null, legacy: Plain | null): ParsedMLmodel['exampleInfo'] {
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  if (info) {
    return { artifactPath: str(info.artifact_path), servingInputPath: str(info.serving_input_path), source: 'saved_input_example_info' };
  }
  if (legacy) return { artifactPath: str(legacy.artifact_path), servingInputPath: null, source: 'input_example' };
  return null;
}

/**
 * MLmodel text → ParsedMLmodel. `file` is the name relative to the model folder (normally `MLmodel`).
 * Throws AppError(E_INVALID_FILE) when the text is empty, not YAML, not a mapping, or an alias bomb.
 */
export function parseMLmodelText(text: string, file = 'MLmodel'): ParsedMLmodel {
  if (text.trim() === '') {
    throw new AppError(
      ErrorCodes.INVALID_FILE,
      `${file} is empty. An MLmodel file is a YAML mapping with at least a "flavors:" block; re-save the model with MLflow (mlflow.<flavor>.save_model).`,
      { details: { file } },
    );
  }
  const coreDoc = parseYamlDocument(text, file);
  const core = coreDoc.value;
  if (!isPlain(core)) {
    throw new AppError(
      ErrorCodes.INVALID_FILE,
      `${file} is YAML but its top level is ${kindOf(core)}, not a mapping of keys (flavors, signature, …). Check that this is really an MLflow MLmodel file.`,
      { details: { file } },
    );
  }
  // Cannot fail where the core parse succeeded: same text, simpler schema.
  const failsafeValue = parseYamlText(text, file, { schema: 'failsafe' });
  const failsafe = isPlain(failsafeValue) ? failsafeValue : {};
  const issues: string[] = [];

  const flavors: Flavor[] = [];
  const flavorsValue = core.flavors;
  if (flavorsValue === undefined || flavorsValue === null) {
    issues.push(`MLmodel has no "flavors:" block; MLflow cannot load a model without one (python_function is what Azure ML needs)`);
  } else if (!isPlain(flavorsValue)) {
    issues.push(`MLmodel flavors should be a mapping of flavor name → settings, found ${kindOf(flavorsValue)}`);
  } else {
    for (const [name, settings] of Object.entries(flavorsValue)) {
      if (settings !== null && !isPlain(settings)) issues.push(`MLmodel flavors.${name} should be a mapping of settings, found ${kindOf(settings)}`);
      flavors.push({ name, settings: isPlain(settings) ? settings : {} });
    }
  }

  const failsafeFlavors = isPlain(failsafe.flavors) ? failsafe.flavors : {};
  const pyfunc = isPlain(flavorsValue) && isPlain(flavorsValue.python_function) ? flavorsValue.python_function : null;
  const pyfuncText = isPlain(failsafeFlavors.python_function) ? failsafeFlavors.python_function : {};
  const loaderModule = pyfunc ? textField(pyfunc, pyfuncText, 'loader_module', issues, 'flavors.python_function.loader_module') : null;
  const pythonVersion = pyfunc ? textField(pyfunc, pyfuncText, 'python_version', issues, 'flavors.python_function.python_version') : null;

  let modelSizeBytes: number | null = null;
  const size = core.model_size_bytes;
  if (typeof size === 'number' && Number.isFinite(size)) modelSizeBytes = size;
  else if (typeof size === 'string' && /^\d+$/.test(size.trim())) modelSizeBytes = Number(size.trim());
  else if (size !== undefined && size !== null) issues.push(`MLmodel model_size_bytes should be a number, found ${kindOf(size)}; it is ignored`);

  const savedInfo = mappingField(core, 'saved_input_example_info', issues);
  const legacyExample = savedInfo === null && isPlain(core.input_example) ? core.input_example : null;

  let signatureBlock: RawSignatureBlock | null = null;
  const sig = core.signature;
  if (isPlain(sig)) signatureBlock = { inputs: sig.inputs, outputs: sig.outputs, params: sig.params };
  else if (sig !== undefined && sig !== null) issues.push(`MLmodel signature should be a mapping with inputs/outputs/params, found ${kindOf(sig)}; it is ignored`);

  const isHint = core.is_signature_from_type_hint;
  if (isHint !== undefined && isHint !== null && typeof isHint !== 'boolean') {
    issues.push(`MLmodel is_signature_from_type_hint should be true or false, found ${kindOf(isHint)}; treated as false`);
  }

  const info: MLmodelInfo = {
    file,
    flavors,
    loaderModule,
    pythonVersion,
    mlflowVersion: textField(core, failsafe, 'mlflow_version', issues),
    modelUuid: textField(core, failsafe, 'model_uuid', issues),
    runId: textField(core, failsafe, 'run_id', issues),
    utcTimeCreated: textField(core, failsafe, 'utc_time_created', issues),
    artifactPath: textField(core, failsafe, 'artifact_path', issues),
    databricksRuntime: textField(core, failsafe, 'databricks_runtime', issues),
    modelSizeBytes,
    metadata: mappingField(core, 'metadata', issues),
    savedInputExampleInfo: savedInfo,
    isSignatureFromTypeHint: isHint === true,
    raw: core,
  };
  return {
    info,
    signatureBlock,
    envFiles: envFilesOf(pyfunc, issues),
    exampleInfo: exampleInfoOf(savedInfo, legacyExample),
    issues,
    duplicateKeys: duplicateYamlKeys(coreDoc.doc, coreDoc.lineCounter, file),
  };
}
