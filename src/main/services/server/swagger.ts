/**
 * `GET /swagger.json` of the Azure profile, generated from the model's signature. azmlinfsrv builds it
 * from the scoring script's InferenceSchema decorators (swagger 2.0, `?version=3` for OpenAPI 3); this
 * follows the same layout (`ServiceInput` with `input_data` and optional `params`, a health path and
 * the scoring path) but is written from the signature, not byte-identical to Azure's document.
 */
import type { ColType, ModelReport, ParamSpec, Schema } from '@shared/mlflow/model-report';

type JsonSchema = Record<string, unknown>;

function colTypeSchema(t: ColType): JsonSchema {
  switch (t.type) {
    case 'boolean': return { type: 'boolean' };
    case 'integer': return { type: 'integer', format: 'int32' };
    case 'long': return { type: 'integer', format: 'int64' };
    case 'float': return { type: 'number', format: 'float' };
    case 'double': return { type: 'number', format: 'double' };
    case 'string': return { type: 'string' };
    case 'binary': return { type: 'string', format: 'byte' };
    case 'datetime': return { type: 'string', format: 'date-time' };
    case 'array': return { type: 'array', items: colTypeSchema(t.items) };
    case 'object':
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(t.properties).map(([k, p]) => [k, colTypeSchema(p.type)])),
        required: Object.entries(t.properties).filter(([, p]) => p.required).map(([k]) => k),
      };
    case 'map': return { type: 'object', additionalProperties: colTypeSchema(t.values) };
    default: return {};
  }
}

function dtypeSchema(dtype: string): JsonSchema {
  if (/^float|^double/.test(dtype)) return { type: 'number', format: dtype };
  if (/^u?int/.test(dtype)) return { type: 'integer', format: dtype };
  if (dtype === 'bool') return { type: 'boolean' };
  return { type: 'string' };
}

function nestedArray(item: JsonSchema, rank: number): JsonSchema {
  let s = item;
  for (let k = 0; k < Math.max(1, rank); k++) s = { type: 'array', items: s };
  return s;
}

/** The `input_data` schema: a split DataFrame for column signatures, arrays (or a dict of them) for tensors. */
function inputDataSchema(inputs: Schema | null, example: unknown): JsonSchema {
  if (!inputs) return example === undefined ? { type: 'object' } : { type: 'object', example };
  if (inputs.kind === 'columns') {
    const names = inputs.columns.map((c, k) => c.name ?? String(k));
    return {
      type: 'object',
      required: ['columns', 'data'],
      properties: {
        columns: { type: 'array', items: { type: 'string', enum: names } },
        index: { type: 'array', items: { type: 'integer', format: 'int64' } },
        data: { type: 'array', items: { type: 'array', items: {}, minItems: names.length, maxItems: names.length, description: names.map((n, k) => `${n}: ${inputs.columns[k]!.display}`).join(', ') } },
      },
      ...(example === undefined ? {} : { example }),
      'x-columns': Object.fromEntries(inputs.columns.map((c, k) => [names[k]!, colTypeSchema(c.type)])),
    };
  }
  const tensor = (dtype: string, shape: number[]): JsonSchema => ({ ...nestedArray(dtypeSchema(dtype), shape.length), 'x-shape': shape });
  if (inputs.tensors.length === 1 && inputs.tensors[0]!.name === null) return { ...tensor(inputs.tensors[0]!.dtype, inputs.tensors[0]!.shape), ...(example === undefined ? {} : { example }) };
  return {
    type: 'object',
    required: inputs.tensors.map((t) => t.name ?? ''),
    properties: Object.fromEntries(inputs.tensors.map((t) => [t.name ?? '', tensor(t.dtype, t.shape)])),
    ...(example === undefined ? {} : { example }),
  };
}

function paramsSchema(params: ParamSpec[]): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(
      params.map((p) => {
        const item = p.type === 'object' ? { type: 'object' } : colTypeSchema({ type: p.type } as ColType);
        return [p.name, { ...(p.shape ? { type: 'array', items: item } : item), default: p.default }];
      }),
    ),
  };
}

/** The example request's `input_data` for the document: the model's input_example.json in split form. */
function exampleInput(report: ModelReport): unknown {
  const ex = report.inputExamples.find((e) => e.role === 'input_example' && e.error === null);
  if (!ex) return undefined;
  const c = ex.content as Record<string, unknown> | null;
  if (ex.form === 'dataframe-split' && c && typeof c === 'object' && 'data' in c) return { index: Array.from({ length: (c.data as unknown[]).length }, (_, k) => k), ...c };
  return ex.content;
}

export function swaggerDocument(report: ModelReport, serviceName: string): Record<string, unknown> {
  const sig = report.signature;
  const serviceInput: JsonSchema = {
    type: 'object',
    required: ['input_data'],
    properties: {
      input_data: inputDataSchema(sig?.inputs ?? null, exampleInput(report)),
      ...(sig?.params?.length ? { params: paramsSchema(sig.params) } : {}),
    },
  };
  const outputs = sig?.outputs ?? null;
  const serviceOutput: JsonSchema =
    outputs?.kind === 'tensors' && outputs.tensors.length === 1
      ? nestedArray(dtypeSchema(outputs.tensors[0]!.dtype), outputs.tensors[0]!.shape.length)
      : outputs?.kind === 'columns'
        ? { type: 'array', items: { type: 'object', properties: Object.fromEntries(outputs.columns.map((c, k) => [c.name ?? String(k), colTypeSchema(c.type)])) } }
        : {};
  const errorResponse = { description: 'The service failed to execute due to an error.', schema: { $ref: '#/definitions/ErrorResponse' } };
  return {
    swagger: '2.0',
    info: { title: serviceName, description: `API specification for the Azure Machine Learning service ${serviceName} (generated by Preflight from the model's signature)`, version: '1.0' },
    schemes: ['https'],
    consumes: ['application/json'],
    produces: ['application/json'],
    securityDefinitions: { Bearer: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'For example: Bearer abc123' } },
    paths: {
      '/': {
        get: {
          operationId: 'ServiceHealthCheck',
          description: 'Simple health check endpoint to ensure the service is up at any given point.',
          responses: { 200: { description: "If service is up and running, this response will be returned with the content 'Healthy'", schema: { type: 'string' }, examples: { 'application/json': 'Healthy' } }, default: errorResponse },
        },
      },
      '/score': {
        post: {
          operationId: 'RunMLService',
          description: "Run web service's model and get the prediction output",
          security: [{ Bearer: [] }],
          parameters: [{ name: 'serviceInputPayload', in: 'body', description: 'The input payload for executing the real-time machine learning service.', schema: { $ref: '#/definitions/ServiceInput' } }],
          responses: { 200: { description: 'The service processed the input correctly and provided a result prediction, if applicable.', schema: { $ref: '#/definitions/ServiceOutput' } }, default: errorResponse },
        },
      },
    },
    definitions: {
      ServiceInput: serviceInput,
      ServiceOutput: serviceOutput,
      ErrorResponse: { type: 'object', properties: { message: { type: 'string' } } },
    },
  };
}
