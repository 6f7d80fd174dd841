import { verdict, type VerdictTarget } from '@shared/compare/verdict';
import { maskHeaderValue, targetName, type TargetSpec } from '@shared/compare/targets';
import { ErrorCodes } from '@shared/errors';
import type { CompareResultData, TargetResultData } from '@shared/ipc/compare-contract';
import type { CallInput } from '@shared/ipc/contract';
import { versionTextSpeaksMlflow1, wouldNotStart, type ConvertTarget } from '@shared/mlflow/payload';
import type { AzureScoring } from '../../ports/azure-scoring';
import type { PayloadService } from '../payload/payload-service';
import type { RunnerService } from '../runner/runner-service';
import { answeredJson, sendHttp, type HttpAnswer } from './http-target';
import { askMlflowVersion, type AskedVersion } from './mlflow-url-version';
import { rootCauseOf } from './root-cause';

/**
 * `compare.*` and `preflight compare` (issue 10): one request sent to every target — the local runner on
 * Azure ML's or MLflow's profile, or any URL that speaks for one of them — converted to each target's form
 * by the payload engine, and a verdict over the answers. Header values that are secrets go to URL targets
 * only; what comes back shows them as a placeholder, and nothing here logs a header.
 */

/** `compare.run`'s request (defaults applied) without the caller's `opId`. */
export type CompareInput = Omit<CallInput<'compare', 'run'>, 'opId'> & {
  /** Mismatching rows listed per output in the verdict (all are counted); default 100. A replay asks for every row. */
  maxMismatchRows?: number;
  /** MLflow URL targets' answers to GET /version by URL, shared by the runs of one replay (asked once, not per request). */
  askedVersions?: Map<string, Promise<AskedVersion>>;
};

/**
 * Forms each server accepts as they are (payloads.md §3, §4.1: Azure refuses records inside input_data); an MLflow
 * 1.x server (the model pins 1.x, or --mlflow-version says so) reads bare pandas bodies instead of the 2.x envelopes
 * (docs/fidelity.md §15).
 */
const ACCEPTS: Record<'azureml' | 'mlflow' | 'mlflow1', ReadonlySet<string>> = {
  azureml: new Set(['azureml_split', 'azureml_tensor', 'azureml_named']),
  mlflow: new Set(['dataframe_split', 'dataframe_records', 'instances', 'inputs', 'csv', 'llm']),
  mlflow1: new Set(['mlflow1_split', 'mlflow1_records', 'instances', 'inputs', 'csv']),
};

/** The form to convert to, or null to send the body as written. */
function conversionFor(server: 'azureml' | 'mlflow', from: string | null, mlflow1: boolean): ConvertTarget | null {
  if (from === null || ACCEPTS[server === 'mlflow' && mlflow1 ? 'mlflow1' : server].has(from)) return null;
  if (server === 'azureml') return 'azureml';
  if (from === 'azureml_tensor' || from === 'azureml_named') return 'inputs';
  return mlflow1 ? 'mlflow1_split' : 'dataframe_split';
}

/** The forms one target reads: its profile, and for MLflow the version whose protocol decides (null: the runner's). */
interface Form {
  server: 'azureml' | 'mlflow';
  mlflow1: boolean;
  /** The version the body is converted for (the URL target's own, when it said); null: the request's override or the pin. */
  version: string | null;
  /** Why these forms, when it is worth saying (a URL target's version). */
  notes: string[];
}

interface Prepared {
  body: string;
  contentType: string | null;
  converted: boolean;
  from: string | null;
  to: string | null;
  warnings: TargetResultData['request']['warnings'];
  notes: string[];
  error: { code: string; message: string } | null;
}

function fromConversion(c: Extract<Awaited<ReturnType<PayloadService['convert']>>, { ok: true }>, to: ConvertTarget): Prepared {
  return { body: c.body, contentType: c.contentType, converted: true, from: c.from, to, warnings: c.warnings, notes: c.notes, error: null };
}

/** A signal that aborts when the caller cancels or after `timeoutMs`; `timedOut()` tells the two apart. */
function withDeadline(timeoutMs: number, outer?: AbortSignal): { signal: AbortSignal; timedOut: () => boolean; done: () => void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  outer?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Azure statuses whose explanation (invoke.ts `explainScoringStatus`: the Azure tab's Invoke shows the same) names the
 * cause better than the answer's body: every status it has its own text for. A 500's body is one generic line
 * ("An unexpected error occurred in scoring script"); a 400's explanation says how to check the body locally.
 */
const AZURE_EXPLAINED = new Set([400, 401, 404, 408, 424, 429, 500, 502, 503]);

export class CompareService {
  constructor(private readonly deps: { payload: Pick<PayloadService, 'convert'>; runner: Pick<RunnerService, 'predict'>; azure?: AzureScoring }) {}

  async run(input: CompareInput, options: { signal?: AbortSignal } = {}): Promise<CompareResultData> {
    // Learn the body's form once (converting to azureml reports `from` whatever the target).
    const probe = await this.deps.payload.convert({ body: input.body, contentType: input.contentType, to: 'azureml', modelPath: input.modelPath, mlflowVersion: input.mlflowVersion ?? null }, options);
    const from = probe.ok ? probe.from : null;
    // The MLflow targets' protocol: the version the local runner emulates (the override, else the model's pin).
    const emulated = probe.ok ? (probe.mlflow_version ?? null) : null;
    const mlflow1 = emulated?.behaviour === '1.x';
    const unreadable = probe.ok ? null : `the body is not a request either server reads (${probe.error.message}); sent as written, so each server's refusal can be compared`;
    const prepared = new Map<string, Promise<Prepared>>();
    const prepare = (form: Form): Promise<Prepared> => {
      const key = `${form.server}:${form.mlflow1}:${form.version ?? ''}`;
      let p = prepared.get(key);
      if (!p) {
        // The probe already wrote the body as Azure's input_data: a second conversion would only repeat it.
        p = form.server === 'azureml' && probe.ok && conversionFor(form.server, from, form.mlflow1) === 'azureml' ? Promise.resolve(fromConversion(probe, 'azureml')) : this.prepare(input, form, from, unreadable, options.signal);
        prepared.set(key, p);
      }
      return p;
    };
    // One question per URL per run (two targets at one URL share it); a replay shares it over its runs.
    const asked = input.askedVersions ?? new Map<string, Promise<AskedVersion>>();
    const userHeaders = Object.fromEntries(input.headers.map((h) => [h.name.toLowerCase(), h.value]));
    const formOf = async (spec: TargetSpec): Promise<Form> => {
      const local: Form = { server: spec.server, mlflow1, version: null, notes: [] };
      if (spec.kind !== 'url' || spec.server !== 'mlflow') return local;
      // A URL's MLflow runs what it runs, not the model's pin: ask it (mlflow-url-version.ts).
      let asking = asked.get(spec.url);
      if (!asking) asked.set(spec.url, (asking = askMlflowVersion(spec.url, userHeaders, options.signal)));
      const answer = await asking;
      // No answer at all (refused, timed out) is asked again by the next run of a replay: the server may be starting.
      if ('why' in answer && !answer.answered) asked.delete(spec.url);
      const why = !emulated ? '' : emulated.source === 'override' ? ' (chosen instead of the pin)' : emulated.source === 'default' ? ' (the model names none: the newest known)' : " (the model's pin)";
      if ('why' in answer) return { ...local, notes: [`${answer.why}: the body is written for MLflow ${emulated?.version ?? 'the local runner\'s version'}, the version the local runner emulates${why}.`] };
      const v = answer.version;
      const notes = [`GET /version (sent with this request's headers): this server runs MLflow ${v}, so the body is written in the forms MLflow ${v} reads.`];
      if (emulated && emulated.version !== v && input.targets.some((t) => t.kind === 'local'))
        notes.push(`The local runner emulates MLflow ${emulated.version}${why}: where the two versions' rules differ, so may their answers. To compare like with like, emulate ${v} (the playground's MLflow field; --mlflow-version ${v} on the command line).`);
      return { server: 'mlflow', mlflow1: versionTextSpeaksMlflow1(v), version: v, notes };
    };
    const targets = await Promise.all(
      input.targets.map(async (spec) => {
        const form = await formOf(spec);
        const p = await prepare(form);
        return this.runTarget(input, spec, form.notes.length ? { ...p, notes: [...form.notes, ...p.notes] } : p, options.signal);
      }),
    );
    const v = verdict(
      targets.map((t): VerdictTarget => ({
        name: t.name,
        status: t.response?.status ?? null,
        body: t.response?.body ?? null,
        json: t.response?.json ?? true,
        detail: t.rootCause ?? t.error?.message ?? null,
      })),
      { tolerance: input.tolerance, ...(input.perOutput ? { perOutput: input.perOutput } : {}), ...(input.maxMismatchRows ? { maxRows: input.maxMismatchRows } : {}) },
    );
    return { targets, verdict: v };
  }

  private async prepare(input: CompareInput, form: Form, from: string | null, unreadable: string | null, signal?: AbortSignal): Promise<Prepared> {
    const { server } = form;
    const to = conversionFor(server, from, form.mlflow1);
    const asWritten: Prepared = { body: input.body, contentType: input.contentType, converted: false, from, to: null, warnings: [], notes: unreadable ? [unreadable] : [], error: null };
    if (to === null) return asWritten;
    const c = await this.deps.payload.convert({ body: input.body, contentType: input.contentType, to, modelPath: input.modelPath, mlflowVersion: form.version ?? input.mlflowVersion ?? null }, { signal });
    if (!c.ok) return { ...asWritten, to, error: { code: 'E_CONVERSION', message: `the request cannot be written as ${to} for ${server}: ${c.error.message}${c.error.path ? ` (at ${c.error.path})` : ''}` } };
    return fromConversion(c, to);
  }

  private async runTarget(input: CompareInput, spec: TargetSpec, p: Prepared, signal?: AbortSignal): Promise<TargetResultData> {
    const name = targetName(spec);
    const sentHeaders: Record<string, string> = p.contentType ? { 'content-type': p.contentType } : {};
    const realHeaders = { ...sentHeaders };
    if (spec.kind === 'url') {
      for (const h of input.headers) {
        realHeaders[h.name.toLowerCase()] = h.value;
        sentHeaders[h.name.toLowerCase()] = maskHeaderValue(h.name, h.value);
      }
    }
    if (spec.kind === 'azure') return this.runAzure(input, spec, name, sentHeaders, p, signal);
    const url = spec.kind === 'url' ? spec.url : spec.server === 'azureml' ? 'local runner: POST /score (Azure ML profile)' : 'local runner: POST /invocations (MLflow profile)';
    const request: TargetResultData['request'] = { method: 'POST', url, headers: sentHeaders, body: p.body, converted: p.converted, from: p.from, to: p.to, warnings: p.warnings, notes: p.notes };
    const noAnswer = (error: { code: string; message: string }): TargetResultData => ({ name, spec, request, response: null, error, rootCause: null, serverLog: null, runner: null });
    if (p.error) return noAnswer(p.error);

    if (spec.kind === 'url') {
      const o = await sendHttp({ url: spec.url, headers: realHeaders, body: p.body, timeoutMs: input.timeoutMs, signal });
      if (!o.ok) return noAnswer({ code: o.code, message: o.message });
      return { name, spec, request, response: o.answer, error: null, rootCause: rootCauseOf(o.answer, null), serverLog: null, runner: null };
    }
    const local = await this.runLocal(input, spec.server, p, signal);
    if ('error' in local) return noAnswer(local.error);
    return { name, spec, request, response: local.answer, error: null, rootCause: rootCauseOf(local.answer, local.serverLog), serverLog: local.serverLog, runner: local.runner };
  }

  /**
   * An online endpoint of the signed-in workspace, called through the AzureScoring port: the key or Entra token
   * is added there and never seen here; the request shows where it went and a placeholder for the secret.
   */
  private async runAzure(input: CompareInput, spec: Extract<TargetSpec, { kind: 'azure' }>, name: string, sentHeaders: Record<string, string>, p: Prepared, signal?: AbortSignal): Promise<TargetResultData> {
    const headers: Record<string, string> = { ...sentHeaders, ...(spec.deployment ? { 'azureml-model-deployment': spec.deployment } : {}) };
    const request: TargetResultData['request'] = { method: 'POST', url: `scoring URI of endpoint ${spec.endpoint} (signed-in workspace)`, headers, body: p.body, converted: p.converted, from: p.from, to: p.to, warnings: p.warnings, notes: p.notes };
    const noAnswer = (error: { code: string; message: string }): TargetResultData => ({ name, spec, request, response: null, error, rootCause: null, serverLog: null, runner: null });
    if (p.error) return noAnswer(p.error);
    if (!this.deps.azure) return noAnswer({ code: 'E_AZURE_UNAVAILABLE', message: `${name} needs Azure: sign in (the Azure tab, or \`preflight azure login\`) and pick a workspace.` });
    // One deadline for the whole call (endpoint lookup, key or token, scoring), like a URL target's.
    const deadline = withDeadline(input.timeoutMs, signal);
    try {
      const a = await this.deps.azure.score({ endpoint: spec.endpoint, deployment: spec.deployment, body: p.body, contentType: p.contentType, timeoutMs: input.timeoutMs, signal: deadline.signal });
      request.url = a.scoringUri;
      headers.authorization = a.authMode === 'AADToken' ? 'Bearer <hidden: Entra token for https://ml.azure.com>' : 'Bearer <hidden: endpoint key>';
      const answer: HttpAnswer = { status: a.status, headers: a.headers, body_text: a.body_text, body: a.body, json: answeredJson(a.body, a.body_text), latency_ms: a.latency_ms };
      // Azure's own statuses say more than the body (a 424's body is one generic line; the reason is in headers).
      const cause = rootCauseOf(answer, null);
      const rootCause = AZURE_EXPLAINED.has(a.status) || !cause ? (a.explanation ?? cause) : cause;
      return { name, spec, request, response: answer, error: null, rootCause, serverLog: null, runner: null };
    } catch (err) {
      if (deadline.timedOut()) return noAnswer({ code: 'E_TIMEOUT', message: `${name}: no answer within ${input.timeoutMs} ms (raise the timeout, or send fewer rows; Azure itself answers 408 after the deployment's request_timeout_ms).` });
      if (signal?.aborted) return noAnswer({ code: 'E_CANCELLED', message: 'cancelled' });
      const e = err as { code?: string; message?: string };
      return noAnswer({ code: e.code ?? 'E_AZURE', message: `${name}: ${e.message ?? String(err)}` });
    } finally {
      deadline.done();
    }
  }

  private async runLocal(
    input: CompareInput,
    server: 'azureml' | 'mlflow',
    p: Prepared,
    signal?: AbortSignal,
  ): Promise<{ answer: HttpAnswer; serverLog: string | null; runner: TargetResultData['runner'] } | { error: { code: string; message: string } }> {
    const deadline = withDeadline(input.timeoutMs, signal);
    const started = performance.now();
    try {
      const r = await this.deps.runner.predict(
        { modelPath: input.modelPath, body: p.body, contentType: p.contentType, server, mlflowVersion: input.mlflowVersion ?? null },
        { signal: deadline.signal },
      );
      const latency = Math.round((performance.now() - started) * 1000) / 1000;
      if (r.status === 0) return { error: { code: 'E_NO_DEPLOYMENT', message: r.server_log ?? wouldNotStart(server) } };
      const json = answeredJson(r.body, r.body_text);
      return {
        answer: { status: r.status, headers: r.headers, body_text: r.body_text, body: r.body, json, latency_ms: latency },
        serverLog: r.server_log,
        runner: { engine: r.engine, loader: r.loader?.name ?? null, interpreter: r.loader?.interpreter ?? null },
      };
    } catch (err) {
      if (deadline.timedOut()) return { error: { code: 'E_TIMEOUT', message: `the local runner gave no answer within ${input.timeoutMs} ms (the first run loads the model; raise the timeout)` } };
      const e = err as { code?: string; message?: string };
      // An untrusted folder is the caller's question to ask (the app asks once and sends again), not a target's answer.
      if (e.code === ErrorCodes.UNTRUSTED) throw err;
      return { error: { code: e.code ?? 'E_INTERNAL', message: e.message ?? String(err) } };
    } finally {
      deadline.done();
    }
  }
}
