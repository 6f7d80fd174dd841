/**
 * The `pip download` commands Preflight prints for wheels a package lacks: one spelling of the target (the
 * platform tag as the Package tab's field and `--platform` hold it) and a real destination folder, so the
 * command can be pasted as printed (a literal `-d <wheels>` could not).
 */
import { basename, dirname, join } from 'node:path';

/** A path or requirement as a POSIX shell reads it back (single quotes unless it is plain). */
export const shellWord = (w: string): string => (/^[\w./@:+=,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** Where to download wheels when no folder was chosen: beside the model folder, named after it. */
export function defaultWheelsDir(modelPath: string): string {
  return join(dirname(modelPath), `${basename(modelPath)}-wheels`);
}

export function pipDownloadCommand(requirements: readonly string[], target: { python: string; platform: string }, dir: string): string {
  return `pip download ${requirements.map(shellWord).join(' ')} --only-binary=:all: --python-version ${target.python} --platform ${target.platform} -d ${shellWord(dir)}`;
}
