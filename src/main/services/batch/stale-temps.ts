/**
 * Temp files Preflight writes beside a target before renaming it into place
 * (`.<name>.<pid>.<12 hex>.tmp`: predictions-file.ts, store/atomic-file.ts). A job killed with
 * SIGKILL leaves them behind; they are hidden, so nobody would ever delete them. A new job removes the
 * ones in its output folder whose writer process is gone, and input listings never read them.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** The target name and writer pid of a Preflight temp file name, or null when it is not one. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const m = TEMP_NAME.exec(name);
  return m ? { target: m[1]!, pid: Number(m[2]) } : null;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files for `targets` in `dir` whose writer process no longer runs; returns their names. */
export async function removeStaleTemps(dir: string, targets: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const t = parseTempName(name);
    if (!t || !targets.includes(t.target) || alive(t.pid)) continue;
    await rm(join(dir, name), { force: true }).then(() => removed.push(name), () => {});
  }
  return removed;
}
