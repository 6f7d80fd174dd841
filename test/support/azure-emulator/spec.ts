/**
 * Microsoft's OpenAPI (Swagger 2.0) files from ../shared/azure-spec as a request/response checker: every ARM
 * call the emulator serves is matched to the spec's operation (method + path template), its path and query
 * parameters and JSON body are validated with ajv against the operation's parameters, and the emulator's own
 * answer is validated against the operation's response schema. A request Microsoft's spec rejects gets ARM's
 * 400 and is recorded as a violation, so the test that caused it fails.
 *
 * Swagger 2.0 is not quite JSON Schema: `allOf` + `additionalProperties: false` means "no properties beyond
 * mine and my bases'" in Swagger, but in JSON Schema the bases' properties would count as additional. The
 * loader adds the inherited property names to such schemas so ajv reads them the Swagger way. `discriminator`
 * is not expanded (a body is checked against the base type's fields) — the README says so.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

type Json = Record<string, unknown>;

/** Files loaded, keyed by a URL that keeps their relative `$ref`s resolvable (../../../../../common-types/...). */
const SPEC_FILES: Record<string, string> = {
  'https://spec.local/ml/stable/2024-04-01/mfe.json': '2024-04-01/mfe.json',
  'https://spec.local/ml/stable/2024-04-01/machineLearningServices.json': '2024-04-01/machineLearningServices.json',
  'https://spec.local/ml/stable/2024-04-01/registries.json': '2024-04-01/registries.json',
  'https://spec.local/ml/stable/2024-04-01/workspaceFeatures.json': '2024-04-01/workspaceFeatures.json',
  'https://spec.local/resources/stable/2022-12-01/subscriptions.json': 'Microsoft.Resources-2022-12-01/subscriptions.json',
  'https://spec.local/common-types/resource-management/v1/types.json': 'common-types/resource-management/v1/types.json',
  'https://spec.local/common-types/resource-management/v2/types.json': 'common-types/resource-management/v2/types.json',
  'https://spec.local/common-types/resource-management/v5/types.json': 'common-types/resource-management/v5/types.json',
  'https://spec.local/common-types/resource-management/v3/types.json': 'common-types/resource-management/v3/types.json',
  'https://spec.local/common-types/resource-management/v3/managedidentity.json': 'common-types/resource-management/v3/managedidentity.json',
  'https://spec.local/common-types/resource-management/v3/privatelinks.json': 'common-types/resource-management/v3/privatelinks.json',
  // Model packaging exists only in preview api-versions (azure.md §2.3): its operation is read from the preview files.
  'https://spec.local/ml/preview/2024-04-01-preview/mfe.json': '2024-04-01-preview/mfe.json',
  'https://spec.local/ml/preview/2024-04-01-preview/machineLearningServices.json': '2024-04-01-preview/machineLearningServices.json',
  'https://spec.local/ml/preview/2024-04-01-preview/registries.json': '2024-04-01-preview/registries.json',
};
/** The files whose `paths` the emulator serves. */
const SERVED = ['https://spec.local/ml/stable/2024-04-01/mfe.json', 'https://spec.local/ml/stable/2024-04-01/machineLearningServices.json', 'https://spec.local/resources/stable/2022-12-01/subscriptions.json'];
/** Preview-only operations, served from the preview files: only the paths matching `only` (the rest is the stable set's). */
const SERVED_PREVIEW: { url: string; only: RegExp }[] = [{ url: 'https://spec.local/ml/preview/2024-04-01-preview/mfe.json', only: /\/workspaces\/\{workspaceName\}\/models\/\{name\}\/versions\/\{version\}\/package$/ }];

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header';
  required?: boolean;
  schema?: Json;
  [k: string]: unknown;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  pathNames: string[];
  parameters: SpecParameter[];
  responses: Record<string, { schema?: Json } | undefined>;
  file: string;
}

export interface SpecIssue {
  where: string;
  message: string;
}

export class AzureSpec {
  private constructor(
    private readonly operations: SpecOperation[],
    private readonly ajv: Ajv,
  ) {}

  static async load(specDir: string): Promise<AzureSpec> {
    const docs = new Map<string, Json>();
    for (const [url, rel] of Object.entries(SPEC_FILES)) {
      const file = resolve(specDir, rel);
      // swagger-parser checks each served file is a Swagger 2.0 document; the others are plain JSON fragments.
      const served = SERVED.includes(url) || SERVED_PREVIEW.some((p) => p.url === url);
      const doc = served ? ((await SwaggerParser.parse(file)) as unknown as Json) : (JSON.parse(await readFile(file, 'utf8')) as Json);
      docs.set(url, doc);
    }
    const lookup = (base: string, ref: string): { url: string; node: Json } => {
      const abs = new URL(ref, base);
      const fileUrl = `${abs.origin}${abs.pathname}`;
      const doc = docs.get(fileUrl);
      if (!doc) throw new Error(`spec: unresolvable $ref ${ref} from ${base}`);
      let node: unknown = doc;
      for (const part of decodeURIComponent(abs.hash.replace(/^#\/?/, '')).split('/').filter(Boolean)) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (node === undefined) throw new Error(`spec: $ref ${ref} from ${base} points at nothing`);
      return { url: fileUrl, node: node as Json };
    };
    // Bases first: a base's own `additionalProperties: false` must not veto its subtypes' fields (Swagger
    // inheritance), so bases are loosened; the subtypes keep theirs, with the inherited names declared.
    const bases = new Set<Json>();
    for (const [url, doc] of docs) collectAllOfBases(doc.definitions, url, lookup, bases);
    for (const base of bases) if (base.additionalProperties === false) delete base.additionalProperties;
    for (const [url, doc] of docs) swaggerObjectsAsJsonSchema(doc, url, lookup);

    const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
    addFormats(ajv);
    for (const name of ['int32', 'int64', 'double', 'float', 'password', 'arm-id', 'unixtime', 'decimal']) ajv.addFormat(name, true);
    for (const [url, doc] of docs) ajv.addSchema(doc, url);

    const operations: SpecOperation[] = [];
    for (const { url, only } of [...SERVED.map((url) => ({ url, only: null as RegExp | null })), ...SERVED_PREVIEW]) {
      const doc = docs.get(url)!;
      for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
        if (only && !only.test(template)) continue;
        const shared = ((item.parameters as Json[] | undefined) ?? []).map((p) => resolveParam(url, p, lookup));
        for (const [method, op] of Object.entries(item)) {
          if (method === 'parameters') continue;
          const o = op as Json;
          const parameters = [...shared, ...((o.parameters as Json[] | undefined) ?? []).map((p) => resolveParam(url, p, lookup))];
          const pathNames: string[] = [];
          const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, n: string) => (pathNames.push(n), '([^/]+)'));
          const responses: SpecOperation['responses'] = {};
          for (const [status, r] of Object.entries(o.responses as Record<string, Json>)) {
            const schema = r.schema as Json | undefined;
            responses[status] = schema ? { schema: withAbsoluteRefs(schema, url) } : {};
          }
          operations.push({
            operationId: o.operationId as string,
            method: method.toUpperCase(),
            template,
            pattern: new RegExp(`^${source}$`, 'i'),
            pathNames,
            parameters: parameters.map((p) => (p.schema ? { ...p, schema: withAbsoluteRefs(p.schema, url) } : p)),
            responses,
            file: url,
          });
        }
      }
    }
    // Most specific first: literal segments beat parameters (…/onlineEndpoints/{e}/listKeys vs …/deployments/{d}).
    operations.sort((a, b) => b.template.split('/').length - a.template.split('/').length || a.pathNames.length - b.pathNames.length);
    return new AzureSpec(operations, ajv);
  }

  /** The operation for a method and path, with its path parameters (ARM matches paths case-insensitively). */
  match(method: string, path: string): { operation: SpecOperation; params: Record<string, string> } | null {
    for (const operation of this.operations) {
      if (operation.method !== method) continue;
      const m = operation.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      operation.pathNames.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { operation, params };
    }
    return null;
  }

  /** The operation with this id (e.g. to check an LRO's final answer against the call that started it). */
  operation(operationId: string): SpecOperation | null {
    return this.operations.find((o) => o.operationId === operationId) ?? null;
  }

  /** Every way the request breaks the operation's parameters (path, query, body); empty when it conforms. */
  checkRequest(operation: SpecOperation, pathParams: Record<string, string>, query: URLSearchParams, body: unknown): SpecIssue[] {
    const issues: SpecIssue[] = [];
    const lowerQuery = new Map([...query.entries()].map(([k, v]) => [k.toLowerCase(), v]));
    for (const p of operation.parameters) {
      if (p.in === 'body') {
        if (body === undefined) {
          if (p.required) issues.push({ where: 'body', message: 'the operation requires a JSON body' });
          continue;
        }
        issues.push(...this.run(p.schema!, body, 'body'));
        continue;
      }
      const value = p.in === 'path' ? pathParams[p.name] : p.in === 'query' ? lowerQuery.get(p.name.toLowerCase()) : undefined;
      if (p.in === 'header') continue;
      if (value === undefined) {
        if (p.required) issues.push({ where: `${p.in} ${p.name}`, message: 'is required' });
        continue;
      }
      const { name: _n, in: _i, required: _r, description: _d, 'x-ms-parameter-location': _l, ...schema } = p;
      issues.push(...this.run(schema as Json, coerce(value, schema.type as string | undefined), `${p.in} ${p.name}`));
    }
    return issues;
  }

  /** Checks an answer against the operation's schema for that status (or `default`). */
  checkResponse(operation: SpecOperation, status: number, body: unknown): SpecIssue[] {
    const r = operation.responses[String(status)] ?? (status >= 400 ? operation.responses.default : undefined);
    if (!r) return [{ where: `response ${status}`, message: `${operation.operationId} declares no ${status} response` }];
    if (!r.schema) return body === undefined ? [] : [{ where: `response ${status}`, message: 'the spec declares no body for this status' }];
    return this.run(r.schema, body, `response ${status}`);
  }

  private readonly compiled = new Map<string, ValidateFunction>();

  private run(schema: Json, value: unknown, where: string): SpecIssue[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) this.compiled.set(key, (validate = this.ajv.compile(schema)));
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e: ErrorObject) => ({ where: `${where}${e.instancePath}`, message: `${e.message ?? 'invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}` }));
  }
}

function coerce(value: string, type: string | undefined): unknown {
  if (type === 'integer' || type === 'number') return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function resolveParam(base: string, p: Json, lookup: (base: string, ref: string) => { url: string; node: Json }): SpecParameter {
  if (typeof p.$ref !== 'string') return p as unknown as SpecParameter;
  const { url, node } = lookup(base, p.$ref);
  const resolved = { ...node } as SpecParameter;
  if (resolved.schema) resolved.schema = withAbsoluteRefs(resolved.schema, url);
  return resolved;
}

/** A schema lifted out of its file: its local `#/definitions/…` refs made absolute so ajv finds them. */
function withAbsoluteRefs(schema: Json, base: string): Json {
  if (typeof schema.$ref === 'string') return { ...schema, $ref: new URL(schema.$ref, base).href };
  return schema;
}

function collectAllOfBases(node: unknown, url: string, lookup: (base: string, ref: string) => { url: string; node: Json }, out: Set<Json>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => collectAllOfBases(n, url, lookup, out));
  const n = node as Json;
  for (const b of (n.allOf as Json[] | undefined) ?? []) if (typeof b.$ref === 'string') out.add(lookup(url, b.$ref).node);
  for (const v of Object.values(n)) collectAllOfBases(v, url, lookup, out);
}

/** Swagger `allOf` + `additionalProperties: false`: declare the inherited names so ajv does not call them additional. */
function swaggerObjectsAsJsonSchema(doc: Json, base: string, lookup: (base: string, ref: string) => { url: string; node: Json }): void {
  const inherited = (schema: Json, url: string, seen: Set<Json>): string[] => {
    if (seen.has(schema)) return [];
    seen.add(schema);
    if (typeof schema.$ref === 'string') {
      const r = lookup(url, schema.$ref);
      return inherited(r.node, r.url, seen);
    }
    const own = Object.keys((schema.properties as Json | undefined) ?? {});
    const fromBases = ((schema.allOf as Json[] | undefined) ?? []).flatMap((b) => inherited(b, url, seen));
    return [...own, ...fromBases];
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Json;
    if (n.additionalProperties === false && Array.isArray(n.allOf)) {
      const props = ((n.properties as Json | undefined) ?? {}) as Json;
      for (const name of (n.allOf as Json[]).flatMap((b) => inherited(b, base, new Set()))) if (!(name in props)) props[name] = {};
      n.properties = props;
    }
    for (const v of Object.values(n)) visit(v);
  };
  visit(doc.definitions);
}

export const defaultSpecDir = (repoRoot: string): string => process.env.PREFLIGHT_AZURE_SPEC ?? join(repoRoot, '../shared/azure-spec');
