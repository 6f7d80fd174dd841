/**
 * The Python worker's wire (protocol 2): length-prefixed frames both ways instead of JSON lines, so that
 * what JSON only slows down travels as bytes beside a small JSON header —
 *
 *     "PFW2" | u32 BE header length | u32 BE blob length | header (UTF-8 JSON) | blob
 *
 * Requests put float64 input columns in the blob as raw little-endian doubles (wire-input.ts `{"$f64":
 * offset}`); responses put the answer bodies Python wrote there as UTF-8 text (`{"$text": k}`, with the
 * header's `texts` listing their byte lengths). Issue 11: the JSON-lines wire cost more than the model at
 * 1 000 rows — every number formatted and parsed twice, every body escaped and unescaped.
 */

import type { StdioCodec } from '../../child/worker-process';

export const FRAME_MAGIC = Buffer.from('PFW2', 'latin1');
const PREFIX = 12;

/**
 * A header value already serialized elsewhere (UTF-8 JSON): the request preparation worker encodes a large
 * input off the app's main thread (runner/prepare/), and the frame takes its bytes as they are.
 */
export class RawJson {
  constructor(readonly utf8: Uint8Array) {}
}

/**
 * The header's JSON: `JSON.stringify(header)`, with a top-level `RawJson` value written as its bytes in its
 * key's place (the same bytes as if the value had been stringified here).
 */
function headerJson(header: unknown): Buffer {
  if (header === null || typeof header !== 'object' || !Object.values(header).some((v) => v instanceof RawJson)) return Buffer.from(JSON.stringify(header), 'utf8');
  const parts: Uint8Array[] = [];
  let first = true;
  for (const [k, v] of Object.entries(header)) {
    const text = v instanceof RawJson ? null : (JSON.stringify(v) as string | undefined);
    if (text === undefined) continue; // JSON.stringify leaves out undefined and functions
    parts.push(Buffer.from(`${first ? '{' : ','}${JSON.stringify(k)}:${text ?? ''}`, 'utf8'));
    if (v instanceof RawJson) parts.push(v.utf8);
    first = false;
  }
  parts.push(Buffer.from(first ? '{}' : '}', 'utf8'));
  return Buffer.concat(parts);
}

/** One frame: `header` serialized as JSON, `blob` appended as is. */
export function encodeFrame(header: unknown, blob?: Uint8Array | null): Buffer {
  const json = headerJson(header);
  const blobLength = blob?.byteLength ?? 0;
  const out = Buffer.allocUnsafe(PREFIX + json.length + blobLength);
  FRAME_MAGIC.copy(out, 0);
  out.writeUInt32BE(json.length, 4);
  out.writeUInt32BE(blobLength, 8);
  json.copy(out, PREFIX);
  if (blob && blobLength > 0) out.set(blob, PREFIX + json.length);
  return out;
}

export interface Frame {
  header: unknown;
  blob: Buffer;
}

/**
 * Reassembles frames from stdout chunks. Chunks are kept as they come and joined once per frame, so a
 * 10 000-row answer arriving in many chunks is copied once, not once per chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Total length of the frame being read, once its prefix has arrived. */
  private need = -1;
  /** After bytes that are not a frame nothing more is read: the owner ends the process (a new one gets a new reader). */
  broken = false;

  constructor(
    private readonly onFrame: (frame: Frame) => void,
    /** Bytes that are not a frame: the stream cannot be trusted after them. */
    private readonly onGarbage: (sample: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.need < 0) {
        if (this.buffered < PREFIX) return;
        const head = this.peek(PREFIX);
        if (!head.subarray(0, 4).equals(FRAME_MAGIC)) {
          const sample = this.take(this.buffered).toString('utf8', 0, 200);
          this.broken = true;
          this.onGarbage(sample);
          return;
        }
        this.need = PREFIX + head.readUInt32BE(4) + head.readUInt32BE(8);
      }
      if (this.buffered < this.need) return;
      const frame = this.take(this.need);
      this.need = -1;
      const headerEnd = PREFIX + frame.readUInt32BE(4);
      let header: unknown;
      try {
        header = JSON.parse(frame.toString('utf8', PREFIX, headerEnd));
      } catch {
        this.broken = true;
        this.onGarbage(frame.toString('utf8', PREFIX, Math.min(headerEnd, PREFIX + 200)));
        return;
      }
      this.onFrame({ header, blob: frame.subarray(headerEnd) });
    }
  }

  /** The first `n` buffered bytes without consuming them. */
  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  /** Consumes the first `n` buffered bytes. */
  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.buffered -= n;
    return all.subarray(0, n);
  }
}

/**
 * A response's result with its blob references put back (one or two levels down, where the worker puts
 * them): `{"$text": k}` → the blob's k-th text (`lengths`: the header's `texts`), `{"$f64": offset}` → the
 * doubles from that byte offset to the end of the blob, as a Float64Array of their own.
 */
export function attachBlob(result: unknown, lengths: unknown, blob: Buffer): unknown {
  if (blob.length === 0) return result;
  const texts: string[] = [];
  let at = 0;
  for (const n of Array.isArray(lengths) ? (lengths as number[]) : []) {
    texts.push(blob.toString('utf8', at, at + n));
    at += n;
  }
  const resolve = (v: unknown, depth: number): unknown => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const ref = (v as { $text?: unknown }).$text;
    if (typeof ref === 'number') return texts[ref];
    const f64 = (v as { $f64?: unknown }).$f64;
    if (typeof f64 === 'number') return doublesFrom(blob, f64);
    if (depth === 0) return v;
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = resolve(o[k], depth - 1);
    return o;
  };
  return resolve(result, 2);
}

/** Float64Array's byte order is the platform's; the wire's doubles are little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** The little-endian doubles of `blob` from byte `offset` on (copied: a Float64Array needs 8-byte alignment). */
function doublesFrom(blob: Buffer, offset: number): Float64Array {
  const n = Math.floor((blob.length - offset) / 8);
  const out = new Float64Array(n);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(blob.subarray(offset, offset + n * 8));
  else for (let i = 0; i < n; i++) out[i] = blob.readDoubleLE(offset + i * 8);
  return out;
}

/**
 * The Python worker's codec for `startStdioWorker`: a request's `blob` goes after its JSON header; an
 * answer's texts are put back where its header points. `onGarbage`: stdout bytes that are not a frame.
 */
export function frameCodec(onGarbage: (sample: string) => void): StdioCodec {
  return {
    encode(message) {
      const { blob, ...header } = message as { blob?: Uint8Array | null };
      return encodeFrame(header, blob);
    },
    decoder(onMessage) {
      return new FrameReader((frame) => {
        const msg = frame.header as { ok?: unknown; result?: unknown; texts?: unknown };
        onMessage(msg.ok === true ? { ...msg, result: attachBlob(msg.result, msg.texts, frame.blob) } : msg);
      }, onGarbage);
    },
  };
}
