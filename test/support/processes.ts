/** Whether a process with this pid exists (a killed one may linger briefly as a zombie until it is reaped). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
