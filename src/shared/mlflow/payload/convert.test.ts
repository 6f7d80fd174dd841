/**
 * convertRequest (issue 3 "Conversion between forms"): every request form either server accepts, plus
 * MLflow 1.x bodies, rewritten for each target — lossless where the forms carry the same information,
 * a warning with its JSON path where they do not. Each case names the payloads.md section it relies on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixture } from '../../../../test/support/paths';
import { convertRequest, type ConvertResult, type ConvertTarget } from './convert';
import { parsePyJson, toPlain } from './py-json';
import { PANDAS_NA_VALUES } from './pandas-csv';
import { validateRequest } from './validate';
import { cols, param, tensor, tensors, unnamedCols } from './test-signatures';
import type { Signature } from '../model-report';

type Ok = Extract<ConvertResult, { ok: true }>;
const conv = (body: string, to: ConvertTarget, over: { contentType?: string | null; signature?: Signature | null; fromServer?: 'mlflow' | 'azureml' } = {}): Ok => {
  const r = convertRequest({ body, contentType: over.contentType === undefined ? 'application/json' : over.contentType, to, signature: over.signature ?? null, ...(over.fromServer ? { fromServer: over.fromServer } : {}) });
  if (!r.ok) throw new Error(`conversion failed: ${JSON.stringify(r.error)}`);
  return r;
};
const fail = (body: string, to: ConvertTarget, over: { contentType?: string; signature?: Signature | null; fromServer?: 'mlflow' | 'azureml' } = {}) => {
  const r = convertRequest({ body, contentType: over.contentType ?? 'application/json', to, signature: over.signature ?? null, ...(over.fromServer ? { fromServer: over.fromServer } : {}) });
  if (r.ok) throw new Error(`expected a failure, got ${r.body}`);
  return r.error;
};
const codes = (r: Ok): string[] => r.warnings.map((w) => w.code);
const req = (p: string): string => readFileSync(fixture('requests', p), 'utf8');

const SPLIT = '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 1.0], [2, 2.5]]}}';

describe('§3 / §4 every accepted form → every target (scalar frame a: int, b: float)', () => {
  const sources: [string, string, string | null, string][] = [
    // [name, body, content type, detected form]
    ['dataframe_split', SPLIT, 'application/json', 'dataframe_split'],
    ['dataframe_records', '{"dataframe_records": [{"a": 1, "b": 1.0}, {"a": 2, "b": 2.5}]}', 'application/json', 'dataframe_records'],
    ['inputs dict of columns', '{"inputs": {"a": [1, 2], "b": [1.0, 2.5]}}', 'application/json', 'inputs'],
    ['inputs records (2.12+)', '{"inputs": [{"a": 1, "b": 1.0}, {"a": 2, "b": 2.5}]}', 'application/json', 'inputs'],
    ['instances records', '{"instances": [{"a": 1, "b": 1.0}, {"a": 2, "b": 2.5}]}', 'application/json', 'instances'],
    ['Azure split (§4)', '{"input_data": {"columns": ["a", "b"], "index": [0, 1], "data": [[1, 1.0], [2, 2.5]]}}', 'application/json', 'azureml_split'],
    ['CSV (§2.1)', 'a,b\n1,1.0\n2,2.5\n', 'text/csv', 'csv'],
    ['MLflow 1.x bare split', '{"columns": ["a", "b"], "data": [[1, 1.0], [2, 2.5]]}', 'application/json', 'mlflow1_split'],
    ['MLflow 1.x pandas-split content type', '{"columns": ["a", "b"], "data": [[1, 1.0], [2, 2.5]]}', 'application/json; format=pandas-split', 'mlflow1_split'],
    ['MLflow 1.x pandas-records content type', '[{"a": 1, "b": 1.0}, {"a": 2, "b": 2.5}]', 'application/json; format=pandas-records', 'mlflow1_records'],
  ];
  const sig = cols({ a: 'long', b: 'double' });
  const targets: [ConvertTarget, string][] = [
    ['dataframe_split', '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 1.0], [2, 2.5]]}}'],
    ['dataframe_records', '{"dataframe_records": [{"a": 1, "b": 1.0}, {"a": 2, "b": 2.5}]}'],
    ['inputs', '{"inputs": {"a": [1, 2], "b": [1.0, 2.5]}}'],
    ['instances', '{"instances": [{"a": 1, "b": 1.0}, {"a": 2, "b": 2.5}]}'],
    ['azureml', '{"input_data": {"columns": ["a", "b"], "index": [0, 1], "data": [[1, 1.0], [2, 2.5]]}}'],
    ['csv', 'a,b\n1,1.0\n2,2.5\n'],
  ];
  for (const [name, body, ct, from] of sources)
    it.each(targets)(`${name} → %s`, (to, want) => {
      const r = conv(body, to, { contentType: ct, signature: sig });
      expect(r.from).toBe(from);
      // an index in the source is kept (lossless); only records and CSV have no place for it
      expect(r.body).toBe(from === 'azureml_split' && to === 'dataframe_split' ? want.replace('"data"', '"index": [0, 1], "data"') : want);
      expect(r.contentType).toBe(to === 'csv' ? 'text/csv' : 'application/json');
      if (from.startsWith('mlflow1')) expect(r.notes.join(' ')).toMatch(/Upgraded an MLflow 1\.x .*MLflow 2\.0 changed the scoring protocol/);
      // the converted body is accepted by the server it is written for
      const server = to === 'azureml' ? 'azureml' : 'mlflow';
      const v = validateRequest({ body: r.body, contentType: r.contentType, server, mlflowVersion: null, signature: sig });
      expect(v.ok, JSON.stringify(v.body) + String(v.server_log)).toBe(true);
      expect(v.model_receives).toMatchObject({ kind: 'DataFrame', columns: ['a', 'b'], nrows: 2 });
    });
});

describe('output text: Python json.dumps style, lexemes kept', () => {
  it('compact with ", " / ": " separators; 1.0 stays 1.0, 1e3 reads as 1000.0, big ints keep every digit', () => {
    const r = conv('{"dataframe_split":{"columns":["x"],"data":[[1.0],[1e3],[123456789012345678901234567890],[-0.0],[1e-7]]}}', 'dataframe_records');
    expect(r.body).toBe('{"dataframe_records": [{"x": 1.0}, {"x": 1000.0}, {"x": 123456789012345678901234567890}, {"x": -0.0}, {"x": 1e-07}]}');
  });
  it('params stay top-level after the envelope (§2.5, §4)', () => {
    expect(conv('{"params": {"k": 1}, "inputs": [1, 2]}', 'azureml').body).toBe('{"input_data": [1, 2], "params": {"k": 1}}');
    expect(conv('{"input_data": [1, 2], "params": {"k": 1}}', 'instances').body).toBe('{"instances": [1, 2], "params": {"k": 1}}');
  });
});

describe('tensors (§2.4) and named tensors', () => {
  it.each([
    ['{"inputs": [[1, 2], [3, 4]]}', 'instances', '{"instances": [[1, 2], [3, 4]]}', 'inputs'],
    ['{"instances": [[1, 2], [3, 4]]}', 'inputs', '{"inputs": [[1, 2], [3, 4]]}', 'instances'],
    ['{"input_data": [[1, 2], [3, 4]]}', 'inputs', '{"inputs": [[1, 2], [3, 4]]}', 'azureml_tensor'],
    ['{"inputs": [[1, 2], [3, 4]]}', 'azureml', '{"input_data": [[1, 2], [3, 4]]}', 'inputs'],
    ['{"inputs": {"a": [[1, 2], [3, 4]], "b": [5, 6]}}', 'instances', '{"instances": [{"a": [1, 2], "b": 5}, {"a": [3, 4], "b": 6}]}', 'inputs'],
    ['{"instances": [{"a": [1, 2], "b": 5}, {"a": [3, 4], "b": 6}]}', 'inputs', '{"inputs": {"a": [[1, 2], [3, 4]], "b": [5, 6]}}', 'instances'],
    ['{"input_data": {"a": [[1, 2]], "b": [5]}}', 'inputs', '{"inputs": {"a": [[1, 2]], "b": [5]}}', 'azureml_named'],
    ['{"inputs": {"a": [[1, 2]], "b": [5]}}', 'azureml', '{"input_data": {"a": [[1, 2]], "b": [5]}}', 'inputs'],
  ])('%s → %s', (body, to, want, from) => {
    const r = conv(body, to as ConvertTarget);
    expect(r).toMatchObject({ body: want, from });
  });
  it('named tensors of unequal length stay a dict for instances (MLflow checks the lengths, §2.4)', () => {
    expect(conv('{"inputs": {"a": [1], "b": [1, 2]}}', 'instances').body).toBe('{"instances": {"a": [1], "b": [1, 2]}}');
    expect(fail('{"inputs": {"a": [1], "b": [1, 2]}}', 'dataframe_split')).toMatchObject({ code: 'not-convertible', path: '$.inputs' });
  });
  it('tensor → frame takes the column names from the signature (note), else warns', () => {
    const named = conv('{"inputs": [[1, 2]]}', 'dataframe_split', { signature: cols({ x: 'long', y: 'long' }) });
    expect(named.body).toBe('{"dataframe_split": {"columns": ["x", "y"], "data": [[1, 2]]}}');
    expect(named.notes.join(' ')).toContain("named from the signature: ['x', 'y']");
    const bare = conv('{"inputs": [[1, 2]]}', 'dataframe_records');
    expect(bare.body).toBe('{"dataframe_records": [{"0": 1, "1": 2}]}');
    expect(codes(bare)).toEqual(expect.arrayContaining(['tensor-columns-unnamed', 'columns-named-by-position']));
    expect(fail('{"inputs": [[[1]]]}', 'csv')).toMatchObject({ code: 'not-convertible' });
  });
  it('Azure target follows the signature: frame for columns, list for an unnamed tensor, {name: list} for named tensors (§4)', () => {
    expect(conv('{"inputs": [[1, 2]]}', 'azureml', { signature: cols({ x: 'long', y: 'long' }) }).body).toBe('{"input_data": {"columns": ["x", "y"], "index": [0], "data": [[1, 2]]}}');
    expect(conv(SPLIT, 'azureml', { signature: tensors(tensor('float64', [-1, 2])) }).body).toBe('{"input_data": [[1, 1.0], [2, 2.5]]}');
    expect(conv('{"inputs": [1, 2]}', 'azureml', { signature: tensors(tensor('float32', [-1], 'x')) }).body).toBe('{"input_data": {"x": [1, 2]}}');
    expect(conv(SPLIT, 'inputs', { signature: tensors(tensor('float64', [-1, 2])) }).body).toBe('{"inputs": [[1, 1.0], [2, 2.5]]}');
    expect(conv('{"dataframe_split": {"columns": ["a"], "data": [[1], [2]]}}', 'inputs', { signature: tensors(tensor('float64', [-1])) }).body).toBe('{"inputs": [1, 2]}');
  });
  it('without a signature, a frame as inputs/instances changes what the model gets: warned', () => {
    const r = conv(SPLIT, 'inputs');
    expect(r.body).toBe('{"inputs": {"a": [1, 2], "b": [1.0, 2.5]}}');
    expect(codes(r)).toContain('input-kind-changes');
  });
});

describe('what a target cannot carry is a warning (§2.1 CSV, §3 records)', () => {
  it('records with missing keys → nulls', () => {
    const r = conv('{"dataframe_records": [{"a": 1, "b": 2}, {"a": 3}]}', 'dataframe_split');
    expect(r.body).toBe('{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [3, null]]}}');
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'record-missing-key', path: '$.dataframe_records[1]' }));
  });
  it('CSV drops params, writes nested values as JSON text, flags text that reads back as numbers/NA', () => {
    const r = conv('{"dataframe_split": {"columns": ["t", "v"], "data": [["12", [1, 2]], ["NA", {"k": "x, y"}]]}, "params": {"k": 1}}', 'csv');
    expect(r.body).toBe('t,v\n12,"[1, 2]"\nNA,"{""k"": ""x, y""}"\n');
    expect(codes(r)).toEqual(expect.arrayContaining(['csv-drops-params', 'csv-nested-value', 'csv-type-lost']));
    // a signature saying the column is text means pandas keeps "12" as text: no warning for it
    const typed = conv('{"dataframe_split": {"columns": ["t"], "data": [["12"]]}}', 'csv', { signature: cols({ t: 'string' }) });
    expect(codes(typed)).not.toContain('csv-type-lost');
  });
  it('CSV from inputs given as columns: a warning points at the cell ($.inputs.<column>[row]), not at a row that is not there', () => {
    const r = conv('{"inputs": {"age": [1, 2], "tags": [["a"], "b"], "note": "12"}}', 'csv');
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'csv-nested-value', path: '$.inputs.tags[0]' }));
    // a single value beside lists is repeated on every row: its place is the column itself
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'csv-type-lost', path: '$.inputs.note' }));
  });
  it('CSV → JSON: the signature keeps text columns as text; pandas NA spellings become null', () => {
    const r = conv('t,n,b\n007,1.5,True\nNA,,False\n', 'dataframe_split', { contentType: 'text/csv', signature: cols({ t: 'string', n: 'double', b: 'boolean' }) });
    expect(r.body).toBe('{"dataframe_split": {"columns": ["t", "n", "b"], "data": [["007", 1.5, true], [null, null, false]]}}');
  });
  it('a non-default index is dropped by records and CSV with a warning; a one-row split with a longer index is broadcast (§10)', () => {
    expect(codes(conv('{"dataframe_split": {"columns": ["a"], "index": [5], "data": [[1]]}}', 'dataframe_records'))).toContain('index-dropped');
    const b = conv('{"dataframe_split": {"columns": ["a"], "index": [0, 1], "data": [[7]]}}', 'dataframe_records');
    expect(b.body).toBe('{"dataframe_records": [{"a": 7}, {"a": 7}]}');
    expect(codes(b)).toContain('index-broadcast');
  });
  it('non-text column labels (credit-defaults request uses 0..22) are stringified for records with a warning', () => {
    const r = conv(req('azureml-examples/get-started-credit-defaults-sample-request.json'), 'dataframe_records');
    expect(r.from).toBe('azureml_split');
    expect(codes(r)).toContain('column-label-stringified');
  });
  it('ignored top-level keys are left out and said so (§3 "silently ignored")', () => {
    const r = conv(req('azureml-examples/foundation-models-translation-request.json'), 'azureml');
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'dropped-key', path: '$.parameters' }));
  });
  it('unified-LLM bodies (§3) become one row; the unparsed routing is lost and said so; schema params split off', () => {
    const sig: Signature = { ...cols({ prompt: 'string' }), params: [param('temperature', 'double', 0.5)] };
    const r = conv('{"prompt": "hi", "temperature": 0.2}', 'dataframe_split', { signature: sig });
    expect(r.body).toBe('{"dataframe_split": {"columns": ["prompt"], "data": [["hi"]]}, "params": {"temperature": 0.2}}');
    expect(r.from).toBe('llm');
    expect(codes(r)).toContain('llm-routing-lost');
  });
});

describe('CSV is read as the servers read it (pandas 1.5 read_csv; every expected split printed by Debian pandas 1.5.3)', () => {
  it.each([
    ['big ints past int64 and uint64 stay text', 'a\n10000000000000000000000000\n5\n', '{"dataframe_split": {"columns": ["a"], "data": [["10000000000000000000000000"], ["5"]]}}'],
    ['leading zeros are an int', 'a\n007\n1\n', '{"dataframe_split": {"columns": ["a"], "data": [[7], [1]]}}'],
    ['a float column makes every number a float', 'a\n1.50\n2\n', '{"dataframe_split": {"columns": ["a"], "data": [[1.5], [2.0]]}}'],
    ['booleans in any case', 'a\ntRuE\nFALSE\n', '{"dataframe_split": {"columns": ["a"], "data": [[true], [false]]}}'],
    ['None is text in pandas 1.5', 'a\nNone\n1\n', '{"dataframe_split": {"columns": ["a"], "data": [["None"], ["1"]]}}'],
    ['the inf spellings are floats', 'a\n+inf\n1\n', '{"dataframe_split": {"columns": ["a"], "data": [[Infinity], [1.0]]}}'],
    ['underscores are not digits', 'a\n1_000\n2\n', '{"dataframe_split": {"columns": ["a"], "data": [["1_000"], ["2"]]}}'],
    ['an extra leading field is the row label', 'a,b\n1,2,3\n', '{"dataframe_split": {"columns": ["a", "b"], "index": [1], "data": [[2, 3]]}}'],
    ['a BOM before the header is skipped', '\ufeffa\n1\n', '{"dataframe_split": {"columns": ["a"], "data": [[1]]}}'],
    ['a repeated name gets .1', 'a,a\n1,2\n', '{"dataframe_split": {"columns": ["a", "a.1"], "data": [[1, 2]]}}'],
    ['NA spellings and empty fields are null; an NA makes an int column float', 'a,b\nx,\nNA,2\n', '{"dataframe_split": {"columns": ["a", "b"], "data": [["x", null], [null, 2.0]]}}'],
  ])('%s', (_what, csv, split) => {
    expect(conv(csv, 'dataframe_split', { contentType: 'text/csv' }).body).toBe(split);
  });
  it('a signature string column keeps numbers as text, and only the NA spellings change there', () => {
    const sig = cols({ a: 'string', b: 'long' });
    expect(conv('a,b\n007,1\nNA,2\n', 'dataframe_split', { contentType: 'text/csv', signature: sig }).body).toBe('{"dataframe_split": {"columns": ["a", "b"], "data": [["007", 1], [null, 2]]}}');
  });
  it('writing CSV warns where pandas reads a cell back as something else', () => {
    const lost = (data: unknown[][], signature: Signature | null = null): string[] =>
      conv(JSON.stringify({ dataframe_split: { columns: data[0]!.map((_, k) => `c${k}`), data } }), 'csv', { signature }).warnings.filter((w) => w.code === 'csv-type-lost').map((w) => w.message);
    expect(lost([['inf'], ['x']])).toEqual([]); // a column of text stays text
    expect(lost([['inf'], ['1']])).toEqual(["Column 'c0' row 0: the text 'inf' is read back by pandas as the number inf (no signature says this column is text)."]);
    expect(lost([['tRuE']])).toEqual(["Column 'c0' row 0: the text 'tRuE' is read back by pandas as a boolean (no signature says this column is text)."]);
    expect(lost([[1], ['x']])).toEqual(["Column 'c0' row 0: the number 1 is read back by pandas as the text '1' (the column holds text too)."]);
    expect(lost([[true], [1]])).toEqual(["Column 'c0' row 0: the boolean True is read back by pandas as the text 'True' (the column mixes booleans and numbers, so pandas reads it as text)."]);
    expect(lost([['None']])).toEqual([]); // pandas 1.5 reads None as text
    expect(lost([['NA']], cols({ c0: 'string' }))).toEqual(["Column 'c0' row 0: the text 'NA' is read back by pandas as a missing value (NaN)."]);
    expect(lost([[1, 2.5], [null, 3]])).toEqual([]); // an int in a column with NaN becomes 1.0, as a JSON body makes it
  });
  it('an integer past the 64-bit range is written and warned, not lost silently', () => {
    const r = conv('{"dataframe_split": {"columns": ["a"], "data": [[-9223372036854775809], [0]]}}', 'csv');
    expect(r.body).toBe('a\n-9223372036854775809\n0\n');
    expect(r.warnings.map((w) => w.message)).toContain("Column 'a' row 0: the number -9223372036854775809 is read back by pandas as the text '-9223372036854775809' (an integer in the column is past the 64-bit range, so pandas reads the column as text).");
  });
});

describe('bad input is a structured error naming the place (never a throw)', () => {
  it.each([
    ['{bad', 'application/json', 'invalid-json', null],
    ['[1, 2]', 'application/json', 'unrecognised-body', '$'],
    ['{"foo": 1}', 'application/json', 'unrecognised-body', '$'],
    ['{"inputs": [1], "instances": [1]}', 'application/json', 'ambiguous-body', '$'],
    ['{"inputs": [1], "input_data": [1]}', 'application/json', 'ambiguous-body', '$'],
    ['{"dataframe_split": {"data": [[1]], "x": 1}}', 'application/json', 'invalid-split', '$.dataframe_split.x'],
    ['{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2]]}}', 'application/json', 'invalid-split', '$.dataframe_split.columns'],
    ['{"dataframe_records": [{"a": 1}, 5]}', 'application/json', 'invalid-records', '$.dataframe_records[1]'],
    ['a,b\n1,2\n1,2,3\n', 'text/csv', 'csv-ragged', 'csv line 3'],
    ['a,b\n"1,2\n', 'text/csv', 'csv-unclosed-quote', 'csv line 2'],
    ['x', 'text/plain', 'unsupported-content-type', null],
  ])('%j (%s) → %s at %s', (body, ct, code, path) => {
    expect(fail(body, 'azureml', { contentType: ct })).toMatchObject({ code, path });
  });
  it('--from-server settles a body with both envelopes', () => {
    expect(conv('{"inputs": [1], "input_data": [2]}', 'instances', { fromServer: 'azureml' }).body).toBe('{"instances": [2]}');
    expect(conv('{"inputs": [1], "input_data": [2]}', 'instances', { fromServer: 'mlflow' }).body).toBe('{"instances": [1]}');
  });
  it('real fixture bodies all convert to azureml (or fail with a code, never a throw)', () => {
    for (const f of ['azureml-examples/ncd-sample-request-sklearn-diabetes.json', 'azureml-examples/mlflow-1x-columns-data-request.json', 'mlflow/cli-serve-docstring-dataframe_records.json', 'mlflow/cli-serve-docstring-instances.json', 'azureml-examples/custom-scoring-model-1-data-request.json']) {
      const r = convertRequest({ body: req(f), contentType: 'application/json', to: 'azureml' });
      expect(r.ok, `${f}: ${JSON.stringify(r)}`).toBe(true);
    }
    const ner = convertRequest({ body: req('invalid/automl-ner.request.json'), contentType: 'application/json', to: 'azureml' });
    expect(ner).toMatchObject({ ok: false, error: { code: 'invalid-json' } });
  });
});

// ---- properties --------------------------------------------------------------------------------------

/** Frame cells in Python's terms, compared after parsing (ints, floats with .0, big ints, text, null). */
const plain = (body: string): unknown => toPlain(parsePyJson(body));
const label = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() === s && !/^(NA|NaN|nan|null|NULL|None|n\/a|N\/A|True|False|true|false|TRUE|FALSE)$/.test(s));
type Kind = 'int' | 'float' | 'bool' | 'text';
const cellOf = (k: Kind): fc.Arbitrary<string> =>
  // pandas reads a column with an integer past int64 (uint64 when none is negative) as text: the converter warns there
  k === 'int' ? fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })).map(String)
    // pandas reads CSV floats with precise_xstrtod, which is correctly rounded only for ≤ 15 significant digits
    // and powers of ten it holds exactly, and drops every digit past the 17th, leading zeros counted
    // (0.000100000000000001 reads 0.0001; docs/fidelity.md §CSV): the round trip is exact there, so draw there
    // (the converter warns elsewhere).
    : k === 'float' ? fc.oneof(fc.double({ min: -1e15, max: 1e15, noNaN: true }).filter((x) => x === 0 || Math.abs(x) >= 1e-8).map((x) => { const t = JSON.stringify(Number(x.toPrecision(15))); return /[.e]/.test(t) ? t : `${t}.0`; }).filter((t) => t.split(/e/i)[0]!.replace(/\D/g, '').length <= 17), fc.constant('null'))
      : k === 'bool' ? fc.boolean().map(String)
        // text pandas reads as text: no number, inf spelling, NA token or boolean in any case (those are warned)
        : fc.oneof(label.filter((s) => !/^[-+]?(\d|\.\d|inf|nan)/i.test(s.trim()) && !PANDAS_NA_VALUES.has(s) && !/^(true|false)$/i.test(s)).map((s) => JSON.stringify(s)), fc.constant('null'));
/** A frame whose columns each hold one kind of scalar (what CSV can type back, §2.1). */
const scalarFrame = fc
  .uniqueArray(label, { minLength: 1, maxLength: 4 })
  .chain((names) => fc.tuple(fc.constant(names), fc.array(fc.constantFrom<Kind>('int', 'float', 'bool', 'text'), { minLength: names.length, maxLength: names.length })))
  .chain(([names, kinds]) => fc.tuple(fc.constant(names), fc.array(fc.tuple(...kinds.map(cellOf)), { minLength: 1, maxLength: 5 })))
  .map(([names, rows]) => ({ names, body: `{"dataframe_split": {"columns": ${JSON.stringify(names)}, "data": [${rows.map((r) => `[${r.join(', ')}]`).join(', ')}]}}` }));

describe('properties (fast-check)', () => {
  it('split → records → azure → csv → split keeps every column and cell (scalar frames)', () => {
    fc.assert(
      fc.property(scalarFrame, ({ body }) => {
        const records = conv(body, 'dataframe_records');
        const azure = conv(records.body, 'azureml');
        const csv = conv(azure.body, 'csv');
        const back = conv(csv.body, 'dataframe_split', { contentType: 'text/csv' });
        const want = plain(body) as { dataframe_split: unknown };
        expect(plain(back.body)).toEqual(want);
        expect((plain(azure.body) as { input_data: { data: unknown } }).input_data.data).toEqual((want.dataframe_split as { data: unknown }).data);
        expect(plain(conv(records.body, 'dataframe_split').body)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
  it('instances ↔ inputs for tensors and named tensors is exact', () => {
    const scalar = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null));
    const tensor2d = fc.integer({ min: 1, max: 3 }).chain((w) => fc.array(fc.array(scalar, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 4 }));
    const named = fc.integer({ min: 1, max: 3 }).chain((n) => fc.dictionary(label, fc.array(scalar, { minLength: n, maxLength: n }), { minKeys: 1, maxKeys: 3 }));
    fc.assert(
      fc.property(fc.oneof(tensor2d, named), (value) => {
        const body = JSON.stringify({ inputs: value });
        const inst = conv(body, 'instances');
        expect(conv(inst.body, 'inputs').body).toBe(conv(body, 'inputs').body);
      }),
      { numRuns: 300 },
    );
  });
  it('random bodies, content types and targets never throw', () => {
    const bodies = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.tuple(fc.constantFrom('dataframe_split', 'dataframe_records', 'inputs', 'instances', 'input_data', 'prompt', 'columns', 'data'), fc.jsonValue()).map(([k, v]) => JSON.stringify({ [k]: v })),
      fc.string(),
    );
    fc.assert(
      fc.property(bodies, fc.constantFrom('application/json', 'text/csv', 'application/json; format=pandas-records', 'application/json; format=pandas-split', null), fc.constantFrom<ConvertTarget>('azureml', 'dataframe_split', 'dataframe_records', 'instances', 'inputs', 'csv'), fc.constantFrom(null, cols({ a: 'long' }), unnamedCols('double'), tensors(tensor('float32', [-1, 2]))),
        (body, ct, to, signature) => {
          const r = convertRequest({ body, contentType: ct, to, signature });
          if (r.ok) expect(typeof r.body).toBe('string');
          else expect(r.error.code).not.toBe('conversion-failed');
        }),
      { numRuns: 1500 },
    );
  });
  it('deep nesting and a 10 MB string are fine', () => {
    const deep = '{"inputs": ' + '['.repeat(900) + '1' + ']'.repeat(900) + '}';
    expect(convertRequest({ body: deep, contentType: 'application/json', to: 'azureml' }).ok).toBe(true);
    const big = JSON.stringify({ dataframe_split: { columns: ['t'], data: [['x'.repeat(10_000_000)]] } });
    expect(conv(big, 'csv').body.length).toBeGreaterThan(10_000_000);
  });
});
