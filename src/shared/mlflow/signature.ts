import {
  ScalarTypeNames,
  type ColType,
  type ColumnSpec,
  type ParamSpec,
  type Schema,
  type Signature,
  type TensorSpec,
} from './model-report';

/**
 * MLmodel `signature:` parsing (payloads.md §1). MLflow stores `inputs`, `outputs` and `params` as JSON
 * *strings* inside the YAML; this module turns them into the report's column / tensor / param specs and
 * reports, per part, everything MLflow itself would refuse when loading the model (S4 `Schema.__init__`,
 * `ColSpec.from_json_dict`, `TensorSpec`, `ParamSpec`). Pure: shared by main, the CLI and the renderer.
 */

export type SignaturePart = 'inputs' | 'outputs' | 'params';

/** Something wrong with one part of the signature; `message` names the part, the entry and the fix. */
export interface SignatureIssue {
  part: SignaturePart;
  message: string;
}

export interface ParsedSignature {
  signature: Signature;
  issues: SignatureIssue[];
}

/** What MLmodel's `signature:` mapping holds, before parsing (values should be JSON strings or null). */
export interface RawSignatureBlock {
  inputs?: unknown;
  outputs?: unknown;
  params?: unknown;
}

const SCALARS: ReadonlySet<string> = new Set(ScalarTypeNames);

/**
 * The column types that are not plain DataTypes: their ColSpec reads a missing `required` as None, i.e.
 * optional (payloads.md §1 caveat: S4 `ColSpec.from_json_dict` pops `required` with default None for everything
 * but plain DataTypes), and `Schema.pandas_types()` has no pandas dtype for them (Azure's script, azureml-sample.ts).
 */
export const COMPLEX_TYPES: ReadonlySet<string> = new Set(['array', 'object', 'map', 'any', 'sparkml_vector']);

/**
 * numpy dtype names MLflow writes into `tensor-spec.dtype` (`np.dtype(x).name`, plus `str`/`bytes`/`object`
 * as older versions wrote them). Anything else is reported: MLflow would fail `np.dtype(...)` on load.
 */
const KNOWN_DTYPES: ReadonlySet<string> = new Set([
  'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
  'float16', 'float32', 'float64', 'float128', 'longdouble', 'complex64', 'complex128',
  'str', 'bytes', 'object', 'str_', 'bytes_', 'object_', 'datetime64', 'timedelta64',
]);

/** Flexible dtypes with a size (`<U10`, `S5`, `|V8`): MLflow refuses them at load time (payloads.md §1). */
const FLEXIBLE_DTYPE = /^[<>|=]?[USaVu]\d+$/;
const DATETIME_DTYPE = /^(datetime64|timedelta64)(\[[A-Za-z0-9]+\])?$/;

/** Thrown internally while walking one entry; turned into a SignatureIssue by the caller. */
class EntryError extends Error {}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quoteJson(value)}`;
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How much of a value from MLmodel a message quotes: enough to recognise it, never a megabyte of it. */
const QUOTE_MAX = 160;

/**
 * A value as JSON for a message, cut at QUOTE_MAX characters (…). Written here rather than with
 * JSON.stringify, which serialises all of a huge value first and overflows the stack on a deeply nested one.
 */
export function quoteJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  let out = '';
  const add = (v: unknown): void => {
    if (out.length > QUOTE_MAX) return;
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length && out.length <= QUOTE_MAX; i++) {
        if (i > 0) out += ', ';
        add(v[i]);
      }
      out += ']';
    } else if (isPlainObject(v)) {
      out += '{';
      let first = true;
      for (const key in v) {
        if (out.length > QUOTE_MAX) break;
        if (!first) out += ', ';
        first = false;
        out += `${JSON.stringify(key.slice(0, QUOTE_MAX))}: `;
        add(v[key]);
      }
      out += '}';
    } else {
      out += typeof v === 'string' ? JSON.stringify(v.slice(0, QUOTE_MAX + 1)) : (JSON.stringify(v) ?? String(v));
    }
  };
  add(value);
  return out.length > QUOTE_MAX ? `${out.slice(0, QUOTE_MAX)}…` : out;
}

/**
 * How deep one entry's JSON may nest. The deepest types MLflow writes nest a few levels (an array of objects
 * of arrays); past this the walk below would recurse out of stack, and the entry is refused instead.
 */
export const MAX_SIGNATURE_DEPTH = 100;

/** Whether `value` nests lists/objects more than `limit` levels deep (iterative: safe on any depth). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push({ v: child, depth: depth + 1 });
    }
  }
  return false;
}

function tooDeep(where: string): EntryError {
  return new EntryError(
    `${where}: its JSON is nested more than ${MAX_SIGNATURE_DEPTH} levels deep, which no signature written by MLflow needs, so Preflight does not read it. ` +
      'Check that this signature was written by MLflow (re-log the model with mlflow.models.infer_signature)',
  );
}

// ---- column types ------------------------------------------------------------------------------

/**
 * One column DataType from its JSON form: a scalar `{"type": "double"}` or a complex
 * `array` / `object` / `map` / `any` / `sparkml_vector` (payloads.md §1 "Complex types"). `where` is used
 * in error messages, e.g. `column 'age'`.
 */
export function parseColType(json: unknown, where: string): ColType {
  if (!isPlainObject(json)) throw new EntryError(`${where}: expected a type object like {"type": "double"}, found ${describeJsonValue(json)}`);
  const type = json.type;
  if (typeof type !== 'string') throw new EntryError(`${where}: "type" must be a string, found ${describeJsonValue(type)}`);
  if (SCALARS.has(type)) return { type: type as (typeof ScalarTypeNames)[number] };
  switch (type) {
    case 'array': {
      if (!('items' in json)) throw new EntryError(`${where}: an array type needs "items", e.g. {"type": "array", "items": {"type": "double"}}`);
      return { type: 'array', items: parseColType(json.items, `${where} items`) };
    }
    case 'map': {
      if (!('values' in json)) throw new EntryError(`${where}: a map type needs "values", e.g. {"type": "map", "values": {"type": "long"}}`);
      return { type: 'map', values: parseColType(json.values, `${where} values`) };
    }
    case 'object': {
      const props = json.properties;
      if (!isPlainObject(props) || Object.keys(props).length === 0) {
        throw new EntryError(`${where}: an object type needs a non-empty "properties" mapping, found ${describeJsonValue(props)}`);
      }
      const properties: Record<string, { type: ColType; required: boolean }> = {};
      for (const [name, prop] of Object.entries(props)) {
        const propWhere = `${where} property '${name}'`;
        if (!isPlainObject(prop)) throw new EntryError(`${propWhere}: expected {"type": …, "required": …}, found ${describeJsonValue(prop)}`);
        // S4 `Property.from_json_dict` defaults `required` to True (unlike ColSpec's complex-type caveat).
        const required = prop.required === undefined ? true : prop.required;
        if (typeof required !== 'boolean') throw new EntryError(`${propWhere}: "required" must be true or false, found ${describeJsonValue(required)}`);
        properties[name] = { type: parseColType(prop, propWhere), required };
      }
      return { type: 'object', properties };
    }
    case 'any':
      return { type: 'any' };
    case 'sparkml_vector':
      return { type: 'sparkml_vector' };
    case 'tensor':
      throw new EntryError(`${where}: "tensor" is not a column type here (tensors cannot be nested inside columns)`);
    default:
      throw new EntryError(
        `${where}: unknown type ${quoteJson(type)}; MLflow column types are ${[...ScalarTypeNames, ...COMPLEX_TYPES].join(', ')}`,
      );
  }
}

/** Human-readable type: `double`, `array<double>`, `object{a: long, b?: string}`, `map<string, long>`. */
export function displayColType(t: ColType): string {
  switch (t.type) {
    case 'array':
      return `array<${displayColType(t.items)}>`;
    case 'map':
      // MLflow maps always have string keys (S4 `Map`).
      return `map<string, ${displayColType(t.values)}>`;
    case 'object':
      return `object{${Object.entries(t.properties)
        .map(([name, p]) => `${name}${p.required ? '' : '?'}: ${displayColType(p.type)}`)
        .join(', ')}}`;
    default:
      return t.type;
  }
}

// ---- schema entries ----------------------------------------------------------------------------

function entryName(json: Record<string, unknown>, where: string): string | null {
  const name = json.name;
  if (name === undefined || name === null) return null;
  // Real models carry non-string names (lightgbm outputs named 0, 1, 2): pandas column labels.
  if (typeof name === 'number' || typeof name === 'string') return String(name);
  throw new EntryError(`${where}: "name" must be a string, found ${describeJsonValue(name)}`);
}

function label(part: SignaturePart, index: number, name: string | null, kind: 'column' | 'tensor' | 'param'): string {
  return `MLmodel signature.${part}[${index}]${name === null ? '' : ` (${kind} '${name}')`}`;
}

function parseColumn(json: Record<string, unknown>, part: SignaturePart, index: number): ColumnSpec {
  const provisional = typeof json.name === 'string' || typeof json.name === 'number' ? String(json.name) : null;
  const where = label(part, index, provisional, 'column');
  const name = entryName(json, where);
  const type = parseColType(json, where);
  let required: boolean;
  if (json.optional !== undefined && json.optional !== null) {
    // `optional` is the spelling MLflow briefly used before `required` (S4 ColSpec keeps reading it).
    if (typeof json.optional !== 'boolean') throw new EntryError(`${where}: "optional" must be true or false, found ${describeJsonValue(json.optional)}`);
    required = !json.optional;
  } else if (json.required !== undefined && json.required !== null) {
    if (typeof json.required !== 'boolean') throw new EntryError(`${where}: "required" must be true or false, found ${describeJsonValue(json.required)}`);
    required = json.required;
  } else {
    required = !COMPLEX_TYPES.has(type.type);
  }
  return { name, type, required, display: displayColType(type) };
}

function parseTensor(json: Record<string, unknown>, part: SignaturePart, index: number): TensorSpec {
  const provisional = typeof json.name === 'string' ? json.name : null;
  const where = label(part, index, provisional, 'tensor');
  const name = entryName(json, where);
  const spec = json['tensor-spec'];
  if (!isPlainObject(spec)) throw new EntryError(`${where}: a tensor needs "tensor-spec": {"dtype": …, "shape": […]}, found ${describeJsonValue(spec)}`);
  const dtype = spec.dtype;
  if (typeof dtype !== 'string' || dtype === '') throw new EntryError(`${where}: tensor-spec.dtype must be a numpy dtype name such as "float32", found ${describeJsonValue(dtype)}`);
  if (FLEXIBLE_DTYPE.test(dtype)) {
    throw new EntryError(`${where}: dtype ${quoteJson(dtype)} is a flexible type with a size, which MLflow refuses to load; use "str", "bytes" or "object"`);
  }
  if (!KNOWN_DTYPES.has(dtype) && !DATETIME_DTYPE.test(dtype)) {
    throw new EntryError(`${where}: unknown numpy dtype ${quoteJson(dtype)}; expected one of ${[...KNOWN_DTYPES].slice(0, 14).join(', ')}, …`);
  }
  const shape = spec.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= -1)) {
    throw new EntryError(`${where}: tensor-spec.shape must be a list of integers (-1 for a variable dimension), found ${quoteJson(shape)}`);
  }
  return { name, dtype, shape: shape as number[] };
}

export interface SchemaResult {
  schema: Schema | null;
  issues: string[];
}

/**
 * One `inputs` / `outputs` JSON string → a column or tensor schema. Any entry MLflow could not load makes
 * the whole part null (a partial schema would be silently wrong); rule violations MLflow also refuses
 * but that still describe the data (naming, optional unnamed columns) keep the schema and add an issue.
 */
export function parseSchemaJson(part: 'inputs' | 'outputs', text: string): SchemaResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { schema: null, issues: [notJsonMessage(part, err)] };
  }
  if (json === null) return { schema: null, issues: [] };
  if (!Array.isArray(json)) {
    return { schema: null, issues: [`MLmodel signature.${part} must be a JSON list of column or tensor specs, found ${describeJsonValue(json)}`] };
  }
  if (json.length === 0) return { schema: null, issues: [`MLmodel signature.${part} is an empty list; MLflow requires at least one column or tensor (write null for "no schema")`] };

  const issues: string[] = [];
  const columns: ColumnSpec[] = [];
  const tensors: TensorSpec[] = [];
  let broken = false;
  json.forEach((entry, index) => {
    try {
      if (!isPlainObject(entry)) throw new EntryError(`${label(part, index, null, 'column')}: expected an object, found ${describeJsonValue(entry)}`);
      if (nestsDeeperThan(entry, MAX_SIGNATURE_DEPTH)) {
        const name = typeof entry.name === 'string' || typeof entry.name === 'number' ? String(entry.name).slice(0, QUOTE_MAX) : null;
        throw tooDeep(label(part, index, name, entry.type === 'tensor' ? 'tensor' : 'column'));
      }
      if (entry.type === 'tensor') tensors.push(parseTensor(entry, part, index));
      else columns.push(parseColumn(entry, part, index));
    } catch (err) {
      if (!(err instanceof EntryError)) throw err;
      issues.push(err.message);
      broken = true;
    }
  });
  if (columns.length > 0 && tensors.length > 0) {
    issues.push(`MLmodel signature.${part} mixes column specs and tensor specs; MLflow requires one kind per schema (S4 Schema)`);
    broken = true;
  }
  if (broken) return { schema: null, issues };

  const specs: { name: string | null }[] = columns.length > 0 ? columns : tensors;
  const named = specs.filter((s) => s.name !== null).length;
  if (named !== 0 && named !== specs.length) {
    issues.push(`MLmodel signature.${part}: either all entries must be named or none (${named} of ${specs.length} are named); MLflow refuses to load this schema`);
  }
  if (tensors.length > 1 && named === 0) {
    issues.push(`MLmodel signature.${part}: ${tensors.length} unnamed tensors; MLflow requires several tensors to be named`);
  }
  columns.forEach((c, i) => {
    if (c.name === null && !c.required) {
      issues.push(`MLmodel signature.${part}[${i}]: an unnamed column cannot be optional (required: false); MLflow refuses to load this schema`);
    }
  });
  return { schema: columns.length > 0 ? { kind: 'columns', columns } : { kind: 'tensors', tensors }, issues };
}

// ---- params ------------------------------------------------------------------------------------

function checkDefault(type: ColType | string, value: unknown): boolean {
  if (typeof type !== 'string') return isPlainObject(value);
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
    case 'long':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
    case 'double':
      return typeof value === 'number';
    case 'string':
    case 'datetime':
      return typeof value === 'string';
    default:
      return true;
  }
}

function parseParam(json: unknown, index: number): ParamSpec {
  if (!isPlainObject(json)) throw new EntryError(`MLmodel signature.params[${index}]: expected an object, found ${describeJsonValue(json)}`);
  if (nestsDeeperThan(json, MAX_SIGNATURE_DEPTH)) throw tooDeep(`MLmodel signature.params[${index}]`);
  const name = json.name;
  if (typeof name !== 'string' || name === '') throw new EntryError(`MLmodel signature.params[${index}]: "name" must be a non-empty string, found ${describeJsonValue(name)}`);
  const where = label('params', index, name, 'param');
  // Params written before MLflow 2.8 spell the type key `dtype` (payloads.md §1 "params").
  const typeName = json.type ?? json.dtype;
  if (typeof typeName !== 'string') throw new EntryError(`${where}: "type" must be a DataType name such as "long", found ${describeJsonValue(typeName)}`);
  let colType: ColType | string;
  if (typeName === 'object') colType = parseColType({ ...json, type: 'object' }, where);
  else if (typeName === 'binary') throw new EntryError(`${where}: type "binary" is not allowed for params; use "string"`);
  else if (SCALARS.has(typeName)) colType = typeName;
  else throw new EntryError(`${where}: unknown param type ${quoteJson(typeName)}; expected one of ${[...ScalarTypeNames].filter((t) => t !== 'binary').join(', ')} or object`);

  const shape = json.shape ?? null;
  if (shape !== null && !(Array.isArray(shape) && shape.length === 1 && shape[0] === -1)) {
    throw new EntryError(`${where}: "shape" must be null (a scalar) or [-1] (a 1-D list), found ${quoteJson(shape)}`);
  }
  const value = json.default;
  if (value !== undefined && value !== null) {
    const ok = shape === null ? checkDefault(colType, value) : Array.isArray(value) && value.every((v) => checkDefault(colType, v));
    if (!ok) {
      const expected = typeof colType === 'string' ? colType : 'object';
      throw new EntryError(`${where}: default ${quoteJson(value)} does not match type ${expected}${shape === null ? '' : ' with shape [-1] (a list)'}; MLflow checks it when loading the model`);
    }
  }
  const base = typeof colType === 'string' ? colType : displayColType(colType);
  return { name, type: typeName, display: shape === null ? base : `array<${base}>`, default: value ?? null, shape: shape as number[] | null };
}

export interface ParamsResult {
  params: ParamSpec[] | null;
  issues: string[];
}

/** The `params` JSON string → param specs (S4 `ParamSchema`); any bad entry makes the part null. */
export function parseParamsJson(text: string): ParamsResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { params: null, issues: [notJsonMessage('params', err)] };
  }
  if (json === null) return { params: null, issues: [] };
  if (!Array.isArray(json)) {
    return { params: null, issues: [`MLmodel signature.params must be a JSON list of {"name", "type", "default", "shape"}, found ${describeJsonValue(json)}`] };
  }
  const issues: string[] = [];
  const params: ParamSpec[] = [];
  const seen = new Set<string>();
  json.forEach((entry, index) => {
    try {
      const p = parseParam(entry, index);
      if (seen.has(p.name)) throw new EntryError(`MLmodel signature.params[${index}]: duplicate param name '${p.name}'`);
      seen.add(p.name);
      params.push(p);
    } catch (err) {
      if (!(err instanceof EntryError)) throw err;
      issues.push(err.message);
    }
  });
  return issues.length > 0 ? { params: null, issues } : { params, issues };
}

// ---- whole signature ---------------------------------------------------------------------------

function notJsonMessage(part: SignaturePart, err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  return (
    `MLmodel signature.${part} is not valid JSON: ${reason}. MLflow stores each signature part as a JSON string ` +
    `(e.g. '[{"type": "double", "name": "x"}]'); fix the quoting in MLmodel or re-log the model with mlflow.models.infer_signature`
  );
}

/**
 * Reads one part's YAML value. MLflow writes JSON strings; a YAML list or mapping written by hand is not
 * loadable by MLflow (`json.loads` of a non-string), so it is reported and shown as JSON text.
 */
function rawPart(part: SignaturePart, value: unknown, issues: SignatureIssue[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  issues.push({
    part,
    message:
      `MLmodel signature.${part} must be a JSON string, but the YAML holds ${describeJsonValue(value)}; ` +
      `MLflow cannot load it. Quote it as a single string, e.g. ${part}: '[{"type": "double"}]'`,
  });
  try {
    return JSON.stringify(value);
  } catch {
    // Nested past the stack (a YAML bomb of brackets): shown in part, as every message quotes it.
    return quoteJson(value);
  }
}

/** The whole `signature:` block → report signature plus every issue, part by part. */
export function parseSignature(block: RawSignatureBlock): ParsedSignature {
  const issues: SignatureIssue[] = [];
  const raw = {
    inputs: rawPart('inputs', block.inputs, issues),
    outputs: rawPart('outputs', block.outputs, issues),
    params: rawPart('params', block.params, issues),
  };
  const strings = {
    inputs: typeof block.inputs === 'string' ? block.inputs : null,
    outputs: typeof block.outputs === 'string' ? block.outputs : null,
    params: typeof block.params === 'string' ? block.params : null,
  };
  const schemaOf = (part: 'inputs' | 'outputs'): Schema | null => {
    const text = strings[part];
    if (text === null) return null;
    const result = parseSchemaJson(part, text);
    for (const message of result.issues) issues.push({ part, message });
    return result.schema;
  };
  const inputs = schemaOf('inputs');
  const outputs = schemaOf('outputs');
  let params: ParamSpec[] | null = null;
  if (strings.params !== null) {
    const result = parseParamsJson(strings.params);
    for (const message of result.issues) issues.push({ part: 'params', message });
    params = result.params;
  }
  return { signature: { inputs, outputs, params, raw }, issues };
}
