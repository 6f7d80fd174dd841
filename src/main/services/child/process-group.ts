/**
 * Children that run user code (a model's predict) may start processes of their own, which inherit the
 * child's stdout/stderr. Killing only the child then leaves those pipes open, and anything waiting for
 * them to close (Node's 'close' event) waits for the helper: minutes, or forever. So such a child runs as
 * the leader of its own process group (`detached` on POSIX), and ending it means killing the group.
 *
 * Windows has no process groups; there the child alone is killed (its helpers are not reached).
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';

const POSIX = process.platform !== 'win32';

/** Spawn options that make the child lead a new process group (POSIX). Its pid is the group id. */
export function ownGroupOptions(): Pick<SpawnOptions, 'detached'> {
  return POSIX ? { detached: true } : {};
}

/**
 * Sends `signal` to the child's whole process group; falls back to the child alone where groups do not
 * exist or the group is already gone. Safe to call after the child exited: its leftover helpers are
 * still in the group, which lives on until its last member dies.
 */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  const pid = child.pid;
  if (POSIX && pid !== undefined) {
    try {
      process.kill(-pid, signal);
      return;
    } catch {
      // ESRCH: nobody left in the group. Fall through to the child itself (no-op when it is gone).
    }
  }
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/**
 * After the child exits, stop waiting for its pipes: a helper that left the group (setsid) could still
 * hold them. Destroying the streams lets Node emit 'close' once whatever the child wrote has been read.
 */
export function releasePipesAfterExit(child: ChildProcess, graceMs = 500): void {
  child.once('exit', () => {
    killGroup(child);
    const timer = setTimeout(() => {
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, graceMs);
    timer.unref();
    child.once('close', () => clearTimeout(timer));
  });
}
