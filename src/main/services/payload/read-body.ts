import { constants, openSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import { decodeBodyBytes } from '@shared/text/body-bytes';
import { describeFsError } from '../model/safe-fs';
import { MAX_BODY_CHARS } from './payload-service';

/**
 * Reads a request body for `preflight validate` / `convert`: a file, or `-` for stdin. Bodies are
 * decoded as UTF-8 *without* stripping a BOM or fixing bad bytes — the servers do not either
 * (payloads.md §10: a BOM is a 400 on MLflow), so the emulation must see the bytes as sent.
 * Capped at MAX_BODY_CHARS bytes so a wrong file (a model, a dataset) fails fast instead of filling memory.
 */

const MB = 1024 * 1024;

/**
 * Bytes that are not UTF-8 are kept as lone surrogates (surrogateescape, src/shared/text/body-bytes.ts), not an
 * error: MLflow answers them with its HTML 500, Azure's emulation reads them as U+FFFD.
 */
const decode = (buffer: Buffer): string => decodeBodyBytes(buffer);

/**
 * `work`, or E_CANCELLED as soon as `signal` aborts. Opening and reading a FIFO (a named pipe given as the body
 * file) wait in libuv's thread pool for a writer or for bytes, which no signal interrupts: without this, Ctrl+C was
 * ignored until a second one forced the exit.
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, abs: string): Promise<T> {
  if (!signal) return work;
  const cancelled = (): AppError => new AppError(ErrorCodes.CANCELLED, `Cancelled while reading the request body from ${abs}.`);
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((res, rej) => {
    const onAbort = (): void => rej(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        res(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        rej(e);
      },
    );
  });
}

/**
 * A FIFO (a named pipe, or `<(command)` in a shell) is read as a stream on the event loop: through the thread pool,
 * a read waiting for bytes that never come cannot be abandoned — Node joins that thread at exit, so even after
 * "cancelled" the process hung. Opened non-blocking, it waits for a writer without holding a thread.
 */
async function readFifo(abs: string, signal: AbortSignal | undefined): Promise<{ body: string; source: string }> {
  // A plain descriptor, not a FileHandle: the socket closes it, and a FileHandle would close it again when collected.
  // Non-blocking, the open returns at once even before a writer comes.
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  const socket = new Socket({ fd, readable: true, writable: false });
  try {
    const { body } = await unlessAborted(readBodyStream(socket, signal), signal, abs);
    return { body, source: abs };
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCodes.INVALID_INPUT) {
      throw new AppError(ErrorCodes.INVALID_INPUT, `Request body file ${abs} is larger than ${MAX_BODY_CHARS / MB} MB; Preflight emulates bodies up to that size.`);
    }
    throw err;
  } finally {
    // The socket owns the descriptor now: destroying it closes it.
    socket.destroy();
  }
}

/**
 * A terminal (/dev/tty, /dev/pts/N, /dev/stdin on a terminal), another device or a socket is refused before it is
 * opened: a read of a terminal nobody types into waits in libuv's thread pool, where Ctrl+C cannot reach it and the
 * process cannot exit (it hung after "cancelled"); a disk or /dev/zero never ends. `-` reads stdin as a stream.
 */
function notAFile(abs: string, info: Stats): AppError {
  const what = info.isCharacterDevice() ? 'a character device (a terminal or /dev/…)' : info.isBlockDevice() ? 'a block device (a disk)' : 'a socket';
  return new AppError(
    ErrorCodes.INVALID_INPUT,
    `Request body file ${abs} is ${what}, not a file. Give the path of a JSON (or CSV) body file, or - to read the body from stdin (a pipe or a redirected file).`,
  );
}

export async function readBodyFile(path: string, cwd: string, signal?: AbortSignal): Promise<{ body: string; source: string }> {
  const abs = resolve(cwd, path);
  const info = await stat(abs).catch(() => null);
  if (info?.isFIFO()) return readFifo(abs, signal);
  if (info && (info.isCharacterDevice() || info.isBlockDevice() || info.isSocket())) throw notAFile(abs, info);
  let handle;
  try {
    handle = await unlessAborted(open(abs, 'r'), signal, abs);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError(ErrorCodes.NOT_FOUND, `Request body file not found: ${abs}. Give the path of a JSON (or CSV) file, or - to read the body from stdin.`);
    }
    throw new AppError(ErrorCodes.UNREADABLE, `Request body file ${abs} could not be opened: ${describeFsError(err)}.`, { cause: err });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new AppError(ErrorCodes.UNREADABLE, `${abs} is a folder; give the request body file (JSON or CSV), or - for stdin.`);
    if (info.isFile() && info.size > MAX_BODY_CHARS) {
      throw new AppError(
        ErrorCodes.INVALID_INPUT,
        `Request body file ${abs} is ${(info.size / MB).toFixed(1)} MB; Preflight emulates bodies up to ${MAX_BODY_CHARS / MB} MB. Send a smaller sample of the rows.`,
      );
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(1024 * 1024);
    for (;;) {
      const { bytesRead } = await unlessAborted(handle.read(buf, 0, buf.length, null), signal, abs);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_BODY_CHARS) {
        throw new AppError(ErrorCodes.INVALID_INPUT, `Request body file ${abs} is larger than ${MAX_BODY_CHARS / MB} MB; Preflight emulates bodies up to that size.`);
      }
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
    }
    return { body: decode(Buffer.concat(chunks)), source: abs };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(ErrorCodes.UNREADABLE, `Request body file ${abs} could not be read: ${describeFsError(err)}.`, { cause: err });
  } finally {
    // After a cancel the read may still be pending in the thread pool; closing then would wait for it.
    if (signal?.aborted) void handle.close().catch(() => {});
    else await handle.close();
  }
}

/** Reads the whole of `stream` (stdin), with the same cap. */
export async function readBodyStream(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<{ body: string; source: string }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    if (signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, 'Cancelled while reading the request body from stdin.');
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    total += b.length;
    if (total > MAX_BODY_CHARS) {
      throw new AppError(ErrorCodes.INVALID_INPUT, `The request body on stdin is larger than ${MAX_BODY_CHARS / MB} MB; Preflight emulates bodies up to that size.`);
    }
    chunks.push(b);
  }
  return { body: decode(Buffer.concat(chunks)), source: 'stdin' };
}

/** `-` reads stdin, anything else is a file path relative to `cwd`. */
export function readBody(arg: string, cwd: string, stdin: NodeJS.ReadableStream, signal?: AbortSignal): Promise<{ body: string; source: string }> {
  return arg === '-' ? readBodyStream(stdin, signal) : readBodyFile(arg, cwd, signal);
}
