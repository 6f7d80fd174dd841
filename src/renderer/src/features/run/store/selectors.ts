import type { PythonInterpreterSettingData, RunnerEnvironmentData, ServerInfoData, ServerRequestEventData } from '@shared/ipc/contract';
import { wouldNotStart } from '@shared/mlflow/payload';
import { SERVER_PROFILES, type Server } from '../../../lib/server-profiles';

/** Pure state helpers and derivations for the local runner; no React, no store access (unit-tested). */

export type { Server };
/** The server profiles a local server can be started with. */
export const SERVERS = SERVER_PROFILES;

/** The request log keeps this many lines per server, newest first. */
export const LOG_LIMIT = 200;

/** One line of a server's live log: the `server.request` event without the server id. */
export type LogLine = Omit<ServerRequestEventData, 'id'>;

/**
 * The request a server's curl line sends, in the form that server reads: the playground's (the shell hands it down,
 * features do not import each other); null while the playground has none yet.
 */
export interface CurlRequest {
  body: string;
  contentType: string;
  /**
   * The editor's text, or the model's example for that server when the editor holds a form it does not read (the other
   * server's, or another MLflow generation's); `restart`: the server runs another MLflow generation than the request is
   * written for (`note` says which), so no body is offered.
   */
  from: 'editor' | 'example' | 'restart';
  note?: string;
}

/** A new log line on top; older ones beyond the limit dropped. */
export function appendLog(log: readonly LogLine[] | undefined, line: LogLine, limit = LOG_LIMIT): LogLine[] {
  const prev = log ?? [];
  return [line, ...(prev.length >= limit ? prev.slice(0, limit - 1) : prev)];
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command for the running server. The key is never in it: Azure's uses `$PREFLIGHT_KEY`, which the user
 * sets from "Copy key" (or the host's terminal in browser mode). Bodies above a few KB are read from a file.
 */
export function curlCommand(info: Pick<ServerInfoData, 'url' | 'server'>, body: string, contentType: string): string {
  const route = info.server === 'azureml' ? '/score' : '/invocations';
  const lines = [`curl -sS -X POST ${shellQuote(info.url + route)}`, `  -H ${shellQuote(`Content-Type: ${contentType}`)}`];
  if (info.server === 'azureml') lines.push('  -H "Authorization: Bearer $PREFLIGHT_KEY"');
  lines.push(body.length > 4096 ? '  --data-binary @body.json' : `  --data-binary ${shellQuote(body)}`);
  return lines.join(' \\\n');
}

/** The server of this model and profile, if one is running. */
export function serverFor(servers: readonly ServerInfoData[], modelPath: string | null, server: Server): ServerInfoData | null {
  return servers.find((s) => s.modelPath === modelPath && s.server === server) ?? null;
}

/**
 * A running server that only looks fine: the real server of its model, profile and MLflow version would never start,
 * so every scoring request gets 500 `E_NOT_STARTED` while the health check answers. `reason` in plain words (the
 * readiness check's), `log` the real log's line, `todo` what to do.
 */
export interface NotStartingWarning {
  title: string;
  /** What the user sees of it on this server. */
  effect: string;
  reason: string;
  log: string;
  todo: string;
}

export function notStartingWarning(info: Pick<ServerInfoData, 'server' | 'mlflowVersion' | 'wouldNotStart'>): NotStartingWarning | null {
  const w = info.wouldNotStart;
  if (w === null) return null;
  const what = wouldNotStart(info.server);
  const todo =
    w.pinnedStarts !== null
      ? `Emulate the version the model pins instead: empty the playground's MLflow field (MLflow ${w.pinnedStarts}, what Azure installs, reads this model), then restart the server.`
      : (w.fix ?? 'Fix the model first: see its Findings.');
  return {
    // "The Azure deployment …", but a command keeps its case: "mlflow models serve …"
    title: `${what.startsWith('the ') ? `The ${what.slice(4)}` : what} with MLflow ${info.mlflowVersion}`,
    effect: `This server answers its health check, but every scoring request (${info.server === 'azureml' ? '/score' : '/invocations'}) gets 500 E_NOT_STARTED.`,
    reason: w.reason,
    log: w.log,
    todo,
  };
}

/**
 * The playground emulates another MLflow version than a server it started earlier (`emulated`: the version the
 * playground resolves, null while unknown): the server goes on answering as the old one until it is restarted.
 */
export function versionChange(info: Pick<ServerInfoData, 'mlflowVersion'>, emulated: string | null): { running: string; wanted: string } | null {
  return emulated !== null && emulated !== info.mlflowVersion ? { running: info.mlflowVersion, wanted: emulated } : null;
}

type CandidateSource = NonNullable<NonNullable<RunnerEnvironmentData['python']>['chosen']>['source'];

/** Where discovery found the interpreter, in the words the control uses. */
export function pythonSourceLabel(source: CandidateSource): string {
  switch (source) {
    case 'setting':
      return 'the Python interpreter setting';
    case 'PREFLIGHT_PYTHON':
      return 'PREFLIGHT_PYTHON';
    case 'VIRTUAL_ENV':
      return 'the active virtualenv (VIRTUAL_ENV)';
    case 'CONDA_PREFIX':
      return 'the active conda env (CONDA_PREFIX)';
    case 'PATH':
      return 'PATH';
    case 'system':
      return 'the system Python';
  }
}

/** What happens without a setting, naming the variables this host actually has (e.g. "PREFLIGHT_PYTHON (/x/python), then PATH"). */
export function fallbackOrder(fallbacks: PythonInterpreterSettingData['fallbacks']): string {
  const parts: string[] = [];
  if (fallbacks.PREFLIGHT_PYTHON) parts.push(`PREFLIGHT_PYTHON (${fallbacks.PREFLIGHT_PYTHON})`);
  if (fallbacks.VIRTUAL_ENV) parts.push(`the active virtualenv (${fallbacks.VIRTUAL_ENV})`);
  if (fallbacks.CONDA_PREFIX) parts.push(`the active conda env (${fallbacks.CONDA_PREFIX})`);
  parts.push('python3 on PATH');
  return parts.join(', then ');
}

/** The interpreter line of the control: which one runs the model and why that one, or null when not known. */
export function interpreterInUse(environment: RunnerEnvironmentData | null): { path: string; version: string; source: string } | null {
  const chosen = environment?.python?.chosen ?? null;
  return chosen ? { path: chosen.path, version: chosen.version, source: pythonSourceLabel(chosen.source) } : null;
}
