import type { PythonInterpreterSettingData, RunnerEnvironmentData, RunResultData, ServerInfoData, ServerRequestEventData } from '../../../../../shared/ipc/contract';
import { editorBody } from '../../../lib/editor-body';
import { SERVER_PROFILES, type Server } from '../../../lib/server-profiles';

export { editorBody };

/** Pure state helpers and derivations for the Run tab; no React, no store access (unit-tested). */

export type { Server };
/** The server profiles (shared with the Request tab). */
export const SERVERS = SERVER_PROFILES;

/** The request log keeps this many lines per server, newest first. */
export const LOG_LIMIT = 200;

/** The user's request for one model on one profile; kept while they switch tabs, profiles and models. */
export interface Draft {
  body: string;
  contentType: string;
  /** false while it is the untouched sample (a fresh sample may replace it). */
  edited: boolean;
}

/** One line of a server's live log: the `server.request` event without the server id. */
export type LogLine = Omit<ServerRequestEventData, 'id'>;

export const draftKey = (modelPath: string, server: Server): string => `${server}\u0000${modelPath}`;



/** Samples fill the drafts the user has not edited; edited ones are kept as they are. */
export function withSamples(
  drafts: Readonly<Record<string, Draft>>,
  modelPath: string,
  samples: Record<Server, { body: string; contentType: string }>,
): Record<string, Draft> {
  const next = { ...drafts };
  for (const s of SERVERS) {
    const key = draftKey(modelPath, s.id);
    if (next[key]?.edited) continue;
    const sample = samples[s.id];
    next[key] = { body: editorBody(sample.body, sample.contentType), contentType: sample.contentType, edited: false };
  }
  return next;
}

/** A new log line on top; older ones beyond the limit dropped. */
export function appendLog(log: readonly LogLine[] | undefined, line: LogLine, limit = LOG_LIMIT): LogLine[] {
  const prev = log ?? [];
  return [line, ...(prev.length >= limit ? prev.slice(0, limit - 1) : prev)];
}

export type Tone = 'ok' | 'warning' | 'error' | 'muted';

export function statusTone(status: number): Tone {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 400 && status < 500) return 'warning';
  if (status === 0) return 'muted';
  return 'error';
}

/** The status line: code, a short meaning, and for Azure's 500s whether the scoring script failed. */
export function statusText(result: Pick<RunResultData, 'status' | 'headers'>): string {
  const { status, headers } = result;
  if (status === 0) return 'no answer — the deployment would not start';
  const reason: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 500: 'Internal Server Error' };
  const failed = headers['x-ms-run-function-failed'] === 'True' ? ' (the scoring script failed)' : '';
  return `${status} ${reason[status] ?? ''}`.trim() + failed;
}

/** Headers worth showing: the ones the servers decide (per-request ids are added by a live server only). */
export function headersThatMatter(headers: Readonly<Record<string, string>>): [string, string][] {
  const order = ['content-type', 'x-ms-run-function-failed', 'allow', 'www-authenticate'];
  return Object.entries(headers).sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
}

/** The body as the result panel shows it: indented JSON (NaN etc. as Python wrote them), or the text itself. */
export function prettyBody(result: Pick<RunResultData, 'body_text' | 'headers'>): string {
  const ct = result.headers['content-type'] ?? '';
  return /json/i.test(ct) ? editorBody(result.body_text, ct) : result.body_text;
}

/** The engine and loader in one line, e.g. "Python · pickle-direct · /usr/bin/python3". */
export function engineLabel(result: Pick<RunResultData, 'engine' | 'loader'>): string | null {
  if (!result.engine) return null;
  const parts = [result.engine === 'onnx' ? 'ONNX' : 'Python'];
  if (result.loader) parts.push(result.loader.name);
  if (result.loader?.interpreter) parts.push(result.loader.interpreter);
  return parts.join(' · ');
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
