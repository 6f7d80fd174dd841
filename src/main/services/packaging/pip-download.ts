/**
 * "Downloaded on request" (issue 9): when the wheel folder leaves gaps and the user asked for it, a local pip
 * fills them — `pip download --only-binary=:all: --implementation cp --python-version X --platform P -d <tmp>`
 * for the environment's requirements — so the wheels fit the *target* (Azure's Python and platform), not this
 * computer. pip's own index settings apply (pip.conf, PIP_INDEX_URL, …) unless an index URL or a find-links
 * folder is given. No pip, or no network, is said plainly; the offline resolution then reports what is missing.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { AppError, ErrorCodes } from '@shared/errors';
import type { PackageTarget } from '@shared/packaging/package-report';

export interface PipDownloadOptions {
  /** The Python whose pip runs (default: PREFLIGHT_PYTHON, else python3). */
  python?: string | null;
  /** An index (e.g. a private mirror, or `file:///…` for a local simple index); default pip's own. */
  indexUrl?: string | null;
  /** A folder of wheels pip may take from (with no index URL: the only source, `--no-index`). */
  findLinks?: string | null;
  /** pip's timeout per connection, seconds (default 15) — a missing network should fail fast, not hang. */
  timeoutSeconds?: number;
  /** pip's environment (default this process's: PIP_* settings and pip.conf apply, as for the user's own pip). */
  env?: NodeJS.ProcessEnv;
}

export interface PipDownloadResult {
  /** Wheel file names pip left in the folder. */
  files: string[];
  python: string;
  /** pip's complaint when it could not fetch everything (the resolution then names the gaps); null when it did. */
  problem: string | null;
}

const NETWORK = /NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|Network is unreachable|Connection refused|ConnectTimeoutError|Max retries exceeded|No route to host|ProxyError|SSLError/;

/** The lines of a requirement list pip can take (names with specifiers, extras, markers): URLs and paths are left to the resolver's gaps. */
export function pipRequirements(raw: readonly string[]): string[] {
  // `\s*(?:[extras]\s*)?`, the same lines as `\s*([extras])?\s*`, whose two blank runs side by side split a long
  // blank run every way (quadratic on a hostile requirement).
  return raw.map((r) => r.trim()).filter((r) => /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\]\s*)?([<>=!~]=?|===|;|$)/.test(r) && !/:\/\//.test(r));
}

export function pipDownloadArgs(requirements: readonly string[], target: Pick<PackageTarget, 'python' | 'platform'>, dest: string, o: PipDownloadOptions): string[] {
  const args = ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-input', '--only-binary=:all:', '--implementation', 'cp', '--python-version', target.python, '--platform', target.platform, '--retries', '1', '--timeout', String(o.timeoutSeconds ?? 15), '-d', dest];
  if (o.indexUrl) args.push('--index-url', o.indexUrl);
  else if (o.findLinks) args.push('--no-index');
  if (o.findLinks) args.push('--find-links', o.findLinks);
  return [...args, ...requirements];
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv | undefined, signal: AbortSignal | undefined): Promise<{ code: number | null; out: string; spawnError: NodeJS.ErrnoException | null }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, env: { ...(env ?? process.env), PYTHONIOENCODING: 'utf-8' } });
    const onAbort = (): void => void child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    const keep = (c: Buffer): void => {
      out = (out + c.toString('utf8')).slice(-64 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ code: null, out, spawnError: err });
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ code, out, spawnError: null });
    });
  });
}

/** Runs pip download into `dest` (an empty folder); throws E_ENVIRONMENT with what to do when pip or the network is missing. */
export async function pipDownload(requirements: readonly string[], target: Pick<PackageTarget, 'python' | 'platform'>, dest: string, o: PipDownloadOptions = {}, signal?: AbortSignal): Promise<PipDownloadResult> {
  const python = o.python ?? process.env.PREFLIGHT_PYTHON ?? 'python3';
  const probe = await run(python, ['-m', 'pip', '--version'], o.env, signal);
  if (probe.spawnError || probe.code !== 0) {
    const why = probe.spawnError ? `${python} could not be started (${probe.spawnError.code ?? probe.spawnError.message})` : `${python} has no pip (${probe.out.trim().split('\n').at(-1) ?? 'python -m pip failed'})`;
    throw new AppError(ErrorCodes.ENVIRONMENT, `Downloading wheels needs a local Python with pip: ${why}. Install pip (or set PREFLIGHT_PYTHON to a Python that has it), or fill the wheel folder on a connected machine with pip download and pass it with --wheels.`);
  }
  const wanted = pipRequirements(requirements);
  if (wanted.length === 0) return { files: [], python, problem: null };
  const r = await run(python, pipDownloadArgs(wanted, target, dest, o), o.env, signal);
  signal?.throwIfAborted();
  const files = (await readdir(dest)).filter((f) => f.endsWith('.whl')).sort();
  if (r.code === 0) return { files, python, problem: null };
  const last = r.out.trim().split('\n').filter((l) => /ERROR|error:/.test(l)).slice(-3).join(' ').trim() || r.out.trim().split('\n').slice(-3).join(' ');
  if (NETWORK.test(r.out)) {
    // pip retries once and says why ("connection broken by NewConnectionError(… Connection refused)"): quote that.
    const why = /Failed to establish a new connection: ([^'")]+)|(Temporary failure in name resolution|Name or service not known|Network is unreachable|No route to host)/.exec(r.out);
    throw new AppError(ErrorCodes.ENVIRONMENT, `pip could not reach the package index${o.indexUrl ? ` ${o.indexUrl}` : ''}: this computer has no network access to it (${(why?.[1] ?? why?.[2] ?? last).slice(0, 300)}). Download the wheels on a connected machine and pass the folder with --wheels, or point --index-url / --find-links at a mirror you can reach.`);
  }
  // pip failed for a requirement it could not satisfy (no wheel for the target): keep what it fetched; the resolution names the gap.
  return { files, python, problem: last };
}
