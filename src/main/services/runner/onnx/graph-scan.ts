/**
 * A second streaming pass over an ONNX file, for what the inspector does not collect: where the graph
 * message sits in the file (to splice extra outputs into it) and the top-level nodes' op types, inputs
 * and outputs. Reuses the inspector's `ProtoStreamReader`, so initializers and attribute payloads are
 * skipped by seeking, never read. Attributes are decoded only for the nodes a caller asks for
 * (`readNodeAttributes`), from that node's own bytes.
 */
import { open } from 'node:fs/promises';
import { concatBytes } from '@shared/bytes';
import { AppError, ErrorCodes } from '@shared/errors';
import { FIELD_HEADER_MAX, ProtoFormatError, ProtoStreamReader, Wire } from '../../model/onnx/protobuf-stream-reader';

export interface ScannedNode {
  opType: string;
  /** '' for ai.onnx. */
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Byte range of the NodeProto payload in the file. */
  start: number;
  end: number;
}

export interface GraphScan {
  fileSize: number;
  /** ModelProto.graph (field 7): offset of its tag, of its payload, and the payload's end. */
  graph: { tagAt: number; payloadStart: number; end: number };
  nodes: ScannedNode[];
}

export async function scanGraph(absPath: string, relName: string): Promise<GraphScan> {
  const fh = await open(absPath, 'r');
  try {
    const size = (await fh.stat()).size;
    const r = new ProtoStreamReader(fh, size);
    let graph: GraphScan['graph'] | null = null;
    const nodes: ScannedNode[] = [];
    while (r.pos < size) {
      const t = await tag(r, size);
      if (t.field === 7 && t.wire === Wire.LEN) {
        if (graph !== null) throw new ProtoFormatError('ModelProto has two graph fields', t.at);
        const len = r.readLength(size);
        graph = { tagAt: t.at, payloadStart: r.pos, end: r.pos + len };
        await scanNodes(r, graph.end, nodes);
      } else r.skip(t.wire, size, t.at);
    }
    if (graph === null) throw new ProtoFormatError('it has no graph (ModelProto field 7)', size);
    return { fileSize: size, graph, nodes };
  } catch (e) {
    if (e instanceof ProtoFormatError) {
      throw new AppError(ErrorCodes.INVALID_FILE, `${relName}: not a valid ONNX model: ${e.what} (byte ${e.offset}). Re-export the model.`, { cause: e });
    }
    throw e;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function tag(r: ProtoStreamReader, end: number): Promise<{ field: number; wire: number; at: number }> {
  if (!r.has(FIELD_HEADER_MAX)) await r.fill(FIELD_HEADER_MAX);
  return r.readTag(end);
}

async function str(r: ProtoStreamReader, end: number): Promise<string> {
  const len = r.readLength(end);
  if (len > 1 << 20) throw new ProtoFormatError(`a ${len}-byte name is not plausible`, r.pos);
  return r.readUtf8(len);
}

async function scanNodes(r: ProtoStreamReader, end: number, nodes: ScannedNode[]): Promise<void> {
  while (r.pos < end) {
    const t = await tag(r, end);
    if (t.field !== 1 || t.wire !== Wire.LEN) {
      r.skip(t.wire, end, t.at);
      continue;
    }
    const len = r.readLength(end);
    const node: ScannedNode = { opType: '', domain: '', inputs: [], outputs: [], start: r.pos, end: r.pos + len };
    while (r.pos < node.end) {
      const f = await tag(r, node.end);
      if (f.wire !== Wire.LEN) r.skip(f.wire, node.end, f.at);
      else if (f.field === 1) node.inputs.push(await str(r, node.end));
      else if (f.field === 2) node.outputs.push(await str(r, node.end));
      else if (f.field === 4) node.opType = await str(r, node.end);
      else if (f.field === 7) node.domain = await str(r, node.end);
      else r.skip(f.wire, node.end, f.at);
    }
    nodes.push(node);
  }
}

// ---- attributes of one node, decoded in memory ------------------------------------------------------

export type AttributeValue =
  | { kind: 'int'; value: bigint }
  | { kind: 'ints'; value: bigint[] }
  | { kind: 'string'; value: string }
  | { kind: 'strings'; value: string[] }
  | { kind: 'other' };

/** Reads one node's bytes and decodes its int / ints / string / strings attributes (int64 exact). */
export async function readNodeAttributes(absPath: string, node: ScannedNode): Promise<Map<string, AttributeValue>> {
  const fh = await open(absPath, 'r');
  const buf = Buffer.alloc(node.end - node.start);
  try {
    await fh.read(buf, 0, buf.length, node.start);
  } finally {
    await fh.close().catch(() => undefined);
  }
  const out = new Map<string, AttributeValue>();
  for (const f of fields(buf, 0, buf.length)) {
    if (f.field !== 5 || f.bytes === null) continue;
    let name = '';
    let ints: bigint[] = [];
    const strings: string[] = [];
    let intValue: bigint | null = null;
    let stringValue: string | null = null;
    let type = 0;
    for (const a of fields(buf, f.bytes[0], f.bytes[1])) {
      if (a.field === 1 && a.bytes) name = buf.toString('utf8', a.bytes[0], a.bytes[1]);
      else if (a.field === 3 && a.varint !== null) intValue = BigInt.asIntN(64, a.varint);
      else if (a.field === 4 && a.bytes) stringValue = buf.toString('utf8', a.bytes[0], a.bytes[1]);
      else if (a.field === 8 && a.varint !== null) ints.push(BigInt.asIntN(64, a.varint));
      else if (a.field === 8 && a.bytes) ints = ints.concat(packedVarints(buf, a.bytes[0], a.bytes[1]));
      else if (a.field === 9 && a.bytes) strings.push(buf.toString('utf8', a.bytes[0], a.bytes[1]));
      else if (a.field === 20 && a.varint !== null) type = Number(a.varint);
    }
    // AttributeProto.type: 2 INT, 3 STRING, 7 INTS, 8 STRINGS. Old files may omit it: infer from content.
    if (type === 7 || (type === 0 && ints.length > 0)) out.set(name, { kind: 'ints', value: ints });
    else if (type === 8 || (type === 0 && strings.length > 0)) out.set(name, { kind: 'strings', value: strings });
    else if (type === 2 || (type === 0 && intValue !== null)) out.set(name, { kind: 'int', value: intValue ?? 0n });
    else if (type === 3 || (type === 0 && stringValue !== null)) out.set(name, { kind: 'string', value: stringValue ?? '' });
    else out.set(name, { kind: 'other' });
  }
  return out;
}

interface Field {
  field: number;
  varint: bigint | null;
  bytes: [number, number] | null;
}

function readVarint(buf: Buffer, pos: number, end: number): [bigint, number] {
  let v = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new ProtoFormatError('a varint runs past the end of its message', pos);
    const b = buf[pos++]!;
    v |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [v, pos];
    shift += 7n;
  }
  throw new ProtoFormatError('a varint is longer than 10 bytes', pos);
}

function* fields(buf: Buffer, start: number, end: number): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const [t, p] = readVarint(buf, pos, end);
    pos = p;
    const field = Number(t >> 3n);
    const wire = Number(t & 7n);
    if (wire === Wire.VARINT) {
      const [v, q] = readVarint(buf, pos, end);
      pos = q;
      yield { field, varint: v, bytes: null };
    } else if (wire === Wire.LEN) {
      const [len, q] = readVarint(buf, pos, end);
      const stop = q + Number(len);
      if (stop > end) throw new ProtoFormatError('a field runs past the end of its message', q);
      pos = stop;
      yield { field, varint: null, bytes: [q, stop] };
    } else if (wire === Wire.I32) pos += 4;
    else if (wire === Wire.I64) pos += 8;
    else throw new ProtoFormatError(`unexpected wire type ${wire}`, pos);
  }
}

function packedVarints(buf: Buffer, start: number, end: number): bigint[] {
  const out: bigint[] = [];
  let pos = start;
  while (pos < end) {
    const [v, p] = readVarint(buf, pos, end);
    out.push(BigInt.asIntN(64, v));
    pos = p;
  }
  return out;
}

// ---- splicing extra graph outputs --------------------------------------------------------------------

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function lenField(field: number, payload: Uint8Array): Uint8Array {
  const head = [...varintBytes(field * 8 + Wire.LEN), ...varintBytes(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

/** ValueInfoProto { name, type: TypeProto { tensor_type: { elem_type } } } — rank left unknown on purpose. */
function tensorValueInfo(name: string, elemTypeCode: number): Uint8Array {
  const tensorType = new Uint8Array([...varintBytes(1 * 8 + Wire.VARINT), ...varintBytes(elemTypeCode)]);
  const typeProto = lenField(1, tensorType);
  return concatBytes([lenField(1, new TextEncoder().encode(name)), lenField(2, typeProto)]);
}

export interface ExtraOutput {
  name: string;
  /** TensorProto.DataType code (1 = float). */
  elemTypeCode: number;
}

/**
 * The model bytes with `extra` appended to the graph's outputs. Protobuf concatenates repeated fields,
 * so the new ValueInfos go at the end of the graph message and only the graph's length prefix
 * changes; every other byte (weights included) is copied as is.
 */
export function spliceGraphOutputs(model: Uint8Array, graph: GraphScan['graph'], extra: readonly ExtraOutput[]): Uint8Array {
  const added = concatBytes(extra.map((o) => lenField(12, tensorValueInfo(o.name, o.elemTypeCode))));
  const payloadLen = graph.end - graph.payloadStart + added.length;
  const head = new Uint8Array([...varintBytes(7 * 8 + Wire.LEN), ...varintBytes(payloadLen)]);
  return concatBytes([model.subarray(0, graph.tagAt), head, model.subarray(graph.payloadStart, graph.end), added, model.subarray(graph.end)]);
}
