import { open } from 'node:fs/promises';
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

export async function readBodyFile(path: string, cwd: string): Promise<{ body: string; source: string }> {
  const abs = resolve(cwd, path);
  let handle;
  try {
    handle = await open(abs, 'r');
  } catch (err) {
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
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
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
    await handle.close();
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
  return arg === '-' ? readBodyStream(stdin, signal) : readBodyFile(arg, cwd);
}
