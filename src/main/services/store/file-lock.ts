/**
 * A lock file beside a file that several processes read-modify-write (the app and `preflight open`
 * share the store): `<file>.lock`, created exclusively (O_EXCL), holding the owner's pid. Whoever
 * creates it may change the file; the others wait and retry. A lock whose owner is gone (killed
 * mid-write) or that is older than `staleMs` is taken over, so a crash never blocks the store.
 */
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AppError, ErrorCodes } from '@shared/errors';

export interface FileLockOptions {
  /** Give up (with a clear error) after waiting this long. */
  timeoutMs?: number;
  /** A lock not refreshed for this long belongs to nobody (a change takes milliseconds). */
  staleMs?: number;
}

const HOST = hostname();

export async function withFileLock<T>(file: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const me = `${process.pid}@${HOST}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const h = await open(lock, 'wx', 0o600);
      try {
        await h.writeFile(me, 'utf8');
      } finally {
        await h.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError(ErrorCodes.ENVIRONMENT, `Cannot create the lock file "${lock}" (${(err as Error).message}). Check the folder's permissions.`, { cause: err });
      }
    }
    if (await takeOverIfStale(lock, staleMs)) continue;
    if (Date.now() > deadline) {
      throw new AppError(
        ErrorCodes.ENVIRONMENT,
        `Another Preflight process has held "${lock}" for over ${Math.round(timeoutMs / 1000)} s. If no other Preflight is running, delete that file.`,
        { details: { lock } },
      );
    }
    // Jitter, so two waiting processes do not retry in lockstep.
    await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt) + Math.random() * 10));
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true }).catch(() => undefined);
  }
}

/** Removes a lock whose owner process is gone or that is older than `staleMs`; true when it did. */
async function takeOverIfStale(lock: string, staleMs: number): Promise<boolean> {
  const [owner, info] = await Promise.all([readFile(lock, 'utf8').catch(() => null), stat(lock).catch(() => null)]);
  if (owner === null || info === null) return false; // released meanwhile (or not yet written): just retry
  const [pid, host] = owner.split('@');
  const dead = host === HOST && pid !== undefined && /^\d+$/.test(pid) && !alive(Number(pid));
  if (!dead && Date.now() - info.mtimeMs < staleMs) return false;
  // Rename first: of several processes that found it stale, exactly one moves it away.
  const moved = `${lock}.${process.pid}.stale`;
  try {
    await rename(lock, moved);
  } catch {
    return false;
  }
  await rm(moved, { force: true }).catch(() => undefined);
  return true;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
