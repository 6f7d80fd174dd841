import { describe, expect, it } from 'vitest';
import type { Signature } from '@shared/mlflow/model-report';
import { refusalAnswer } from '@shared/mlflow/output/responses';
import { prepareScoreRequest } from '@shared/mlflow/output/score-request';
import type { ValidateRequestInput } from '@shared/mlflow/payload/validate';
import { cols, param, tensor, tensors } from '@shared/mlflow/payload/test-signatures';
import { AppError } from '@shared/errors';
import { modelRaisedAnswer } from '../model-raised';
import { RunnerErrorCodes } from '../onnx/runner-errors';
import { F64Blob, toWireInput, toWireValue } from '../python/wire-input';
import { encodeFrame, RawJson } from '../python/worker-frames';
import { buildFeeds } from '../onnx/feeds';
import { runPrepareOp } from './prepare-ops';
import { errorFromData, errorToData, prepareForOnnx, prepareForPython, raisedAnswerFor, type PreparedOnnxRequest, type PreparedRequest } from './prepared-request';

const req = (body: string, signature: Signature | null, over: Partial<ValidateRequestInput> = {}): ValidateRequestInput => ({
  body, contentType: 'application/json', server: 'mlflow', mlflowVersion: '2.12.2', signature, ...over,
});

/** Across a thread boundary as postMessage carries it: structured clone, the input's buffers transferred. */
function crossThread(p: PreparedRequest): PreparedRequest {
  if (!p.ok) return structuredClone(p);
  const json = new Uint8Array(p.input.json);
  const blob = p.input.blob && new Uint8Array(p.input.blob);
  const transfer = [json.buffer as ArrayBuffer, ...(blob ? [blob.buffer as ArrayBuffer] : [])];
  return structuredClone({ ...p, input: { ...p.input, json, blob } }, { transfer });
}

const header = { op: 'predict', servers: ['mlflow'], model_dir: '/m', id: 7 };

/** The frame the Python worker gets when the request is prepared in-thread (python-engine.ts `predict`). */
function inThreadFrame(r: ValidateRequestInput): Buffer {
  const { outcome } = prepareScoreRequest(r);
  const blob = new F64Blob();
  const input = toWireInput(outcome.input!, blob);
  const params = outcome.params === null ? null : toWireValue(outcome.params);
  return encodeFrame({ op: header.op, input, params, servers: header.servers, model_dir: header.model_dir, id: header.id }, blob.toBuffer());
}

/** The frame when it was prepared off-thread: the encoded input's bytes in the input's place. */
function preparedFrame(p: PreparedRequest): Buffer {
  if (!p.ok) throw new Error('refused');
  return encodeFrame({ op: header.op, input: new RawJson(p.input.json), params: p.input.params, servers: header.servers, model_dir: header.model_dir, id: header.id }, p.input.blob);
}

const split = (columns: string[], data: unknown[][]): string => JSON.stringify({ dataframe_split: { columns, data } });

// Every kind of value the payload engine hands a model: float64 columns (raw doubles in the blob), integral
// floats (PyFloat), NaN/±Infinity/-0.0, ints beyond 2^53 (bigint), bytes, Timestamps and NaT, strings, bools,
// nulls, nested lists, dicts (Map), tuples (MultiIndex labels), dicts of ndarrays, plain values, params.
const cases: [string, ValidateRequestInput][] = [
  ['float64 frame (blob)', req(split(['a', 'b'], [[1.5, 2.25], [3.5, -0.5]]), cols({ a: 'double', b: 'double' }))],
  ['integral floats, NaN, ±Infinity, -0.0 (object column)', req('{"dataframe_split": {"columns": ["a"], "data": [[1.0], [NaN], [Infinity], [-Infinity], [-0.0], ["x"]]}}', null)],
  ['big ints (bigint) and int64', req('{"dataframe_split": {"columns": ["a", "b"], "data": [[12345678901234567890, 1], [-9007199254740993, 2]]}}', null)],
  ['long column beyond 2^53', req('{"dataframe_split": {"columns": ["a"], "data": [[9007199254740993], [1]]}}', cols({ a: 'long' }))],
  ['bytes column', req(split(['b'], [['aGVsbG8='], ['AAEC']]), cols({ b: 'binary' }))],
  ['datetimes and NaT', req(split(['t'], [['2024-01-02T03:04:05.123456789'], [null], ['2024-01-02']]), cols({ t: 'datetime' }))],
  ['strings, bools, nulls, nested lists, dicts', req(split(['s', 'k', 'n', 'l', 'd'], [['x', true, null, [1, [2.0, 'y']], { q: 1.0, r: [null] }], ['é\u0000"', false, 1, [], {}]]), null)],
  ['dataframe_records with missing keys', req(JSON.stringify({ dataframe_records: [{ a: 1, b: 'u' }, { a: 2.5 }] }), null)],
  ['MultiIndex columns (tuples)', req('{"dataframe_split": {"columns": [["a", 1], ["b", 2.0]], "data": [[1, 2]], "index": [5]}}', null)],
  ['tensor instances (ndarray)', req(JSON.stringify({ instances: [[1, 2], [3, 4]] }), tensors(tensor('float64', [-1, 2])))],
  ['named tensors (dict of ndarrays)', req(JSON.stringify({ inputs: { a: [1, 2], b: [[1.5], [2.5]] } }), tensors(tensor('int64', [-1], 'a'), tensor('float32', [-1, 1], 'b')))],
  ['inputs as a plain list (value)', req(JSON.stringify({ inputs: ['a', 1, 2.0, null, { k: [1] }] }), null)],
  ['params with every kind', req('{"dataframe_split": {"columns": ["a"], "data": [[1]]}, "params": {"f": 1.0, "i": 12345678901234567890, "s": "x", "l": [1, 2], "b": true}}', cols({ a: 'long' }, [param('f', 'double', 0), param('i', 'long', 0), param('s', 'string', ''), param('l', 'long', [], [-1]), param('b', 'boolean', false)]))],
  ['Azure profile', req(JSON.stringify({ input_data: { columns: ['a'], data: [[1.0], [2]] } }), cols({ a: 'double' }), { server: 'azureml' })],
];

describe('a request prepared off-thread reaches the Python worker as the same bytes', () => {
  it.each(cases)('%s', (_name, r) => {
    const direct = prepareScoreRequest(r);
    expect(direct.outcome.ok, JSON.stringify(direct.outcome.body)).toBe(true);
    const prepared = crossThread(prepareForPython(r));
    expect(prepared.ok).toBe(true);
    expect(preparedFrame(prepared).equals(inThreadFrame(r))).toBe(true);
    // the rest of the outcome the runner uses, unchanged by the crossing
    expect(prepared.version).toEqual(direct.version);
    expect(prepared.warnings).toEqual(direct.warnings);
    expect(prepared.ok && prepared.unwrapped).toBe(direct.outcome.unwrapped);
  });

  it('the input bytes cross without a copy (transferred) and the frame still matches', () => {
    const r = cases[0]![1];
    const p = prepareForPython(r);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const json = new Uint8Array(p.input.json);
    const moved = structuredClone({ json }, { transfer: [json.buffer as ArrayBuffer] });
    expect(json.byteLength).toBe(0); // detached: moved, not copied
    expect(Buffer.from(moved.json).equals(Buffer.from(p.input.json))).toBe(true);
  });
});

describe('refusals and failures prepared off-thread', () => {
  it.each([
    ['bad JSON', req('{"dataframe_split": ', null)],
    ['missing column', req(split(['a'], [[1]]), cols({ a: 'double', b: 'double' }))],
    ['Azure 400', req('not json', null, { server: 'azureml' })],
    // 1.x reads a bare pandas body: the 2.x envelope is refused (400 with a stack trace, mlflow-1x-server.test.ts).
    ['MLflow 1.x', req(split(['a'], [[1]]), cols({ a: 'long' }), { mlflowVersion: '1.30.1' })],
  ])('%s: the refusal is the in-thread answer', (_name, r) => {
    const direct = prepareScoreRequest(r);
    expect(direct.outcome.ok && direct.outcome.input).toBeFalsy();
    const prepared = crossThread(prepareForPython(r));
    const reference = refusalAnswer(r.server, direct.outcome);
    expect(reference.status).toBeGreaterThanOrEqual(400);
    expect(prepared).toEqual({ ok: false, version: direct.version, warnings: direct.warnings, answer: reference });
    expect(!prepared.ok && Buffer.from(prepared.answer.body_text, 'utf8').equals(Buffer.from(reference.body_text, 'utf8'))).toBe(true);
  });

  it('an AppError crosses as data with its code, message and details; anything else as an Error', () => {
    const e = new AppError(RunnerErrorCodes.MODEL_RUN, 'm: the model raised ValueError: bad', { details: { python: { type: 'ValueError', message: 'bad' }, traceback: 'tb' } });
    const back = errorFromData(structuredClone(errorToData(e))) as AppError;
    expect(back).toBeInstanceOf(AppError);
    expect([back.code, back.message, back.details]).toEqual([e.code, e.message, e.details]);
    const plain = errorFromData(structuredClone(errorToData(new TypeError('x'))));
    expect(plain).not.toBeInstanceOf(AppError);
    expect(plain.message).toBe('x');
  });

  it.each([
    ['2.12 MlflowException (prints the input)', '2.12.2', 'mlflow', { type: 'MlflowException', message: 'no', mlflowErrorCode: 'INVALID_PARAMETER_VALUE' }],
    ['2.7 MlflowException', '2.7.1', 'mlflow', { type: 'MlflowException', message: 'no' }],
    ['any exception, MLflow', '2.12.2', 'mlflow', { type: 'ValueError', message: 'bad' }],
    ['Azure', '2.12.2', 'azureml', { type: 'ValueError', message: 'bad' }],
  ] as const)('the model raised (%s): the answer is the in-thread one', (_name, version, server, python) => {
    const body = server === 'azureml' ? JSON.stringify({ input_data: { columns: ['a', 'b'], data: [[1.0, 'x'], [2.5, 'y']] } }) : split(['a', 'b'], [[1.0, 'x'], [2.5, 'y']]);
    const r = req(body, null, { mlflowVersion: version, server });
    const err = new AppError(RunnerErrorCodes.MODEL_RUN, 'model: the model raised', { details: { python, traceback: '' } });
    const direct = prepareScoreRequest(r);
    expect(direct.outcome.input).toBeTruthy();
    expect(raisedAnswerFor(r, server, structuredClone(errorToData(err)))).toEqual(modelRaisedAnswer(server, err, { input: direct.outcome.input!, version: direct.version }));
  });

  it('not the model raising: no answer (the runner rethrows)', () => {
    const r = req(split(['a'], [[1]]), null);
    expect(raisedAnswerFor(r, 'mlflow', errorToData(new AppError('E_TIMEOUT', 'slow')))).toBeNull();
  });
});

describe('an ONNX request prepared off-thread: the same feeds, refusal or raised answer as in-thread', () => {
  const graph = { inputs: [{ name: 'X', type: 'tensor(float)', elemType: 'float' }], relName: 'model.onnx' };
  /** What RunnerService.score does in-thread: the payload engine, then buildFeeds (its error answered as the model raising). */
  function inThread(r: ValidateRequestInput): unknown {
    const { outcome, version } = prepareScoreRequest(r);
    if (!outcome.ok || !outcome.input) return { refusal: refusalAnswer(r.server, outcome) };
    try {
      return { feeds: buildFeeds(graph.inputs, outcome.input, graph.relName) };
    } catch (err) {
      return { raised: modelRaisedAnswer(r.server, err, { input: outcome.input, version }) };
    }
  }
  /** The worker's answer as the main thread receives it (structured clone, buffers transferred). */
  function offThread(r: ValidateRequestInput): unknown {
    const { result, transfer } = runPrepareOp({ op: 'onnx', req: r, graph }, true);
    const p = structuredClone(result, { transfer }) as PreparedOnnxRequest;
    if (p.ok) return { feeds: p.feeds };
    return p.raised ? { raised: p.answer } : { refusal: p.answer };
  }

  it.each([
    ['accepted: two float columns', 'feeds', req(split(['a', 'b'], [[1.5, 2.25], [3.5, -0.5]]), cols({ a: 'double', b: 'double' }))],
    ['refused: a column missing', 'refusal', req(split(['a'], [[1.5]]), cols({ a: 'double', b: 'double' }))],
    ["the model raises: a named tensor the graph does not take (onnxruntime's missing-input ValueError)", 'raised', req(JSON.stringify({ inputs: { Z: [1.5, 2] } }), null)],
    ['Azure, accepted', 'feeds', req(JSON.stringify({ input_data: { columns: ['a'], data: [[1.0], [2]] } }), cols({ a: 'double' }), { server: 'azureml' })],
  ] as const)('%s', (_name, kind, r) => {
    const here = inThread(r) as Record<string, unknown>;
    expect(Object.keys(here)).toEqual([kind]);
    expect(here[kind]).not.toBeNull();
    expect(offThread(r)).toEqual(here);
  });

  it('without a graph: only the payload engine (the refusal, or no feeds)', () => {
    const refused = req(split(['a'], [[1.5]]), cols({ a: 'double', b: 'double' }));
    expect(prepareForOnnx(refused, null)).toMatchObject({ ok: false, raised: false });
    expect(prepareForOnnx(req(split(['a'], [[1.5]]), null), null)).toMatchObject({ ok: true, feeds: null });
  });
});
