/**
 * Per-process CPU accounting for the score-* benches (PREFLIGHT_BENCH_CPU=1): where a request's CPU goes
 * when the client, Preflight's app-side process, its ONNX serving process and the baseline server share
 * the machine's cores. This process (client + the app side of Preflight's server) is measured with
 * process.cpuUsage; its child processes through /proc (Linux only; elsewhere they are left out).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds so far, by process label ("self", "onnx-worker.js#<pid>", "baseline-server.js#<pid>"). */
export type CpuSample = Map<string, number>;

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS = 100;

function childPids(): number[] {
  try {
    return readdirSync(`/proc/${process.pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8')
        .split(' ')
        .filter((s) => s.trim() !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}

function procCpuSeconds(pid: number): { label: string; seconds: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
    const script = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').find((a) => a.endsWith('.js') || a.endsWith('.py')) ?? 'node';
    return { label: `${script.slice(script.lastIndexOf('/') + 1)}#${pid}`, seconds };
  } catch {
    return null; // the process exited between listing and reading
  }
}

export function cpuSample(): CpuSample {
  const self = process.cpuUsage();
  const sample: CpuSample = new Map([['self (client + app side)', (self.user + self.system) / 1e6]]);
  for (const pid of childPids()) {
    const p = procCpuSeconds(pid);
    if (p) sample.set(p.label, p.seconds);
  }
  return sample;
}

/** "label=N µs/req" for every process that used CPU between two samples. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): string {
  const parts: string[] = [];
  for (const [label, s] of after) {
    const used = s - (before.get(label) ?? 0);
    if (used > 0) parts.push(`${label}=${((used / requests) * 1e6).toFixed(1)}µs/req`);
  }
  return parts.join(' ');
}

export const CPU_ACCOUNTING = process.env.PREFLIGHT_BENCH_CPU === '1';
