/**
 * The content hash that names `LocalUpload/<hash>/<folder>/…`: the folder's files (sorted relative paths), each
 * with its size and SHA-256. Kept apart from the upload so a caller can hash while it does other work that does
 * not need the name yet (reading the model, asking ARM for the datastore and its credentials).
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import { sha256File } from '../../files/sha256-file';
import { UploadHashCache } from './upload-hash-cache';
import { formatCount } from '@shared/format-count';

export interface LocalFile {
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface HashedFolder {
  folder: string;
  /** Sorted by relative path (the order the hash is computed in). */
  files: LocalFile[];
  /** SHA-256 of each file by relative path. */
  sums: Map<string, string>;
  /** 32 hex digits: the `<hash>` of `LocalUpload/<hash>/<folder>`. */
  hash: string;
  totalBytes: number;
}

const MAX_FILES = 10_000;

export async function listFiles(root: string): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 32) throw new AppError(ErrorCodes.TOO_DEEP, `The model folder nests deeper than 32 levels at ${dir}.`);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === '__pycache__') continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs, depth + 1);
      else if (entry.isFile()) {
        const st = await stat(abs);
        out.push({ rel: relative(root, abs).split(sep).join('/'), abs, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
        if (out.length > MAX_FILES) throw new AppError(ErrorCodes.TOO_MANY_FILES, `The model folder has more than ${formatCount(MAX_FILES)} files; that is not a model Azure ML can load quickly.`);
      }
    }
  };
  await walk(root, 0);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  try {
    return await sha256File(path, signal);
  } catch (err) {
    if (signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, 'Upload cancelled while hashing the model folder; nothing was uploaded.');
    throw err;
  }
}

/** Lists and hashes the folder; a file whose (path, size, mtime, inode) is in `hashes` is not read. `signal` stops the reading. */
export async function hashModelFolder(folder: string, options: { hashes?: UploadHashCache; signal?: AbortSignal } = {}): Promise<HashedFolder> {
  const files = await listFiles(folder);
  if (files.length === 0) throw new AppError(ErrorCodes.NOT_A_MODEL, `The model folder ${folder} is empty.`);
  const sums = new Map<string, string>();
  const folderHash = createHash('sha256');
  for (const f of files) {
    const key = UploadHashCache.key(f);
    const sum = (await options.hashes?.get(key))?.sha256 ?? (await hashFile(f.abs, options.signal));
    await options.hashes?.set(key, { sha256: sum });
    sums.set(f.rel, sum);
    folderHash.update(`${f.rel}\0${f.size}\0${sum}\n`);
  }
  await options.hashes?.save().catch(() => undefined);
  return { folder, files, sums, hash: folderHash.digest('hex').slice(0, 32), totalBytes: files.reduce((a, f) => a + f.size, 0) };
}
