import { describe, expect, it } from 'vitest';
import { displayColType, parseColType, parseParamsJson, parseSchemaJson, parseSignature } from './signature';

describe('parseSchemaJson: columns (payloads.md §1)', () => {
  const cases: { json: string; name: string | null; display: string; required: boolean }[] = [
    { json: '{"type": "double", "name": "age"}', name: 'age', display: 'double', required: true },
    { json: '{"type": "long", "name": "n", "required": false}', name: 'n', display: 'long', required: false },
    { json: '{"type": "string", "name": "s", "optional": true}', name: 's', display: 'string', required: false },
    { json: '{"type": "binary", "name": "b"}', name: 'b', display: 'binary', required: true },
    { json: '{"type": "datetime", "name": "t"}', name: 't', display: 'datetime', required: true },
    { json: '{"type": "boolean", "name": "f"}', name: 'f', display: 'boolean', required: true },
    { json: '{"type": "integer", "name": "i"}', name: 'i', display: 'integer', required: true },
    { json: '{"type": "float", "name": "x"}', name: 'x', display: 'float', required: true },
    // Complex types without `required` are optional (S4 ColSpec.from_json_dict pops it with default None).
    { json: '{"type": "array", "items": {"type": "double"}, "name": "a"}', name: 'a', display: 'array<double>', required: false },
    { json: '{"type": "array", "items": {"type": "double"}, "name": "a", "required": true}', name: 'a', display: 'array<double>', required: true },
    { json: '{"type": "map", "values": {"type": "long"}, "name": "m"}', name: 'm', display: 'map<string, long>', required: false },
    { json: '{"type": "any", "name": "z"}', name: 'z', display: 'any', required: false },
    { json: '{"type": "sparkml_vector", "name": "v"}', name: 'v', display: 'sparkml_vector', required: false },
    {
      json: '{"type": "object", "properties": {"a": {"type": "long", "required": true}, "b": {"type": "string", "required": false}}, "name": "o"}',
      name: 'o',
      display: 'object{a: long, b?: string}',
      required: false,
    },
    // lightgbm writes integer output names (fixture azureml-examples-lightgbm-iris).
    { json: '{"name": 0, "type": "double"}', name: '0', display: 'double', required: true },
  ];
  it.each(cases)('$json → $display (required $required)', ({ json, name, display, required }) => {
    const { schema, issues } = parseSchemaJson('inputs', `[${json}]`);
    expect(issues).toEqual([]);
    expect(schema?.kind).toBe('columns');
    const col = schema?.kind === 'columns' ? schema.columns[0] : undefined;
    expect(col).toMatchObject({ name, display, required });
  });

  it('keeps nested complex types: array of objects (the langchain chat signature)', () => {
    const text =
      '[{"type": "array", "items": {"type": "object", "properties": {"content": {"type": "string", "required": true}, "role": {"type": "string", "required": true}}}, "name": "messages", "required": true}]';
    const { schema } = parseSchemaJson('inputs', text);
    expect(schema).toEqual({
      kind: 'columns',
      columns: [
        {
          name: 'messages',
          required: true,
          display: 'array<object{content: string, role: string}>',
          type: {
            type: 'array',
            items: { type: 'object', properties: { content: { type: { type: 'string' }, required: true }, role: { type: { type: 'string' }, required: true } } },
          },
        },
      ],
    });
  });

  it('object properties default to required (S4 Property)', () => {
    const t = parseColType({ type: 'object', properties: { k: { type: 'double' } } }, 'x');
    expect(displayColType(t)).toBe('object{k: double}');
  });
});

describe('parseSchemaJson: tensors', () => {
  it.each([
    ['[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]', null, 'float32', [-1, 4]],
    ['[{"type": "tensor", "tensor-spec": {"dtype": "object", "shape": [-1]}}]', null, 'object', [-1]],
    ['[{"name": "mask", "type": "tensor", "tensor-spec": {"dtype": "int32", "shape": [1, 512, 512]}}]', 'mask', 'int32', [1, 512, 512]],
    ['[{"type": "tensor", "tensor-spec": {"dtype": "str", "shape": [-1]}}]', null, 'str', [-1]],
    ['[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": []}}]', null, 'float64', []],
  ])('%s', (text, name, dtype, shape) => {
    const { schema, issues } = parseSchemaJson('outputs', text);
    expect(issues).toEqual([]);
    expect(schema).toEqual({ kind: 'tensors', tensors: [{ name, dtype, shape }] });
  });
});

describe('parseSchemaJson: what MLflow refuses to load is reported, naming the entry', () => {
  it.each([
    ['[{"type": "doubel", "name": "age"}]', /signature\.inputs\[0\] \(column 'age'\): unknown type "doubel"/, true],
    ['[{"type": "array", "name": "a"}]', /column 'a'.*needs "items"/, true],
    ['[{"type": "object", "properties": {}, "name": "o"}]', /non-empty "properties"/, true],
    ['[{"type": "map", "values": {"type": "nope"}, "name": "m"}]', /\(column 'm'\) values: unknown type "nope"/, true],
    ['[{"type": "tensor", "tensor-spec": {"dtype": "<U10", "shape": [-1]}, "name": "t"}]', /tensor 't'.*flexible type/, true],
    ['[{"type": "tensor", "tensor-spec": {"dtype": "float99", "shape": [-1]}}]', /unknown numpy dtype "float99"/, true],
    ['[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-2]}}]', /shape must be a list of integers/, true],
    ['[{"type": "double", "name": "a"}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}, "name": "b"}]', /mixes column specs and tensor specs/, true],
    ['{"type": "double"}', /must be a JSON list/, true],
    ['[]', /empty list/, true],
    ['[{"type": "double", "name": "a"}, {"type": "double"}]', /all entries must be named or none \(1 of 2/, false],
    ['[{"type": "double", "required": false}]', /unnamed column cannot be optional/, false],
    [
      '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]',
      /2 unnamed tensors/,
      false,
    ],
  ])('%s', (text, message, nulled) => {
    const { schema, issues } = parseSchemaJson('inputs', text);
    expect(issues.join('\n')).toMatch(message);
    expect(schema === null).toBe(nulled);
  });

  it('the JSON string "null" means no schema, silently', () => {
    expect(parseSchemaJson('outputs', 'null')).toEqual({ schema: null, issues: [] });
  });
});

describe('parseParamsJson', () => {
  it('reads the gpt2 params (float / integer / boolean defaults)', () => {
    const { params, issues } = parseParamsJson(
      '[{"name": "top_p", "type": "float", "default": 1.0, "shape": null}, {"name": "max_new_tokens", "type": "integer", "default": 50, "shape": null}, {"name": "do_sample", "type": "boolean", "default": true, "shape": null}]',
    );
    expect(issues).toEqual([]);
    expect(params).toEqual([
      { name: 'top_p', type: 'float', display: 'float', default: 1, shape: null },
      { name: 'max_new_tokens', type: 'integer', display: 'integer', default: 50, shape: null },
      { name: 'do_sample', type: 'boolean', display: 'boolean', default: true, shape: null },
    ]);
  });

  it('accepts the legacy `dtype` key and 1-D shapes', () => {
    const { params } = parseParamsJson('[{"name": "batch_size", "dtype": "long", "default": 16, "shape": null}, {"name": "ids", "type": "long", "default": [1, 2], "shape": [-1]}]');
    expect(params).toEqual([
      { name: 'batch_size', type: 'long', display: 'long', default: 16, shape: null },
      { name: 'ids', type: 'long', display: 'array<long>', default: [1, 2], shape: [-1] },
    ]);
  });

  it('reads object params', () => {
    const { params } = parseParamsJson('[{"name": "cfg", "type": "object", "properties": {"k": {"type": "long", "required": true}}, "default": {"k": 1}, "shape": null}]');
    expect(params?.[0]).toMatchObject({ name: 'cfg', type: 'object', display: 'object{k: long}' });
  });

  it.each([
    ['[{"name": "x", "type": "binary", "default": "YQ==", "shape": null}]', /param 'x'.*"binary" is not allowed/],
    ['[{"name": "x", "type": "lng", "default": 1, "shape": null}]', /param 'x'.*unknown param type "lng"/],
    ['[{"name": "x", "type": "long", "default": 1.5, "shape": null}]', /param 'x'.*default 1.5 does not match type long/],
    ['[{"name": "x", "type": "boolean", "default": "true", "shape": null}]', /does not match type boolean/],
    ['[{"name": "x", "type": "long", "default": 1, "shape": [-1]}]', /with shape \[-1\]/],
    ['[{"name": "x", "type": "long", "default": 1, "shape": [2]}]', /"shape" must be null .* or \[-1\]/],
    ['[{"name": "x", "type": "long", "default": 1}, {"name": "x", "type": "long", "default": 2}]', /duplicate param name 'x'/],
    ['[{"type": "long", "default": 1}]', /"name" must be a non-empty string/],
  ])('%s is reported', (text, message) => {
    const { params, issues } = parseParamsJson(text);
    expect(params).toBeNull();
    expect(issues.join('\n')).toMatch(message);
  });
});

describe('parseSignature', () => {
  it('a part that is not JSON becomes a specific issue and null, the others still parse', () => {
    const { signature, issues } = parseSignature({ inputs: '[{"type": "double", "name": "a"', outputs: '[{"type": "double"}]' });
    expect(signature.inputs).toBeNull();
    expect(signature.outputs?.kind).toBe('columns');
    expect(signature.raw.inputs).toBe('[{"type": "double", "name": "a"');
    expect(issues).toHaveLength(1);
    expect(issues[0].part).toBe('inputs');
    expect(issues[0].message).toMatch(/^MLmodel signature\.inputs is not valid JSON: .+\. MLflow stores each signature part as a JSON string/);
  });

  it('a YAML list instead of a JSON string is reported and shown as JSON', () => {
    const { signature, issues } = parseSignature({ inputs: [{ type: 'double' }] });
    expect(signature.inputs).toBeNull();
    expect(signature.raw.inputs).toBe('[{"type":"double"}]');
    expect(issues[0].message).toMatch(/must be a JSON string, but the YAML holds a list/);
  });

  it('missing and null parts are simply absent', () => {
    const { signature, issues } = parseSignature({ inputs: '[{"type": "string"}]', outputs: null });
    expect(issues).toEqual([]);
    expect(signature).toMatchObject({ outputs: null, params: null, raw: { outputs: null, params: null } });
  });
});

describe('hostile signatures: a specific issue, never a stack overflow or a megabyte message', () => {
  const deep = (n: number, inner: string, open: string, close: string): string => open.repeat(n) + inner + close.repeat(n);

  it('a tensor shape nested 100 000 lists deep is an issue naming the entry', () => {
    const text = `[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": ${deep(100_000, '', '[', ']')}}}]`;
    const { schema, issues } = parseSchemaJson('inputs', text);
    expect(schema).toBeNull();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^MLmodel signature\.inputs\[0\]: its JSON is nested more than 100 levels deep/);
    expect(issues[0]!.length).toBeLessThan(400);
  });

  it('array types nested 100 000 levels deep are an issue saying how deep Preflight reads', () => {
    const text = `[{"name": "a", ${deep(100_000, '"type": "double"', '"type": "array", "items": {', '}')}}]`;
    const { schema, issues } = parseSchemaJson('inputs', text);
    expect(schema).toBeNull();
    expect(issues.join('\n')).toMatch(/signature\.inputs\[0\] \(column 'a'\).*nested more than 100 levels deep/);
  });

  it('map and object types nested deep in params are an issue too', () => {
    const text = `[{"name": "p", "type": "object", "properties": {"x": {${deep(5_000, '"type": "long"', '"type": "map", "values": {', '}')}}}}]`;
    const { params, issues } = parseParamsJson(text);
    expect(params).toBeNull();
    expect(issues.join('\n')).toMatch(/nested more than 100 levels deep/);
  });

  it('a 1 MB type name or shape is quoted in the message only in part', () => {
    const big = 'x'.repeat(1_000_000);
    const a = parseSchemaJson('inputs', JSON.stringify([{ type: big, name: 'a' }]));
    const b = parseSchemaJson('inputs', JSON.stringify([{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: Array(200_000).fill('n') } }]));
    for (const { issues } of [a, b]) {
      expect(issues).toHaveLength(1);
      expect(issues[0]!.length).toBeLessThan(600);
      expect(issues[0]).toMatch(/…/);
    }
  });
});
