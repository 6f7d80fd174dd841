/**
 * Lists every file of the model folder that goes into `model/`, refusing anything that would let the
 * package carry bytes from outside the folder: symlinks that resolve outside it, special files, and
 * names that could be read as a path escape inside an archive (`..`, backslashes, control characters).
 * A symlink that stays inside the folder is stored as the file it points to.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';

export interface ModelFile {
  /** POSIX path relative to the model folder. */
  rel: string;
  abs: string;
  size: number;
  mode: number;
}

export function hasControlCharacter(name: string): boolean {
  for (const ch of name) if (ch.charCodeAt(0) < 0x20) return true;
  return false;
}

export class UnsafeModelPathError extends Error {}

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export async function listModelFiles(folder: string, signal?: AbortSignal): Promise<ModelFile[]> {
  const root = await realpath(folder);
  const out: ModelFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      signal?.throwIfAborted();
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.name === '..' || e.name.includes('\\') || hasControlCharacter(e.name)) {
        throw new UnsafeModelPathError(`model file name ${JSON.stringify(rel)} cannot be stored safely in an archive (backslash or control character); rename it.`);
      }
      const abs = join(dir, e.name);
      const info = await lstat(abs);
      if (info.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(abs);
        } catch {
          throw new UnsafeModelPathError(`${rel} is a symlink whose target does not exist; remove it or replace it with the file.`);
        }
        if (!inside(root, target)) throw new UnsafeModelPathError(`${rel} is a symlink to ${target}, outside the model folder; the package only takes files inside the folder. Copy the file in instead.`);
        const t = await stat(target);
        if (t.isDirectory()) throw new UnsafeModelPathError(`${rel} is a symlink to a folder; replace it with the folder's files.`);
        if (!t.isFile()) throw new UnsafeModelPathError(`${rel} points to a special file; only regular files can be packaged.`);
        out.push({ rel, abs: target, size: t.size, mode: 0o644 });
        continue;
      }
      if (info.isDirectory()) {
        await walk(abs, rel);
        continue;
      }
      if (!info.isFile()) throw new UnsafeModelPathError(`${rel} is not a regular file (FIFO, socket or device); remove it from the model folder.`);
      out.push({ rel, abs, size: info.size, mode: info.mode & 0o111 ? 0o755 : 0o644 });
    }
  };
  await walk(root, '');
  return out;
}
