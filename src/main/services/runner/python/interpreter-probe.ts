/**
 * Runs one candidate interpreter for a moment to learn what it is and what it has: its real executable,
 * its version, and the installed version of each package asked about (from package metadata, so nothing
 * heavy is imported). A candidate that does not exist, is not executable, is not Python, or does not
 * answer in time gives a sentence saying which.
 */
import { spawn } from 'node:child_process';

export interface ProbedInterpreter {
  /** What was run (the candidate path). */
  path: string;
  /** `sys.executable`: where a shim (pyenv) or venv link really leads. */
  executable: string;
  /** `platform.python_version()`, e.g. `3.11.2`. */
  version: string;
  /** PEP 503 package name → installed version, or null when not installed. */
  has: Record<string, string | null>;
}

export type ProbeResult = { ok: true; interpreter: ProbedInterpreter } | { ok: false; reason: string };

// Python-2-parsable on purpose, so an old `python` on PATH reports its version instead of a SyntaxError.
const PROBE_SCRIPT = `
import sys, json, platform
names = json.loads(sys.argv[1])
has = {}
try:
    import importlib.metadata as md
except ImportError:
    md = None
for n in names:
    v = None
    if md is not None:
        try:
            v = md.version(n)
        except Exception:
            v = None
    has[n] = v
sys.stdout.write(json.dumps({"probe": 1, "executable": sys.executable, "version": platform.python_version(), "has": has}))
`;

/**
 * Long enough for a machine under load: the probe answers in ~50 ms on an idle one, but at load average 15–30 on two
 * cores (a CI run beside other work) it took over 10 s — the old limit — and the first request to a Python model then
 * answered 500 "did not answer within 10 s" for an interpreter that works (seen in the fidelity replays' serve runs;
 * a laptop's antivirus scanning a fresh interpreter is the same). A Python that hangs is still stopped.
 */
export const DEFAULT_PROBE_TIMEOUT_MS = 60_000;
const MAX_PROBE_OUTPUT = 1 << 20;

export function probeInterpreter(path: string, packages: readonly string[], timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    let child;
    try {
      // Same environment as the worker gets, so the probe sees what the worker will import.
      child = spawn(path, ['-c', PROBE_SCRIPT, JSON.stringify(packages)], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (err) {
      resolve({ ok: false, reason: spawnFailure(err) });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ ok: false, reason: `did not answer within ${Math.round(timeoutMs / 1000)} s (a Python interpreter prints its version in well under a second on an idle machine)` });
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (stdout.length < MAX_PROBE_OUTPUT) stdout += d;
    });
    child.stderr.on('data', (d: string) => {
      if (stderr.length < MAX_PROBE_OUTPUT) stderr += d;
    });
    child.on('error', (err) => done({ ok: false, reason: spawnFailure(err) }));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const last = lastLine(stderr) ?? lastLine(stdout);
        done({ ok: false, reason: `exited with ${signal ? `signal ${signal}` : `code ${code}`}${last ? `: ${last}` : ''}` });
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(stdout);
      } catch {
        done({ ok: false, reason: `is not a Python interpreter (it printed ${JSON.stringify(stdout.slice(0, 80))} instead of the probe's answer)` });
        return;
      }
      const p = parsed as { probe?: number; executable?: unknown; version?: unknown; has?: unknown };
      if (p.probe !== 1 || typeof p.version !== 'string' || typeof p.has !== 'object' || p.has === null) {
        done({ ok: false, reason: 'is not a Python interpreter (its answer to the probe is not what Python prints)' });
        return;
      }
      done({
        ok: true,
        interpreter: {
          path,
          executable: typeof p.executable === 'string' && p.executable !== '' ? p.executable : path,
          version: p.version,
          has: p.has as Record<string, string | null>,
        },
      });
    });
  });
}

function lastLine(text: string): string | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1]! : null;
}

function spawnFailure(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES') return 'is not executable (permission denied)';
  if (code === 'ENOEXEC') return 'is not a program this system can run';
  return `could not be started (${err instanceof Error ? err.message : String(err)})`;
}
