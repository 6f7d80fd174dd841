import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { OnnxSummary, OnnxType, OnnxValueInfo } from '@shared/mlflow/model-report';
import { displayOnnxType, elemTypeName } from './onnx-types';
import {
  FIELD_HEADER_MAX,
  ProtoFormatError,
  ProtoStreamReader,
  ReadAbortedError,
  WIRE_NAMES,
  Wire,
} from './protobuf-stream-reader';

/** Header strings (names, doc strings, metadata) larger than this are treated as corruption, never allocated. */
export const MAX_HEADER_STRING_BYTES = 16 * 1024 * 1024;
/** seq(seq(map(…))) deeper than this is not a real model; it guards the recursion. */
const MAX_TYPE_DEPTH = 64;

export interface InspectOnnxOptions {
  signal?: AbortSignal;
  /** Called once with how much of the file was actually read (the benchmark prints it; tests prove weights are skipped). */
  onReadStats?: (stats: { reads: number; bytesRead: number; fileSize: number }) => void;
}

/** What the parse collects before the summary is assembled (inputs are filtered by initializer names at the end). */
interface Collected {
  irVersion: number | null;
  producerName: string | null;
  producerVersion: string | null;
  domain: string | null;
  modelVersion: number | null;
  docString: string | null;
  graphName: string | null;
  hasGraph: boolean;
  opsetImports: { domain: string; version: number }[];
  metadataProps: { key: string; value: string }[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodeCount: number;
  opTypes: Set<string>;
  initializerNames: Set<string>;
  initializerCount: number;
  initializerBytes: number;
  /** In order of first appearance: location → first initializer naming it. */
  externalLocations: Map<string, string>;
}

/**
 * Summarises an ONNX file without reading its weights: a streaming protobuf parse of ModelProto /
 * GraphProto headers that seeks over every tensor payload, so the cost depends on the size of the
 * graph, not of the initializers (ARCHITECTURE.md §2 "ONNX inspection (streamed, never whole-file)").
 *
 * @param absPath the file to read
 * @param relName how errors and the summary name the file (path relative to the model folder)
 */
export async function inspectOnnx(absPath: string, relName: string, options: InspectOnnxOptions = {}): Promise<OnnxSummary> {
  const { signal } = options;
  throwIfCancelled(signal, relName);
  const fh = await openModelFile(absPath, relName);
  let collected: Collected;
  let fileSize: number;
  try {
    const info = await fh.stat();
    if (info.isDirectory()) {
      throw new AppError(ErrorCodes.NOT_A_MODEL, `${relName}: is a folder, not an ONNX file. Point Preflight at the .onnx file itself or at the MLflow model folder that contains it.`);
    }
    fileSize = info.size;
    if (fileSize === 0) {
      throw invalid(relName, 'the file is empty (0 bytes)', 0, '');
    }
    const reader = new ProtoStreamReader(fh, fileSize, signal);
    collected = emptyCollected();
    try {
      await parseModel(reader, collected);
      options.onReadStats?.({ reads: reader.reads, bytesRead: reader.bytesRead, fileSize });
      if (!collected.hasGraph) throw new ProtoFormatError('it has no graph (ModelProto field 7)', fileSize);
      if (collected.irVersion === null) throw new ProtoFormatError('it has no ir_version (ModelProto field 1)', fileSize);
    } catch (e) {
      if (e instanceof ProtoFormatError) throw invalid(relName, e.what, e.offset, await sniff(fh, fileSize));
      throw e;
    }
  } catch (e) {
    throw mapError(e, relName, signal);
  } finally {
    await fh.close().catch(() => undefined);
  }

  const externalData = await describeExternalData(absPath, relName, collected.externalLocations);
  throwIfCancelled(signal, relName);
  return {
    file: relName,
    fileSize,
    irVersion: collected.irVersion,
    producerName: collected.producerName,
    producerVersion: collected.producerVersion,
    domain: collected.domain,
    modelVersion: collected.modelVersion,
    docString: collected.docString,
    graphName: collected.graphName,
    opsetImports: collected.opsetImports,
    metadataProps: collected.metadataProps,
    // Before IR 4, initializers had to be listed as graph inputs too; they are weights, not inputs.
    inputs: collected.inputs.filter((v) => !collected.initializerNames.has(v.name)),
    outputs: collected.outputs,
    nodeCount: collected.nodeCount,
    opTypes: [...collected.opTypes].sort(),
    initializerCount: collected.initializerCount,
    initializerBytes: collected.initializerBytes,
    externalData,
  };
}

function emptyCollected(): Collected {
  return {
    irVersion: null,
    producerName: null,
    producerVersion: null,
    domain: null,
    modelVersion: null,
    docString: null,
    graphName: null,
    hasGraph: false,
    opsetImports: [],
    metadataProps: [],
    inputs: [],
    outputs: [],
    nodeCount: 0,
    opTypes: new Set(),
    initializerNames: new Set(),
    initializerCount: 0,
    initializerBytes: 0,
    externalLocations: new Map(),
  };
}

// ---- file access and errors --------------------------------------------------------------------

async function openModelFile(absPath: string, relName: string): Promise<FileHandle> {
  try {
    return await open(absPath, 'r');
  } catch (e) {
    throw fsError(e, relName);
  }
}

function fsError(e: unknown, relName: string): AppError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new AppError(ErrorCodes.NOT_FOUND, `${relName}: file not found. Check the path, or that the model folder was copied completely.`, { cause: e });
  }
  if (code === 'EISDIR') {
    return new AppError(ErrorCodes.NOT_A_MODEL, `${relName}: is a folder, not an ONNX file. Point Preflight at the .onnx file itself or at the MLflow model folder that contains it.`, { cause: e });
  }
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
  return new AppError(ErrorCodes.UNREADABLE, `${relName}: cannot be read (${reason}). Check the file's permissions and that the disk is available.`, { cause: e });
}

function mapError(e: unknown, relName: string, signal: AbortSignal | undefined): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof ReadAbortedError || signal?.aborted) return cancelled(relName);
  if (typeof (e as NodeJS.ErrnoException)?.code === 'string') return fsError(e, relName);
  return new AppError(ErrorCodes.INTERNAL, `${relName}: inspection failed unexpectedly (${(e as Error)?.message ?? String(e)}).`, { cause: e });
}

function cancelled(relName: string): AppError {
  return new AppError(ErrorCodes.CANCELLED, `${relName}: ONNX inspection was cancelled.`);
}

function throwIfCancelled(signal: AbortSignal | undefined, relName: string): void {
  if (signal?.aborted) throw cancelled(relName);
}

function invalid(relName: string, what: string, offset: number, hint: string): AppError {
  const fix = hint || 'Check that the file is an ONNX model and was copied completely; if it was, re-export it (e.g. onnx.save_model) and try again.';
  return new AppError(ErrorCodes.INVALID_FILE, `${relName}: not a valid ONNX model — ${what}, at byte ${offset}. ${fix}`, {
    details: { file: relName, offset },
  });
}

/** Recognises common wrong files by their first bytes, so the fix can say what the file really is. */
async function sniff(fh: FileHandle, size: number): Promise<string> {
  const head = Buffer.alloc(Math.min(64, size));
  try {
    await fh.read(head, 0, head.length, 0);
  } catch {
    return '';
  }
  const text = head.toString('latin1');
  if (text.startsWith('version https://git-lfs')) {
    return 'It is a Git LFS pointer, not the model itself: run `git lfs pull` (or download the real file) and inspect again.';
  }
  if (head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) {
    return 'It looks like a Python pickle, not ONNX: export the model to ONNX (e.g. skl2onnx, torch.onnx.export) and log it with mlflow.onnx.';
  }
  if (text.startsWith('PK\u0003\u0004')) {
    return 'It is a zip archive (for example a PyTorch .pt file), not ONNX: export the model with torch.onnx.export.';
  }
  if (/^[\t\n\r\x20-\x7e]{16}/.test(text)) {
    return 'It looks like a text file, not a binary ONNX protobuf: make sure the right file is named model.onnx.';
  }
  return '';
}

// ---- external data -------------------------------------------------------------------------------

function escapesFolder(location: string): boolean {
  if (isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location) || location.startsWith('\\')) return true;
  return location.split(/[\\/]+/).includes('..');
}

async function describeExternalData(
  absPath: string,
  relName: string,
  locations: Map<string, string>,
): Promise<OnnxSummary['externalData']> {
  const folder = dirname(absPath);
  const out: OnnxSummary['externalData'] = [];
  for (const [location, initializer] of locations) {
    const outside = (): AppError =>
      new AppError(
        ErrorCodes.OUTSIDE_FOLDER,
        `${relName}: initializer '${initializer}' keeps its data in '${location}', which is outside the model's folder. ` +
          `Deployment only ships the folder, so the weights would be missing: re-save the model with ` +
          `onnx.save_model(model, path, save_as_external_data=True, location='<file name>') so the data sits beside ${relName}.`,
        { details: { file: relName, initializer, location } },
      );
    if (escapesFolder(location)) throw outside();
    const target = resolve(folder, location);
    try {
      const info = await stat(target);
      // A symlink inside the folder may still point elsewhere; compare real paths.
      const [realFolder, realTarget] = await Promise.all([realpath(folder), realpath(target)]);
      const rel = relative(realFolder, realTarget);
      if (rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) throw outside();
      out.push({ location, bytes: info.size, exists: true });
    } catch (e) {
      if (e instanceof AppError) throw e;
      out.push({ location, bytes: null, exists: false });
    }
  }
  return out;
}

// ---- protobuf parsing ----------------------------------------------------------------------------

type Tag = { field: number; wire: number; at: number };

async function nextTag(r: ProtoStreamReader, end: number): Promise<Tag> {
  if (!r.has(FIELD_HEADER_MAX)) await r.fill(FIELD_HEADER_MAX);
  return r.readTag(end);
}

function expectWire(t: Tag, wire: number, where: string): void {
  if (t.wire !== wire) {
    throw new ProtoFormatError(
      `${where} (field ${t.field}) has wire type ${WIRE_NAMES[t.wire] ?? t.wire}, expected ${WIRE_NAMES[wire]}`,
      t.at,
    );
  }
}

async function readString(r: ProtoStreamReader, end: number, t: Tag, where: string): Promise<string> {
  expectWire(t, Wire.LEN, where);
  const len = r.readLength(end);
  if (len > MAX_HEADER_STRING_BYTES) {
    throw new ProtoFormatError(`${where} claims to be a ${len}-byte string, more than the 16 MiB a header field may hold`, t.at);
  }
  return r.readUtf8(len);
}

function readVarintField(r: ProtoStreamReader, end: number, t: Tag, where: string): number {
  expectWire(t, Wire.VARINT, where);
  return r.readVarint(end);
}

/** Opens a length-delimited sub-message; returns its end offset. */
function openMessage(r: ProtoStreamReader, end: number, t: Tag, where: string): number {
  expectWire(t, Wire.LEN, where);
  const len = r.readLength(end);
  return r.pos + len;
}

async function parseModel(r: ProtoStreamReader, c: Collected): Promise<void> {
  const end = r.size;
  while (r.pos < end) {
    const t = await nextTag(r, end);
    switch (t.field) {
      case 1:
        c.irVersion = readVarintField(r, end, t, 'ModelProto.ir_version');
        break;
      case 2:
        c.producerName = await readString(r, end, t, 'ModelProto.producer_name');
        break;
      case 3:
        c.producerVersion = await readString(r, end, t, 'ModelProto.producer_version');
        break;
      case 4:
        c.domain = await readString(r, end, t, 'ModelProto.domain');
        break;
      case 5:
        c.modelVersion = readVarintField(r, end, t, 'ModelProto.model_version');
        break;
      case 6:
        c.docString = await readString(r, end, t, 'ModelProto.doc_string');
        break;
      case 7:
        c.hasGraph = true;
        await parseGraph(r, openMessage(r, end, t, 'ModelProto.graph'), c);
        break;
      case 8: {
        const subEnd = openMessage(r, end, t, `ModelProto.opset_import[${c.opsetImports.length}]`);
        c.opsetImports.push(await parseOpset(r, subEnd, `ModelProto.opset_import[${c.opsetImports.length}]`));
        break;
      }
      case 14: {
        const where = `ModelProto.metadata_props[${c.metadataProps.length}]`;
        c.metadataProps.push(await parseStringEntry(r, openMessage(r, end, t, where), where));
        break;
      }
      default:
        // functions (25), training_info (20), configuration (26) and future fields: seek past them.
        r.skip(t.wire, end, t.at);
    }
  }
}

async function parseOpset(r: ProtoStreamReader, end: number, where: string): Promise<{ domain: string; version: number }> {
  let domain = '';
  let version = 0;
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field === 1) domain = await readString(r, end, t, `${where}.domain`);
    else if (t.field === 2) version = readVarintField(r, end, t, `${where}.version`);
    else r.skip(t.wire, end, t.at);
  }
  // The empty domain *is* the default operator set (onnx.proto: "" or "ai.onnx").
  return { domain: domain === '' ? 'ai.onnx' : domain, version };
}

async function parseStringEntry(r: ProtoStreamReader, end: number, where: string): Promise<{ key: string; value: string }> {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field === 1) key = await readString(r, end, t, `${where}.key`);
    else if (t.field === 2) value = await readString(r, end, t, `${where}.value`);
    else r.skip(t.wire, end, t.at);
  }
  return { key, value };
}

async function parseGraph(r: ProtoStreamReader, end: number, c: Collected): Promise<void> {
  while (r.pos < end) {
    const t = await nextTag(r, end);
    switch (t.field) {
      case 1:
        await parseNode(r, openMessage(r, end, t, `GraphProto.node[${c.nodeCount}]`), c);
        break;
      case 2:
        c.graphName = await readString(r, end, t, 'GraphProto.name');
        break;
      case 5: {
        const where = `GraphProto.initializer[${c.initializerCount}]`;
        const tensor = await parseTensorHeader(r, openMessage(r, end, t, where), where);
        recordInitializer(c, tensor);
        break;
      }
      case 11: {
        const where = `GraphProto.input[${c.inputs.length}]`;
        c.inputs.push(await parseValueInfo(r, openMessage(r, end, t, where), where));
        break;
      }
      case 12: {
        const where = `GraphProto.output[${c.outputs.length}]`;
        c.outputs.push(await parseValueInfo(r, openMessage(r, end, t, where), where));
        break;
      }
      case 15: {
        const where = `GraphProto.sparse_initializer[${c.initializerCount}]`;
        const tensor = await parseSparseTensorHeader(r, openMessage(r, end, t, where), where);
        recordInitializer(c, tensor);
        break;
      }
      default:
        // doc_string (10), value_info (13), quantization_annotation (14), metadata_props (16): not summarised.
        r.skip(t.wire, end, t.at);
    }
  }
}

async function parseNode(r: ProtoStreamReader, end: number, c: Collected): Promise<void> {
  const where = `GraphProto.node[${c.nodeCount}]`;
  let opType = '';
  let domain = '';
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field === 4) opType = await readString(r, end, t, `${where}.op_type`);
    else if (t.field === 7) domain = await readString(r, end, t, `${where}.domain`);
    // Attributes (5) can hold whole tensors and subgraphs: skipped by seeking, never read.
    else r.skip(t.wire, end, t.at);
  }
  c.nodeCount += 1;
  c.opTypes.add(domain === '' || domain === 'ai.onnx' ? opType : `${domain}:${opType}`);
}

interface TensorHeader {
  name: string;
  /** Bytes of tensor data stored inside the file (payload fields, skipped). */
  bytes: number;
  externalLocation: string | null;
  external: boolean;
  /** Offset of the tensor message, for error messages. */
  at: number;
}

function recordInitializer(c: Collected, tensor: TensorHeader): void {
  c.initializerCount += 1;
  c.initializerBytes += tensor.bytes;
  c.initializerNames.add(tensor.name);
  if (tensor.external) {
    if (tensor.externalLocation === null) {
      throw new ProtoFormatError(`initializer '${tensor.name}' says its data is external but names no 'location'`, tensor.at);
    }
    if (!c.externalLocations.has(tensor.externalLocation)) c.externalLocations.set(tensor.externalLocation, tensor.name);
  }
}

/** TensorProto payload fields: raw_data 9, float_data 4, int32_data 5, string_data 6, int64_data 7, double_data 10, uint64_data 11. */
const TENSOR_DATA_FIELDS = new Set([4, 5, 6, 7, 9, 10, 11]);

async function parseTensorHeader(r: ProtoStreamReader, end: number, where: string): Promise<TensorHeader> {
  const header: TensorHeader = { name: '', bytes: 0, externalLocation: null, external: false, at: r.pos };
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (TENSOR_DATA_FIELDS.has(t.field)) {
      // The whole point: the payload is skipped by moving the offset, never read into memory.
      header.bytes += r.skip(t.wire, end, t.at);
      continue;
    }
    switch (t.field) {
      case 8:
        header.name = await readString(r, end, t, `${where}.name`);
        break;
      case 14:
        header.external = readVarintField(r, end, t, `${where}.data_location`) === 1;
        break;
      case 13: {
        const entry = await parseStringEntry(r, openMessage(r, end, t, `${where}.external_data`), `${where}.external_data`);
        if (entry.key === 'location') header.externalLocation = entry.value;
        break;
      }
      default:
        // dims (1), data_type (2), segment (3), doc_string (12), metadata_props (16): not needed for the summary.
        r.skip(t.wire, end, t.at);
    }
  }
  return header;
}

async function parseSparseTensorHeader(r: ProtoStreamReader, end: number, where: string): Promise<TensorHeader> {
  const header: TensorHeader = { name: '', bytes: 0, externalLocation: null, external: false, at: r.pos };
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field === 1 || t.field === 2) {
      const part = await parseTensorHeader(r, openMessage(r, end, t, `${where}.${t.field === 1 ? 'values' : 'indices'}`), where);
      header.bytes += part.bytes;
      // The sparse initializer's name is its values tensor's name (onnx.proto SparseTensorProto).
      if (t.field === 1) header.name = part.name;
      if (part.external) {
        header.external = true;
        header.externalLocation ??= part.externalLocation;
      }
    } else r.skip(t.wire, end, t.at);
  }
  return header;
}

async function parseValueInfo(r: ProtoStreamReader, end: number, where: string): Promise<OnnxValueInfo> {
  let name = '';
  let type: OnnxType = { kind: 'unknown' };
  let docString: string | null = null;
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field === 1) name = await readString(r, end, t, `${where}.name`);
    else if (t.field === 2) type = await parseType(r, openMessage(r, end, t, `${where}.type`), `${where}.type`, 0);
    else if (t.field === 3) docString = await readString(r, end, t, `${where}.doc_string`);
    else r.skip(t.wire, end, t.at);
  }
  return { name, type, display: displayOnnxType(type), docString };
}

async function parseType(r: ProtoStreamReader, end: number, where: string, depth: number): Promise<OnnxType> {
  if (depth > MAX_TYPE_DEPTH) throw new ProtoFormatError(`${where} nests types more than ${MAX_TYPE_DEPTH} levels deep`, r.pos);
  let type: OnnxType = { kind: 'unknown' };
  while (r.pos < end) {
    const t = await nextTag(r, end);
    switch (t.field) {
      case 1:
      case 8: {
        const kind = t.field === 1 ? 'tensor' : 'sparse_tensor';
        const sub = `${where}.${kind}_type`;
        type = { kind, ...(await parseTensorType(r, openMessage(r, end, t, sub), sub)) };
        break;
      }
      case 4: {
        const sub = `${where}.sequence_type`;
        type = { kind: 'sequence', elem: await parseElemWrapper(r, openMessage(r, end, t, sub), sub, depth) };
        break;
      }
      case 9: {
        const sub = `${where}.optional_type`;
        type = { kind: 'optional', elem: await parseElemWrapper(r, openMessage(r, end, t, sub), sub, depth) };
        break;
      }
      case 5: {
        const sub = `${where}.map_type`;
        type = await parseMapType(r, openMessage(r, end, t, sub), sub, depth);
        break;
      }
      default:
        // denotation (6), opaque_type (7): not part of the summary.
        r.skip(t.wire, end, t.at);
    }
  }
  return type;
}

async function parseTensorType(
  r: ProtoStreamReader,
  end: number,
  where: string,
): Promise<{ elemType: string; shape: (number | string | null)[] | null }> {
  let elemType = elemTypeName(0);
  let shape: (number | string | null)[] | null = null;
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field === 1) elemType = elemTypeName(readVarintField(r, end, t, `${where}.elem_type`));
    else if (t.field === 2) shape = await parseShape(r, openMessage(r, end, t, `${where}.shape`), `${where}.shape`);
    else r.skip(t.wire, end, t.at);
  }
  return { elemType, shape };
}

async function parseShape(r: ProtoStreamReader, end: number, where: string): Promise<(number | string | null)[]> {
  const dims: (number | string | null)[] = [];
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field !== 1) {
      r.skip(t.wire, end, t.at);
      continue;
    }
    const dimWhere = `${where}.dim[${dims.length}]`;
    const dimEnd = openMessage(r, end, t, dimWhere);
    let dim: number | string | null = null;
    while (r.pos < dimEnd) {
      const d = await nextTag(r, dimEnd);
      if (d.field === 1) dim = readVarintField(r, dimEnd, d, `${dimWhere}.dim_value`);
      else if (d.field === 2) {
        const param = await readString(r, dimEnd, d, `${dimWhere}.dim_param`);
        // An empty dim_param carries no name: it is as anonymous as a missing one.
        dim = param === '' ? null : param;
      } else r.skip(d.wire, dimEnd, d.at);
    }
    dims.push(dim);
  }
  return dims;
}

/** TypeProto.Sequence and TypeProto.Optional: a single `elem_type` (field 1). */
async function parseElemWrapper(r: ProtoStreamReader, end: number, where: string, depth: number): Promise<OnnxType | null> {
  let elem: OnnxType | null = null;
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field === 1) elem = await parseType(r, openMessage(r, end, t, `${where}.elem_type`), `${where}.elem_type`, depth + 1);
    else r.skip(t.wire, end, t.at);
  }
  return elem;
}

async function parseMapType(r: ProtoStreamReader, end: number, where: string, depth: number): Promise<OnnxType> {
  let keyType = elemTypeName(0);
  let value: OnnxType | null = null;
  while (r.pos < end) {
    const t = await nextTag(r, end);
    if (t.field === 1) keyType = elemTypeName(readVarintField(r, end, t, `${where}.key_type`));
    else if (t.field === 2) value = await parseType(r, openMessage(r, end, t, `${where}.value_type`), `${where}.value_type`, depth + 1);
    else r.skip(t.wire, end, t.at);
  }
  return { kind: 'map', keyType, value };
}
