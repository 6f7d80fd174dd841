import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { FileEntry, Problem } from '@shared/mlflow/model-report';
import { describeFsError } from './safe-fs';
import { formatCount } from '@shared/format-count';

/**
 * Lists a model folder: every entry with its POSIX path and size, folders with the sum of their contents,
 * symlinks with their target and whether it leaves the folder. Symlinks are never followed (no loops, no
 * walking someone's home directory through a link), and the walk is capped so a folder with millions of
 * files or absurd depth still answers quickly.
 */

export const MAX_WALK_ENTRIES = 50_000;
export const MAX_WALK_DEPTH = 32;

export interface WalkOptions {
  maxEntries?: number;
  maxDepth?: number;
  signal?: AbortSignal;
}

export interface WalkResult {
  /** Sorted by path; the root itself is not listed. */
  files: FileEntry[];
  /** Sum of regular file sizes. */
  totalBytes: number;
  /** Paths of FIFOs, sockets and devices: listed, never read. */
  specialFiles: Set<string>;
  problems: Problem[];
}

function isInside(rootReal: string, candidate: string): boolean {
  const rel = relative(rootReal, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, `Inspection of ${what} was cancelled.`);
}

/** Walks `rootReal` (a realpath) depth-first, each folder's entries before its subfolders'. Never throws for entries it cannot read; they become problems. */
export async function walkModelFolder(rootReal: string, options: WalkOptions = {}): Promise<WalkResult> {
  const maxEntries = options.maxEntries ?? MAX_WALK_ENTRIES;
  const maxDepth = options.maxDepth ?? MAX_WALK_DEPTH;
  const files: FileEntry[] = [];
  const problems: Problem[] = [];
  const specialFiles = new Set<string>();
  let totalBytes = 0;
  let capped = false;
  let deepestReported = false;

  /** Returns the summed size of the folder's contents. */
  const walkDir = async (absDir: string, relDir: string, depth: number): Promise<number> => {
    throwIfAborted(options.signal, rootReal);
    let names: string[];
    try {
      names = (await readdir(absDir)).sort();
    } catch (err) {
      problems.push({ file: relDir || '.', code: ErrorCodes.UNREADABLE, message: `Folder ${relDir || '.'} could not be listed: ${describeFsError(err)}.` });
      return 0;
    }
    let sum = 0;
    // A folder's own entries are all listed before any subfolder is walked, so a subfolder of 100 000 cache files
    // that sorts first cannot use up the cap before MLmodel and model.onnx beside it are listed (which made the
    // readiness rules call the model file missing).
    const subfolders: { entry: FileEntry; abs: string; rel: string }[] = [];
    for (const name of names) {
      if (files.length >= maxEntries) {
        if (!capped) {
          capped = true;
          problems.push({
            file: relDir || '.',
            code: ErrorCodes.TOO_MANY_FILES,
            message: `The folder holds more than ${formatCount(maxEntries)} entries; the listing stops there (sizes and totals cover only what was listed). A model folder this large is unusual: check that you opened the model folder, not a parent.`,
          });
        }
        return sum;
      }
      const rel = relDir ? `${relDir}/${name}` : name;
      const abs = join(absDir, name);
      let info;
      try {
        info = await lstat(abs);
      } catch (err) {
        problems.push({ file: rel, code: ErrorCodes.UNREADABLE, message: `${rel} could not be examined: ${describeFsError(err)}.` });
        continue;
      }
      if (info.isSymbolicLink()) {
        const target = await readlink(abs).catch(() => '');
        let resolved: string;
        try {
          resolved = await realpath(abs);
        } catch {
          // Dangling or looping link: judge where it points by its text.
          resolved = resolve(dirname(abs), target);
        }
        // Size 0: the target is listed (and counted) where it lives, or is outside and not ours to count.
        files.push({ path: rel, kind: 'symlink', size: 0, target, outside: !isInside(rootReal, resolved) });
      } else if (info.isDirectory()) {
        const entry: FileEntry = { path: rel, kind: 'dir', size: 0, target: null, outside: false };
        files.push(entry);
        subfolders.push({ entry, abs, rel });
      } else if (info.isFile()) {
        files.push({ path: rel, kind: 'file', size: info.size, target: null, outside: false });
        sum += info.size;
        totalBytes += info.size;
      } else {
        specialFiles.add(rel);
        files.push({ path: rel, kind: 'file', size: 0, target: null, outside: false });
        problems.push({
          file: rel,
          code: ErrorCodes.UNREADABLE,
          message: `${rel} is not a regular file (a FIFO, socket or device); it is listed but never read. MLflow model folders hold only regular files.`,
        });
      }
    }
    for (const { entry, abs, rel } of subfolders) {
      if (depth + 1 >= maxDepth) {
        if (!deepestReported) {
          deepestReported = true;
          problems.push({
            file: rel,
            code: ErrorCodes.TOO_DEEP,
            message: `${rel} is nested ${depth + 1} folders deep; Preflight lists at most ${maxDepth} levels, so its contents are not shown.`,
          });
        }
        continue;
      }
      entry.size = await walkDir(abs, rel, depth + 1);
      sum += entry.size;
    }
    return sum;
  };

  await walkDir(rootReal, '', 0);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, totalBytes, specialFiles, problems };
}
