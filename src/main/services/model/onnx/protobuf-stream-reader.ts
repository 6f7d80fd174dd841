import type { FileHandle } from 'node:fs/promises';

/** Protobuf wire types (protobuf.dev/programming-guides/encoding). 3/4 are deprecated groups. */
export const Wire = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

export const WIRE_NAMES: Readonly<Record<number, string>> = {
  0: 'varint',
  1: 'fixed64',
  2: 'length-delimited',
  3: 'start-group',
  4: 'end-group',
  5: 'fixed32',
};

/** Malformed bytes at a known offset; the inspector turns it into an AppError that names the file. */
export class ProtoFormatError extends Error {
  constructor(
    readonly what: string,
    readonly offset: number,
  ) {
    super(`${what}, at byte ${offset}`);
    this.name = 'ProtoFormatError';
  }
}

/** Thrown from `fill()` when the caller's AbortSignal fires. */
export class ReadAbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'ReadAbortedError';
  }
}

export const DEFAULT_CHUNK_BYTES = 64 * 1024;
/** First read after a seek: a tensor header or a value info fits easily; sequential reads then double up to the chunk size. */
const MIN_READ_BYTES = 4 * 1024;
/** Enough for a tag varint plus a length or value varint (10 bytes each at most). */
export const FIELD_HEADER_MAX = 20;

/**
 * A forward-only protobuf reader over a file: it keeps one bounded window of the file in memory and
 * refills it with positioned reads, so skipping a field costs nothing but moving `pos`. That is what
 * makes inspecting a 10 GB model as cheap as a 10 kB one: initializer payloads are never read.
 *
 * Reads inside the window are synchronous; callers `await fill(n)` when `has(n)` is false (typically
 * before each field header and before a string), which keeps the hot loop free of promise overhead.
 */
export class ProtoStreamReader {
  pos = 0;
  private window: Buffer;
  private windowStart = 0;
  private windowLen = 0;
  private readonly chunk: Buffer;
  private nextRead = MIN_READ_BYTES;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly signal?: AbortSignal,
    chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.window = this.chunk;
  }

  /** Number of positioned reads done so far (the benchmark and tests use it to prove skipping). */
  reads = 0;
  /** Total bytes fetched from disk. */
  bytesRead = 0;

  /** True when the window holds `n` bytes from `pos` (or everything up to EOF). */
  has(n: number): boolean {
    const want = Math.min(n, this.size - this.pos);
    return this.pos >= this.windowStart && this.pos + want <= this.windowStart + this.windowLen;
  }

  /** Makes the window start at `pos` and hold at least `n` bytes (or up to EOF). */
  async fill(n: number): Promise<void> {
    if (this.signal?.aborted) throw new ReadAbortedError();
    // Reading on from where the window ends means a dense stretch (nodes, value infos): grow the
    // reads. Landing past it means we just skipped a payload: start small again, since what follows
    // is usually one short tensor header before the next skip.
    const windowEnd = this.windowStart + this.windowLen;
    if (this.pos === windowEnd && this.windowLen > 0) this.nextRead = Math.min(this.nextRead * 2, this.chunk.length);
    else if (this.pos > windowEnd) this.nextRead = MIN_READ_BYTES;
    const want = Math.min(Math.max(n, this.nextRead), this.size - this.pos);
    // Large reads (a long doc_string) get their own buffer; `n` is capped by the caller.
    const target = want <= this.chunk.length ? this.chunk : Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.fh.read(target, got, want - got, this.pos + got);
      if (bytesRead === 0) break; // file shrank under us; the parse fails below as truncated
      got += bytesRead;
    }
    this.reads += 1;
    this.bytesRead += got;
    this.window = target;
    this.windowStart = this.pos;
    this.windowLen = got;
  }

  private byteAt(offset: number): number {
    const i = offset - this.windowStart;
    if (i < 0 || i >= this.windowLen) {
      if (offset >= this.size) throw new ProtoFormatError('the file ends in the middle of a value (truncated)', offset);
      throw new Error(`internal: protobuf window not filled at ${offset}`);
    }
    return this.window[i];
  }

  /**
   * Reads a varint as a JS number. int64 values are two's complement over 10 bytes, so negative
   * values come back negative; magnitudes above 2^53 lose precision, which is harmless for the
   * header fields read here (dims, versions, enums).
   */
  readVarint(limit: number): number {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= limit) {
        if (limit >= this.size) throw new ProtoFormatError('the file ends in the middle of a varint (truncated)', start);
        throw new ProtoFormatError('a varint runs past the end of its enclosing message', start);
      }
      const b = this.byteAt(this.pos++);
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if ((b & 0x80) === 0) {
        lo >>>= 0;
        if (hi & 0x80000000) return -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1);
        return (hi >>> 0) * 4294967296 + lo;
      }
    }
    throw new ProtoFormatError('a varint is longer than 10 bytes', start);
  }

  readTag(limit: number): { field: number; wire: number; at: number } {
    const at = this.pos;
    const tag = this.readVarint(limit);
    if (tag < 0 || tag > 0xffffffff) throw new ProtoFormatError(`field tag ${tag} is out of range`, at);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw new ProtoFormatError('field number 0 is not allowed', at);
    if (wire > 5) throw new ProtoFormatError(`wire type ${wire} does not exist`, at);
    return { field, wire, at };
  }

  /** Reads a length prefix and checks that the payload fits in the enclosing message and the file. */
  readLength(limit: number): number {
    const at = this.pos;
    const len = this.readVarint(limit);
    if (len < 0) throw new ProtoFormatError(`negative length ${len}`, at);
    if (this.pos + len > this.size) {
      throw new ProtoFormatError(
        `a field of ${len} bytes runs past the end of the file (${this.size - this.pos} bytes left; the file is truncated)`,
        at,
      );
    }
    if (this.pos + len > limit) {
      throw new ProtoFormatError(`a field of ${len} bytes runs past the end of its enclosing message`, at);
    }
    return len;
  }

  /** Advances past a field's payload without reading it; returns how many payload bytes were skipped. */
  skip(wire: number, limit: number, at: number): number {
    switch (wire) {
      case Wire.VARINT: {
        const before = this.pos;
        this.readVarint(limit);
        return this.pos - before;
      }
      case Wire.I64:
        return this.advance(8, limit, at);
      case Wire.I32:
        return this.advance(4, limit, at);
      case Wire.LEN: {
        const len = this.readLength(limit);
        this.pos += len;
        return len;
      }
      default:
        // ONNX never uses groups; a group tag in an ONNX file means the bytes are not ONNX.
        throw new ProtoFormatError(`unexpected ${WIRE_NAMES[wire] ?? `wire type ${wire}`} field`, at);
    }
  }

  private advance(n: number, limit: number, at: number): number {
    if (this.pos + n > this.size) throw new ProtoFormatError('the file ends in the middle of a value (truncated)', at);
    if (this.pos + n > limit) throw new ProtoFormatError('a value runs past the end of its enclosing message', at);
    this.pos += n;
    return n;
  }

  /** Decodes `len` bytes at `pos` as UTF-8 (after `readLength`). `len` must already be capped. */
  async readUtf8(len: number): Promise<string> {
    if (!this.has(len)) await this.fill(len);
    const i = this.pos - this.windowStart;
    this.pos += len;
    return this.window.toString('utf8', i, i + len);
  }
}
