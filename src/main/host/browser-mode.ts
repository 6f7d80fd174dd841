import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, ErrorCodes } from '@shared/errors';
import { compose, type Composition } from '../app/compose';
import { createFileLogger } from '../app/file-logger';
import { findPackage } from '../app/package-root';
import { defaultUserDataDir } from '../app/user-data';
import { stderrLogger, type Logger } from '../ports/logger';
import { expandHome } from '../services/model/home-path';
import { splitPathList } from '../app/path-list';
import { loadCloudFile } from '../services/azure/cloud';
import { azureTuningFromEnv } from '../services/azure/azure-service';
import { scriptedDialogs } from './headless-ports';
import { confinedDispatch } from './write-confinement';
import { LOOPBACK, startBrowserHost, type RunningBrowserHost } from './ws-host';

export interface BrowserModeOptions {
  port: number;
  modelPath: string | null;
  jsonReady: boolean;
  dialogPaths: string[] | null;
  userDataDir: string;
  rendererDir: string;
  resourcesDir: string;
  version: string;
  /** Model folders trusted to run code this session (`--trust`, PREFLIGHT_TRUST); never saved. */
  trust?: string[];
  /** Extra folders batch outputs may go to (`--allow-write`, PREFLIGHT_ALLOW_WRITE); see write-confinement.ts. */
  allowWrite?: string[];
}

export { BROWSER_MODE_USAGE } from '../app/browser-mode-usage';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the browser-mode flags; throws UsageError with a message naming the bad flag. */
export function parseBrowserModeArgs(argv: string[], env: NodeJS.ProcessEnv, cwd: string): BrowserModeOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        model: { type: 'string' },
        'json-ready': { type: 'boolean' },
        'dialog-paths': { type: 'string' },
        'allow-write': { type: 'string', multiple: true },
        trust: { type: 'string', multiple: true },
        'user-data': { type: 'string' },
        'renderer-dir': { type: 'string' },
        host: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`Expected at most one model folder, got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.host !== undefined && values.host !== LOOPBACK) {
    throw new UsageError(`--host ${values.host} refused: browser mode only listens on ${LOOPBACK}.`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${values.port}".`);
  const model = values.model ?? positionals[0];
  const pkg = findPackage();
  return {
    port,
    modelPath: model ? resolve(cwd, expandHome(model)) : null,
    jsonReady: values['json-ready'] ?? false,
    dialogPaths: splitPathList(values['dialog-paths'] ?? env.PREFLIGHT_DIALOG_PATHS)?.map((p) => resolve(cwd, p)) ?? null,
    userDataDir: resolve(cwd, values['user-data'] ?? defaultUserDataDir(env)),
    rendererDir: resolve(cwd, values['renderer-dir'] ?? join(pkg.root, 'out', 'renderer')),
    resourcesDir: join(pkg.root, 'resources'),
    version: pkg.version,
    trust: [...(values.trust ?? []), ...(splitPathList(env.PREFLIGHT_TRUST) ?? [])].map((p) => resolve(cwd, p)),
    allowWrite: [...(values['allow-write'] ?? []), ...(splitPathList(env.PREFLIGHT_ALLOW_WRITE) ?? [])].map((p) => resolve(cwd, p)),
  };
}

export interface BrowserModeIo {
  stdout: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Defaults to a file log in userData echoed to stderr. */
  log?: Logger;
}

/** Composes the services with headless ports and starts the host; prints the URL line(s). */
export async function runBrowserMode(
  options: BrowserModeOptions,
  io: BrowserModeIo,
): Promise<{ host: RunningBrowserHost; composition: Composition }> {
  // ARCHITECTURE §4.4: a dev/test surface; a production deployment must never expose it by accident.
  if (io.env.NODE_ENV === 'production') throw new Error('Browser mode is a development and test host; refusing to start with NODE_ENV=production.');
  // A mistyped folder must fail in the terminal that typed it, not as an error page in a browser.
  if (options.modelPath !== null) await assertModelPathExists(options.modelPath);
  const log = io.log ?? createFileLogger(join(options.userDataDir, 'logs', 'browser-host.log'), warningsOnly(stderrLogger));
  const composition = await compose({
    dialogs: scriptedDialogs(options.dialogPaths),
    log,
    userDataDir: options.userDataDir,
    host: 'browser',
    resourcesDir: options.resourcesDir,
    initialModelPath: options.modelPath,
    version: options.version,
    trustedFolders: options.trust,
    strictOutputs: io.env.PREFLIGHT_STRICT_IPC === '1',
    // No clipboard reaches the user's desktop from here: a local server's key is printed once to this
    // terminal (stdout only, never the log file), and the page is told where to look.
    announceSecret: (line) => io.stdout(line),
    // Other clouds and the Azure emulator, described by the same file the CLI takes (`--cloud`).
    azureCloud: io.env.PREFLIGHT_AZURE_CLOUD ? await loadCloudFile(resolve(io.env.PREFLIGHT_AZURE_CLOUD)) : undefined,
    azureTuning: azureTuningFromEnv(io.env),
  });
  const dispatch = await confinedDispatch(composition, options, io.env.PREFLIGHT_STRICT_IPC === '1', log);
  const host = await startBrowserHost({ composition: { dispatch, events: composition.events }, log, rendererDir: options.rendererDir, port: options.port });
  io.stdout(`Preflight (browser mode): ${host.url}`);
  if (options.jsonReady) io.stdout(JSON.stringify({ url: host.url, port: host.port, wsUrl: host.wsUrl }));
  return { host, composition };
}

async function assertModelPathExists(path: string): Promise<void> {
  try {
    await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError(ErrorCodes.NOT_FOUND, `Model folder not found: ${path}. Check the path, or pick the folder that contains the MLmodel file.`);
    }
    throw new AppError(ErrorCodes.UNREADABLE, `${path} could not be opened (${code ?? 'unknown error'}).`);
  }
}

/** Keeps the terminal quiet for routine info lines; problems still show. */
function warningsOnly(inner: Logger): Logger {
  return { info: () => {}, warn: inner.warn, error: inner.error };
}
