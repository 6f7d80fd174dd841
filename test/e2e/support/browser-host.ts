import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths';
import { builtHostJs, builtRendererIndex, requireBuilt } from './app-paths';

export interface BrowserHost {
  /** The page URL with its one-time token. */
  url: string;
  userDataDir: string;
  /** Stops the host (SIGTERM, then SIGKILL) and removes its user-data dir. */
  stop(): Promise<void>;
  /** Kills the host but keeps its user data: for tests of a host that goes away. */
  kill(): Promise<void>;
}

export interface BrowserHostOptions {
  model?: string;
  /** Paths the scripted folder picker answers with, in order. */
  dialogPaths?: readonly string[];
  startTimeoutMs?: number;
  /** Extra environment for the host (e.g. PREFLIGHT_AZURE_CLOUD for the Azure emulator). */
  env?: Record<string, string>;
}

/**
 * Starts the browser-mode host (`node out/node/host.js --port 0 --json-ready …`) with its own temporary user-data
 * dir and waits for the `{"url": …}` line it prints once listening. If it exits first, the error carries its stderr.
 * PREFLIGHT_E2E_HOST_JS / PREFLIGHT_E2E_RENDERER_DIR point at other builds (e.g. a private one during development).
 */
export async function startBrowserHost(options: BrowserHostOptions = {}): Promise<BrowserHost> {
  const rendererDir = process.env.PREFLIGHT_E2E_RENDERER_DIR;
  requireBuilt(rendererDir ? [builtHostJs] : [builtHostJs, builtRendererIndex]);
  const userDataDir = await mkdtemp(join(tmpdir(), 'preflight-e2e-'));
  const args = [builtHostJs, '--port', '0', '--json-ready', '--user-data', userDataDir];
  if (options.model) args.push('--model', options.model);
  if (options.dialogPaths && options.dialogPaths.length > 0) args.push('--dialog-paths', options.dialogPaths.join(','));
  if (rendererDir) args.push('--renderer-dir', rendererDir);

  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    // Specs write batch outputs under the temp folder; browser mode writes only where it is allowed to.
    env: { ...process.env, PREFLIGHT_USER_DATA: userDataDir, PREFLIGHT_STRICT_IPC: '1', PREFLIGHT_ALLOW_WRITE: tmpdir(), PREFLIGHT_TRUST: tmpdir(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (process.env.PREFLIGHT_E2E_VERBOSE) process.stderr.write(`[host] ${chunk}`);
  });

  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => fail(new Error(`The browser-mode host printed no {"url": …} line within ${timeoutMs} ms.`)), timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\nCommand: node ${args.join(' ')}\nstderr:\n${stderr || '(empty)'}`));
    };
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`The browser-mode host exited (code ${code}, signal ${signal}) before it was ready.`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        try {
          const ready = JSON.parse(line) as { url?: unknown };
          if (typeof ready.url === 'string') {
            clearTimeout(timer);
            child.removeAllListeners('exit');
            child.removeAllListeners('error');
            resolve(ready.url);
          }
        } catch {
          // Not the ready line; keep reading.
        }
      }
    });
  });

  const kill = () => terminate(child);
  return {
    url,
    userDataDir,
    kill,
    stop: async () => {
      await kill();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function terminate(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
