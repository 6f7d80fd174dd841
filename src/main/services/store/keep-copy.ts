import { constants } from 'node:fs';
import { copyFile, readFile, stat } from 'node:fs/promises';

/**
 * At most this many copies are kept beside one file (`.bak`, `.bak.1` … `.bak.9`): a crash loop that corrupts the
 * file at every start cannot fill the disk. The first copies are the ones kept (the oldest is nearest the user's
 * own data); a copy of the same bytes as an earlier one is not made again.
 */
export const MAX_KEPT_COPIES = 10;

export type KeptCopy = { path: string; reason?: undefined } | { path: null; reason: string };

/** The names copies of `file` take, in order. */
function copyNames(file: string): string[] {
  return Array.from({ length: MAX_KEPT_COPIES }, (_, i) => (i === 0 ? `${file}.bak` : `${file}.bak.${i}`));
}

/**
 * Copies `file` (one Preflight is about to start over from: corrupt, unreadable as its format) beside it, never over an
 * earlier copy: the first free name of `copyNames`. When a copy with the same bytes exists, that copy is the answer.
 * Never throws: `path` is null and `reason` says why when no copy holds the file.
 */
export async function keepCopy(file: string): Promise<KeptCopy> {
  let bytes: Buffer | null = null;
  for (const name of copyNames(file)) {
    try {
      await copyFile(file, name, constants.COPYFILE_EXCL);
      return { path: name };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return { path: null, reason: `could not be copied to ${name} (${(err as Error).message})` };
    }
    try {
      // an earlier copy of these very bytes (the same corrupt file read again) keeps the file: no second copy
      bytes ??= await readFile(file);
      if ((await stat(name)).size === bytes.length && (await readFile(name)).equals(bytes)) return { path: name };
    } catch {
      // the earlier copy or the file went away meanwhile: try the next name
    }
  }
  return {
    path: null,
    reason: `was not copied: ${MAX_KEPT_COPIES} earlier copies (${file}.bak … .bak.${MAX_KEPT_COPIES - 1}) are kept and none is overwritten; move them out of the folder to keep the next one`,
  };
}
