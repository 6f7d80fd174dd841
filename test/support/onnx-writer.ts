import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { OnnxType } from '../../src/shared/mlflow/model-report';
import { elemTypeCode, type ElemTypeName } from '../../src/main/services/model/onnx/onnx-types';

/**
 * A small ONNX protobuf writer, so the project can build real models from code: the bundled sample
 * model, the inspection benchmark, and test models (multi-input, classifiers, external data) that
 * onnxruntime-node loads and runs. Field numbers follow onnx/onnx `onnx/onnx.proto`.
 *
 * Large tensors can be *streamed*: `encodeOnnxModel` lays the file out as pieces, and a `StreamedBytes`
 * piece is only pulled (chunk by chunk) when `writeOnnxModel` writes it, so a 1 GiB initializer never
 * sits in memory.
 */

// ---- model description -----------------------------------------------------------------------

/** Bytes known by size up front and produced later, chunk by chunk (e.g. a 1 GiB raw_data). */
export interface StreamedBytes {
  byteLength: number;
  chunks(): AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

export type OnnxTensorData =
  | { kind: 'raw'; bytes: Uint8Array }
  | { kind: 'streamed'; source: StreamedBytes }
  | { kind: 'floats'; values: ArrayLike<number> }
  | { kind: 'doubles'; values: ArrayLike<number> }
  | { kind: 'int32s'; values: ArrayLike<number> }
  | { kind: 'int64s'; values: ArrayLike<number | bigint> }
  | { kind: 'strings'; values: (string | Uint8Array)[] }
  /** The data lives in a separate file beside the model (ONNX external data); the caller writes that file. */
  | { kind: 'external'; location: string; offset?: number; length?: number };

export interface OnnxTensorSpec {
  name: string;
  elemType: ElemTypeName;
  dims: number[];
  data: OnnxTensorData;
  docString?: string;
}

export type OnnxAttribute =
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'int'; value: number | bigint }
  | { name: string; kind: 'string'; value: string | Uint8Array }
  | { name: string; kind: 'tensor'; value: OnnxTensorSpec }
  | { name: string; kind: 'graph'; value: OnnxGraphSpec }
  | { name: string; kind: 'floats'; value: number[] }
  | { name: string; kind: 'ints'; value: (number | bigint)[] }
  | { name: string; kind: 'strings'; value: (string | Uint8Array)[] };

export interface OnnxNodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** '' (the default) is ai.onnx. */
  domain?: string;
  attributes?: OnnxAttribute[];
  docString?: string;
}

export interface OnnxValueSpec {
  name: string;
  /** The same type language the inspector returns; `{ kind: 'unknown' }` writes no type at all. */
  type: OnnxType;
  docString?: string;
}

export interface OnnxGraphSpec {
  name: string;
  nodes: OnnxNodeSpec[];
  initializers?: OnnxTensorSpec[];
  inputs: OnnxValueSpec[];
  outputs: OnnxValueSpec[];
  valueInfo?: OnnxValueSpec[];
  docString?: string;
}

export interface OnnxModelSpec {
  /** Defaults to 8 (ONNX 1.10+, loaded by every onnxruntime since 1.10). */
  irVersion?: number;
  /** Domain '' (or 'ai.onnx') is the default operator set. */
  opsetImports: { domain: string; version: number }[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  metadataProps?: { key: string; value: string }[];
  graph: OnnxGraphSpec;
}

// ---- helpers for callers ---------------------------------------------------------------------

/** float32 initializer stored as little-endian raw_data (what exporters write). */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensorSpec {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  return { name, elemType: 'float', dims, data: { kind: 'raw', bytes: toLittleEndian(bytes, 4) } };
}

export function doubleTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensorSpec {
  const bytes = new Uint8Array(Float64Array.from(values).buffer);
  return { name, elemType: 'double', dims, data: { kind: 'raw', bytes: toLittleEndian(bytes, 8) } };
}

export function int64Tensor(name: string, dims: number[], values: ArrayLike<number | bigint>): OnnxTensorSpec {
  return { name, elemType: 'int64', dims, data: { kind: 'int64s', values } };
}

export function stringTensor(name: string, dims: number[], values: string[]): OnnxTensorSpec {
  return { name, elemType: 'string', dims, data: { kind: 'strings', values } };
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toLittleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (littleEndianHost) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let j = 0; j < width; j++) out[i + j] = bytes[i + width - 1 - j];
  return out;
}

export const attr = {
  float: (name: string, value: number): OnnxAttribute => ({ name, kind: 'float', value }),
  int: (name: string, value: number | bigint): OnnxAttribute => ({ name, kind: 'int', value }),
  string: (name: string, value: string | Uint8Array): OnnxAttribute => ({ name, kind: 'string', value }),
  tensor: (name: string, value: OnnxTensorSpec): OnnxAttribute => ({ name, kind: 'tensor', value }),
  graph: (name: string, value: OnnxGraphSpec): OnnxAttribute => ({ name, kind: 'graph', value }),
  floats: (name: string, value: number[]): OnnxAttribute => ({ name, kind: 'floats', value }),
  ints: (name: string, value: (number | bigint)[]): OnnxAttribute => ({ name, kind: 'ints', value }),
  strings: (name: string, value: (string | Uint8Array)[]): OnnxAttribute => ({ name, kind: 'strings', value }),
};

// ---- protobuf encoding -------------------------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const utf8 = new TextEncoder();

/** A message under construction: scalar bytes accumulate in `cur`; sub-messages and streams are kept as pieces. */
class Msg {
  readonly pieces: (Uint8Array | StreamedBytes)[] = [];
  length = 0;
  private cur: number[] = [];

  private flush(): void {
    if (this.cur.length > 0) {
      this.pieces.push(Uint8Array.from(this.cur));
      this.cur = [];
    }
  }

  private pushByte(b: number): void {
    this.cur.push(b);
    this.length += 1;
  }

  rawVarint(value: number | bigint): void {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x7fffffff) {
      let v = value;
      while (v > 0x7f) {
        this.pushByte((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.pushByte(v);
      return;
    }
    // int64 (including negatives, two's complement over 10 bytes) via BigInt.
    let v = BigInt.asUintN(64, BigInt(value));
    while (v > 0x7fn) {
      this.pushByte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pushByte(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  varint(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_I32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.pushByte(x);
    return this;
  }

  bytes(field: number, value: Uint8Array | string): this {
    const data = typeof value === 'string' ? utf8.encode(value) : value;
    this.tag(field, WIRE_LEN);
    this.rawVarint(data.length);
    this.appendPiece(data);
    return this;
  }

  /** Optional string: written only when given (proto2 presence). */
  optString(field: number, value: string | undefined): this {
    if (value !== undefined) this.bytes(field, value);
    return this;
  }

  message(field: number, child: Msg): this {
    this.tag(field, WIRE_LEN);
    this.rawVarint(child.length);
    this.flush();
    // A loop, not push(...spread): a big graph can have more pieces than the engine allows as arguments.
    for (const piece of child.finish()) this.pieces.push(piece);
    this.length += child.length;
    return this;
  }

  streamed(field: number, source: StreamedBytes): this {
    this.tag(field, WIRE_LEN);
    this.rawVarint(source.byteLength);
    this.flush();
    this.pieces.push(source);
    this.length += source.byteLength;
    return this;
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i], true);
    return this.bytes(field, b);
  }

  packedDoubles(field: number, values: ArrayLike<number>): this {
    const b = new Uint8Array(values.length * 8);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) dv.setFloat64(i * 8, values[i], true);
    return this.bytes(field, b);
  }

  packedVarints(field: number, values: ArrayLike<number | bigint>): this {
    const inner = new Msg();
    for (let i = 0; i < values.length; i++) inner.rawVarint(values[i]);
    return this.message(field, inner);
  }

  private appendPiece(data: Uint8Array): void {
    if (data.length <= 64) {
      for (const x of data) this.cur.push(x);
    } else {
      this.flush();
      this.pieces.push(data);
    }
    this.length += data.length;
  }

  finish(): (Uint8Array | StreamedBytes)[] {
    this.flush();
    return this.pieces;
  }
}

function encodeTensor(t: OnnxTensorSpec): Msg {
  const m = new Msg();
  for (const d of t.dims) m.varint(1, d); // dims: unpacked, as onnx's Python writer emits for proto2
  m.varint(2, elemTypeCode(t.elemType));
  m.bytes(8, t.name);
  const data = t.data;
  switch (data.kind) {
    case 'raw':
      m.bytes(9, data.bytes);
      break;
    case 'streamed':
      m.streamed(9, data.source);
      break;
    case 'floats':
      m.packedFloats(4, data.values);
      break;
    case 'doubles':
      m.packedDoubles(10, data.values);
      break;
    case 'int32s':
      m.packedVarints(5, data.values);
      break;
    case 'int64s':
      m.packedVarints(7, data.values);
      break;
    case 'strings':
      for (const s of data.values) m.bytes(6, s);
      break;
    case 'external': {
      const entries: [string, string][] = [['location', data.location]];
      if (data.offset !== undefined) entries.push(['offset', String(data.offset)]);
      if (data.length !== undefined) entries.push(['length', String(data.length)]);
      for (const [key, value] of entries) m.message(13, new Msg().bytes(1, key).bytes(2, value));
      m.varint(14, 1); // DataLocation.EXTERNAL
      break;
    }
  }
  m.optString(12, t.docString);
  return m;
}

function encodeShape(shape: (number | string | null)[]): Msg {
  const s = new Msg();
  for (const d of shape) {
    const dim = new Msg();
    if (typeof d === 'number') dim.varint(1, d);
    else if (typeof d === 'string') dim.bytes(2, d);
    s.message(1, dim);
  }
  return s;
}

function encodeType(type: OnnxType): Msg {
  const m = new Msg();
  switch (type.kind) {
    case 'tensor':
    case 'sparse_tensor': {
      const t = new Msg().varint(1, elemTypeCode(type.elemType));
      if (type.shape !== null) t.message(2, encodeShape(type.shape));
      m.message(type.kind === 'tensor' ? 1 : 8, t);
      break;
    }
    case 'sequence':
    case 'optional': {
      const w = new Msg();
      if (type.elem !== null) w.message(1, encodeType(type.elem));
      m.message(type.kind === 'sequence' ? 4 : 9, w);
      break;
    }
    case 'map': {
      const w = new Msg().varint(1, elemTypeCode(type.keyType));
      if (type.value !== null) w.message(2, encodeType(type.value));
      m.message(5, w);
      break;
    }
    case 'unknown':
      break;
  }
  return m;
}

function encodeValueInfo(v: OnnxValueSpec): Msg {
  const m = new Msg().bytes(1, v.name);
  if (v.type.kind !== 'unknown') m.message(2, encodeType(v.type));
  return m.optString(3, v.docString);
}

/** AttributeProto.AttributeType values (onnx.proto). */
const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7, strings: 8 } as const;

function encodeAttribute(a: OnnxAttribute): Msg {
  const m = new Msg().bytes(1, a.name);
  switch (a.kind) {
    case 'float':
      m.float(2, a.value);
      break;
    case 'int':
      m.varint(3, a.value);
      break;
    case 'string':
      m.bytes(4, a.value);
      break;
    case 'tensor':
      m.message(5, encodeTensor(a.value));
      break;
    case 'graph':
      m.message(6, encodeGraph(a.value));
      break;
    case 'floats':
      m.packedFloats(7, a.value);
      break;
    case 'ints':
      m.packedVarints(8, a.value);
      break;
    case 'strings':
      for (const s of a.value) m.bytes(9, s);
      break;
  }
  m.varint(20, ATTR_TYPE[a.kind]);
  return m;
}

function encodeNode(n: OnnxNodeSpec): Msg {
  const m = new Msg();
  for (const i of n.inputs) m.bytes(1, i);
  for (const o of n.outputs) m.bytes(2, o);
  m.optString(3, n.name);
  m.bytes(4, n.opType);
  for (const a of n.attributes ?? []) m.message(5, encodeAttribute(a));
  m.optString(6, n.docString);
  if (n.domain !== undefined && n.domain !== '') m.bytes(7, n.domain);
  return m;
}

function encodeGraph(g: OnnxGraphSpec): Msg {
  const m = new Msg();
  for (const n of g.nodes) m.message(1, encodeNode(n));
  m.bytes(2, g.name);
  for (const t of g.initializers ?? []) m.message(5, encodeTensor(t));
  m.optString(10, g.docString);
  for (const v of g.inputs) m.message(11, encodeValueInfo(v));
  for (const v of g.outputs) m.message(12, encodeValueInfo(v));
  for (const v of g.valueInfo ?? []) m.message(13, encodeValueInfo(v));
  return m;
}

function encodeModelPieces(spec: OnnxModelSpec): (Uint8Array | StreamedBytes)[] {
  const m = new Msg();
  m.varint(1, spec.irVersion ?? 8);
  m.optString(2, spec.producerName);
  m.optString(3, spec.producerVersion);
  m.optString(4, spec.domain);
  if (spec.modelVersion !== undefined) m.varint(5, spec.modelVersion);
  m.optString(6, spec.docString);
  m.message(7, encodeGraph(spec.graph));
  for (const o of spec.opsetImports) {
    const op = new Msg();
    if (o.domain !== '' && o.domain !== 'ai.onnx') op.bytes(1, o.domain);
    op.varint(2, o.version);
    m.message(8, op);
  }
  for (const p of spec.metadataProps ?? []) m.message(14, new Msg().bytes(1, p.key).bytes(2, p.value));
  return m.finish();
}

/** Serialises a model held in memory. Throws if a tensor is `streamed` (use `writeOnnxModel`). */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const pieces = encodeModelPieces(spec);
  let total = 0;
  for (const p of pieces) {
    if (!(p instanceof Uint8Array)) throw new Error('encodeOnnxModel: a tensor has streamed data; write it with writeOnnxModel instead.');
    total += p.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces as Uint8Array[]) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Writes the model to `path` atomically (temp file in the same folder, then rename), streaming any
 * `streamed` tensor data chunk by chunk. Returns the file size.
 */
export async function writeOnnxModel(path: string, spec: OnnxModelSpec): Promise<number> {
  const pieces = encodeModelPieces(spec);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w');
  let written = 0;
  try {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      const block = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      await fh.write(block, 0, block.length);
      written += block.length;
      pending = [];
      pendingBytes = 0;
    };
    for (const p of pieces) {
      if (p instanceof Uint8Array) {
        pending.push(p);
        pendingBytes += p.length;
        if (pendingBytes >= 1 << 20) await flush();
        continue;
      }
      await flush();
      let streamed = 0;
      for await (const chunk of p.chunks()) {
        await fh.write(chunk, 0, chunk.length);
        streamed += chunk.length;
      }
      if (streamed !== p.byteLength) {
        throw new Error(`writeOnnxModel: streamed tensor data produced ${streamed} bytes, expected ${p.byteLength}.`);
      }
      written += streamed;
    }
    await flush();
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
  return written;
}
