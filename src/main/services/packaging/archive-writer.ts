/**
 * Writes the package archive as a stream — `.tar.gz` through tar-stream + zlib, `.zip` through yazl (zip64
 * for large files) — into a sibling temp file that is renamed over the target only when complete and
 * fsynced. Each file is read once: its SHA-256 is computed while its bytes go into the archive. Cancelling
 * (AbortSignal) or any error destroys the streams and removes the temp file, so no partial archive remains.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, deflateRawSync, type Gzip } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';
import type { ManifestFile } from '@shared/packaging/package-report';
import { syncDir } from '../store/atomic-file';
import { hashingTap } from './hash-file';

export type ArchiveFormat = 'tar.gz' | 'zip';



const GZIP_LEVEL = 6;
const SAMPLE_BYTES = 64 * 1024;

/**
 * Whether a file is not worth compressing (weights, wheels, archives): its first 64 KiB barely shrink at
 * deflate level 1. Such entries are stored (deflate level 0) instead of burning CPU for < 5 % — the
 * difference between packaging 2 GiB of weights at disk speed or at deflate speed.
 */
async function incompressible(source: string, size: number): Promise<boolean> {
  if (size < 1024 * 1024) return false;
  const handle = await open(source, 'r');
  try {
    const sample = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(sample, 0, SAMPLE_BYTES, 0);
    return deflateRawSync(sample.subarray(0, bytesRead), { level: 1 }).length > bytesRead * 0.95;
  } finally {
    await handle.close();
  }
}

/** An entry as written into the archive: the manifest's own file record. */
export type WrittenEntry = ManifestFile;

/** Fixed timestamp for generated entries: the same inputs give the same archive bytes. */
const EPOCH = new Date('2020-01-01T00:00:00Z');

/** Resolves on 'drain', rejects if the stream closes first; removes both listeners either way. */
function drained(stream: Gzip): Promise<void> {
  return new Promise<void>((res, rej) => {
    const onDrain = (): void => {
      stream.off('close', onClose);
      res();
    };
    const onClose = (): void => {
      stream.off('drain', onDrain);
      rej(new Error('the archive stream was closed'));
    };
    stream.once('drain', onDrain);
    stream.once('close', onClose);
  });
}

export class ArchiveWriter {
  readonly tempPath: string;
  private readonly file: WriteStream;
  private readonly done: Promise<void>;
  private readonly pack: tar.Pack | null = null;
  private readonly zip: yazl.ZipFile | null = null;
  /** The gzip member being written, and the deflate level the next tar bytes should get. */
  private member: Gzip | null = null;
  private wantLevel = GZIP_LEVEL;
  private failed: Error | null = null;
  readonly entries: WrittenEntry[] = [];

  constructor(
    readonly out: string,
    readonly format: ArchiveFormat,
    private readonly signal: AbortSignal | undefined,
    private readonly onBytes: (n: number, path: string) => void = () => {},
  ) {
    this.tempPath = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(6).toString('hex')}.partial`);
    this.file = createWriteStream(this.tempPath, { flags: 'wx', mode: 0o644 });
    // Always observed: a write error (disk full) fails the next add/commit instead of crashing the process.
    this.file.on('error', (err) => {
      this.failed ??= err;
      // Unblock whatever waits on the archive stream (the pump, an entry being added): they fail instead of hanging.
      this.member?.destroy();
      (this.pack as unknown as { destroy(e?: Error): void } | null)?.destroy(err);
    });
    if (format === 'tar.gz') {
      this.pack = tar.pack();
      this.done = this.pump(this.pack as unknown as Readable);
    } else {
      this.zip = new yazl.ZipFile();
      this.done = pipeline(this.zip.outputStream as Readable, this.file, { signal });
    }
    this.done.catch((err: Error) => {
      this.failed ??= err;
    });
  }

  /**
   * Moves the tar stream into the file as a series of gzip members (RFC 1952 §2.2: a gzip file is a series
   * of members; gzip, GNU tar, Python and Node read them as one stream). A new member starts whenever the
   * wanted level changes: level 0 (stored) for incompressible entries, which then cost disk speed instead
   * of deflate speed, level 6 for the rest. zlib's own `params` is not used because switching an open
   * stream to level 0 does not make it fast. A switch may land a few KiB before or after an entry boundary;
   * that only moves where compression starts, never what the archive contains.
   */
  private async pump(source: Readable): Promise<void> {
    let level = -1;
    let finished: Promise<void> = Promise.resolve();
    const endMember = async (): Promise<void> => {
      this.member?.end();
      await finished;
      this.member = null;
    };
    const startMember = (): Gzip => {
      level = this.wantLevel;
      const member = createGzip({ level, chunkSize: 256 * 1024 });
      this.member = member;
      finished = new Promise<void>((res, rej) => {
        member.once('end', () => res());
        member.once('error', rej);
        member.once('close', () => (member.readableEnded ? res() : rej(new Error('the archive stream was closed'))));
      });
      finished.catch(() => {}); // observed by endMember; a cancel must not surface as an unhandled rejection
      member.pipe(this.file, { end: false });
      return member;
    };
    try {
      for await (const chunk of source) {
        this.signal?.throwIfAborted();
        if (this.member === null || this.wantLevel !== level) {
          await endMember();
          startMember();
        }
        const member = this.member!;
        if (!member.write(chunk as Buffer)) await drained(member);
      }
      if (this.member === null) startMember(); // an empty archive is still gzip
      await endMember();
      await new Promise<void>((res, rej) => {
        this.file.once('error', rej);
        this.file.end(() => res());
      });
    } catch (err) {
      this.member?.destroy();
      this.file.destroy();
      throw err;
    }
  }

  private check(): void {
    this.signal?.throwIfAborted();
    if (this.failed) throw this.failed;
  }

  /** Streams a file from disk into the archive at `path`, hashing it on the way. `size` is what lstat said. */
  async addFile(path: string, source: string, size: number, mode = 0o644): Promise<WrittenEntry> {
    this.check();
    const { tap, digest } = hashingTap((n) => this.onBytes(n, path));
    const input = createReadStream(source, { highWaterMark: 1024 * 1024, signal: this.signal });
    if (this.pack) {
      this.wantLevel = (await incompressible(source, size)) ? 0 : GZIP_LEVEL;
      await new Promise<void>((resolve, reject) => {
        const entry = this.pack!.entry({ name: path, size, mode, mtime: EPOCH, type: 'file' }, (err) => (err ? reject(err) : resolve()));
        pipeline(input, tap, entry as unknown as NodeJS.WritableStream).catch(reject);
      });
    } else {
      const through = new PassThrough();
      this.zip!.addReadStream(through, path, { mtime: EPOCH, mode: 0o100000 | mode, size, compress: !(await incompressible(source, size)) && !/\.(whl|zip|gz)$/.test(path) });
      await pipeline(input, tap, through);
    }
    const d = digest();
    if (d.size !== size) throw new Error(`${source} changed while it was being packaged (${size} bytes expected, ${d.size} read).`);
    const written = { path, ...d };
    this.entries.push(written);
    return written;
  }

  /** Adds generated text (YAML, README, lock). */
  async addText(path: string, text: string): Promise<WrittenEntry> {
    this.check();
    const data = Buffer.from(text, 'utf8');
    if (this.pack) {
      this.wantLevel = GZIP_LEVEL;
      await new Promise<void>((resolve, reject) => this.pack!.entry({ name: path, size: data.length, mode: 0o644, mtime: EPOCH }, data, (err) => (err ? reject(err) : resolve())));
    } else {
      this.zip!.addBuffer(data, path, { mtime: EPOCH, mode: 0o100644 });
    }
    this.onBytes(data.length, path);
    const written = { path, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    this.entries.push(written);
    return written;
  }

  /** Ends the archive, fsyncs it and renames it over `out`. */
  async commit(): Promise<number> {
    this.check();
    if (this.pack) this.pack.finalize();
    else this.zip!.end();
    await this.done;
    const handle = await open(this.tempPath, 'r+');
    let size: number;
    try {
      await handle.sync();
      size = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
    this.signal?.throwIfAborted();
    await rename(this.tempPath, this.out);
    await syncDir(dirname(this.out));
    return size;
  }

  /** Stops writing and removes the temp file (idempotent). */
  async abort(): Promise<void> {
    const err = new Error('aborted');
    if (this.pack) (this.pack as unknown as { destroy(e?: Error): void }).destroy(err);
    this.member?.destroy(err);
    (this.zip?.outputStream as Readable | undefined)?.destroy(err);
    this.file.destroy();
    await this.done.catch(() => {});
    await rm(this.tempPath, { force: true });
  }
}
