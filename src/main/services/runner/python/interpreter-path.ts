/**
 * Which interpreter strings are accepted: an absolute path, or a bare command name ("python3.11")
 * looked up on PATH. A relative path is refused everywhere: the app's working folder means nothing to
 * the user, and the worker runs *in the model folder*, so "bin/python" would start a program the
 * model's author put there. "." and ".." are relative paths, not command names.
 */
import { isAbsolute } from 'node:path';

/** A bare command name: no separator, and not "." / "..". */
export function isCommandName(v: string): boolean {
  return !v.includes('/') && !v.includes('\\') && v !== '.' && v !== '..';
}

/** True for a path Preflight refuses to run as an interpreter. */
export function isRelativeInterpreter(v: string): boolean {
  return !isCommandName(v) && !isAbsolute(v);
}

/** The message for a refused relative interpreter (`saved`: what happened to the setting, if anything). */
export function relativeInterpreterMessage(v: string, saved = ''): string {
  return `The Python interpreter ${JSON.stringify(v)} is a relative path; Preflight cannot tell what it is relative to.${saved ? ` ${saved}` : ''} Give the full path (e.g. /home/you/project/.venv/bin/python).`;
}
