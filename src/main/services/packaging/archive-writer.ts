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
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';
import { syncDir } from '../store/atomic-file';

export type ArchiveFormat = 'tar.gz' | 'zip';

export interface WrittenEntry {
  path: string;
  size: number;
  sha256: string;
}

/** Fixed timestamp for generated entries: the same inputs give the same archive bytes. */
const EPOCH = new Date('2020-01-01T00:00:00Z');

function hashingTap(onChunk: (n: number) => void): { tap: Transform; digest: () => { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      onChunk(chunk.length);
      cb(null, chunk);
    },
  });
  return { tap, digest: () => ({ sha256: hash.digest('hex'), size }) };
}

export class ArchiveWriter {
  readonly tempPath: string;
  private readonly file: WriteStream;
  private readonly done: Promise<void>;
  private readonly pack: tar.Pack | null = null;
  private readonly zip: yazl.ZipFile | null = null;
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
    if (format === 'tar.gz') {
      this.pack = tar.pack();
      this.done = pipeline(this.pack as unknown as Readable, createGzip({ level: 6 }), this.file, { signal });
    } else {
      this.zip = new yazl.ZipFile();
      this.done = pipeline(this.zip.outputStream as Readable, this.file, { signal });
    }
    this.done.catch((err: Error) => {
      this.failed ??= err;
    });
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
      await new Promise<void>((resolve, reject) => {
        const entry = this.pack!.entry({ name: path, size, mode, mtime: EPOCH, type: 'file' }, (err) => (err ? reject(err) : resolve()));
        pipeline(input, tap, entry as unknown as NodeJS.WritableStream).catch(reject);
      });
    } else {
      const through = new PassThrough();
      this.zip!.addReadStream(through, path, { mtime: EPOCH, mode: 0o100000 | mode, size, compress: !/\.(whl|zip|gz|onnx|pt|pkl)$/.test(path) });
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
    (this.zip?.outputStream as Readable | undefined)?.destroy(err);
    this.file.destroy();
    await this.done.catch(() => {});
    await rm(this.tempPath, { force: true });
  }
}
