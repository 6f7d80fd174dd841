/**
 * A small typed layer over Azure Resource Manager REST: bearer token per call (renewed once when ARM says it
 * expired), bounded retries of 429/5xx and dropped connections honouring Retry-After, `nextLink` paging, and
 * ARM long-running operations (azure.md §3.10): PUT → poll `Azure-AsyncOperation` (or the resource) until a
 * terminal status, then GET the original URI; DELETE/POST → poll `Location` until it stops answering 202.
 * Cancelling stops waiting only — Azure carries on, and the error says so.
 */
import { AppError, ErrorCodes } from '@shared/errors';
import type { AzureCloud } from '../cloud';
import { AzureErrorCodes, type HttpResponse, type HttpSend } from '../http';
import { ML_API_VERSION } from './api-versions';
import { armError, lroError } from './arm-errors';
import { pushAll } from '@shared/arrays';

export interface LroProgress {
  /** What is being done, e.g. "Creating deployment blue". */
  what: string;
  /** Provisioning state or operation status as Azure reports it. */
  state: string;
  elapsedMs: number;
}

export interface ArmClientOptions {
  cloud: AzureCloud;
  http: HttpSend;
  token(options: { forceRefresh: boolean }): Promise<string>;
  /** Retries of 429/5xx/connection failures per call (default 4). */
  maxRetries?: number;
  /** Backoff without Retry-After: base × 2^attempt ms (default 1000). */
  retryBaseMs?: number;
  /** Ceiling for honoured Retry-After values, seconds (default 60). */
  maxRetryAfterSeconds?: number;
  /** Poll interval when Azure sends no Retry-After (default 5000 ms). */
  pollIntervalMs?: number;
  /** Least wait between two polls of an operation, even when Azure says `Retry-After: 0` (default 1000 ms; tests lower it). */
  minPollIntervalMs?: number;
  /** Give up waiting for an operation after this long (default 60 min). */
  maxWaitMs?: number;
  /** Told before each retry wait, so a terminal or log says why nothing happens for a while (no secrets in it). */
  onRetry?: (retry: { what: string; reason: string; waitMs: number; attempt: number; of: number }) => void;
}

export interface CallOptions {
  apiVersion?: string;
  query?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface ArmAnswer<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'cancelled']);

export class ArmClient {
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryAfter: number;
  private readonly pollMs: number;
  private readonly minPollMs: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: ArmClientOptions) {
    this.retries = options.maxRetries ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.maxRetryAfter = options.maxRetryAfterSeconds ?? 60;
    this.pollMs = options.pollIntervalMs ?? 5000;
    this.minPollMs = options.minPollIntervalMs ?? DEFAULT_MIN_POLL_MS;
    this.maxWaitMs = options.maxWaitMs ?? 60 * 60_000;
  }

  url(path: string, options: CallOptions = {}): string {
    if (/^https:\/\//i.test(path)) return path;
    const u = new URL(`${this.options.cloud.armEndpoint}${path}`);
    u.searchParams.set('api-version', options.apiVersion ?? ML_API_VERSION);
    for (const [k, v] of Object.entries(options.query ?? {})) u.searchParams.set(k, v);
    return u.href;
  }

  /** One ARM call with retries and token renewal; a non-2xx answer becomes an AppError naming ARM's code. */
  async call<T>(method: string, path: string, what: string, options: CallOptions = {}): Promise<ArmAnswer<T>> {
    const url = this.url(path, options);
    let refreshed = false;
    let forceRefresh = false;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(options.signal, what);
      let r: HttpResponse;
      try {
        const token = await this.options.token({ forceRefresh });
        forceRefresh = false;
        r = await this.options.http({
          method,
          url,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'x-ms-client-request-id': crypto.randomUUID(), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        });
      } catch (err) {
        throwIfAborted(options.signal, what);
        if (err instanceof AppError && err.code === AzureErrorCodes.AZURE && attempt < this.retries) {
          const waitMs = this.retryBaseMs * 2 ** attempt;
          this.options.onRetry?.({ what, reason: err.message, waitMs, attempt: attempt + 1, of: this.retries });
          await sleep(waitMs, options.signal, what);
          continue;
        }
        throw err;
      }
      if (r.status >= 200 && r.status < 300) return { status: r.status, headers: r.headers, body: parseJson(r.text) as T };
      const { code, message } = errorOf(r);
      if (r.status === 401 && !refreshed && /ExpiredAuthenticationToken|InvalidAuthenticationToken$/.test(code)) {
        // The token expired mid-operation: get a new one (not from the cache) and repeat the call once.
        refreshed = forceRefresh = true;
        attempt--;
        continue;
      }
      if ((r.status === 429 || r.status >= 500) && attempt < this.retries) {
        const retryAfter = Number(r.headers['retry-after']);
        const waitMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter, this.maxRetryAfter) * 1000 : this.retryBaseMs * 2 ** attempt;
        this.options.onRetry?.({ what, reason: `${r.status} ${code}`, waitMs, attempt: attempt + 1, of: this.retries });
        await sleep(waitMs, options.signal, what);
        continue;
      }
      throw armError(r.status, code, message, r.headers['x-ms-request-id'] ?? r.headers['x-request-id'] ?? null, what);
    }
  }

  async get<T>(path: string, what: string, options: CallOptions = {}): Promise<T> {
    return (await this.call<T>('GET', path, what, options)).body;
  }

  /** Every item of a list, following `nextLink` (bounded, so a looping nextLink cannot hang Preflight). */
  async list<T>(path: string, what: string, options: CallOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = this.url(path, options);
    for (let page = 0; next && page < 200; page++) {
      const body: { value?: T[]; nextLink?: string } = await this.get(next, what, options);
      pushAll(items, body.value ?? []);
      next = body.nextLink || undefined;
    }
    return items;
  }

  /** PUT a resource and wait until its provisioning reaches a terminal state; returns the final resource. */
  async putAndWait<T extends { properties?: { provisioningState?: string } }>(path: string, body: unknown, what: string, options: CallOptions & { onProgress?: (p: LroProgress) => void } = {}): Promise<T> {
    const started = Date.now();
    const first = await this.call<T>('PUT', path, what, { ...options, body });
    let state = first.body?.properties?.provisioningState ?? 'Succeeded';
    options.onProgress?.({ what, state, elapsedMs: Date.now() - started });
    if (TERMINAL.has(state.toLowerCase())) return this.finish(first.body, state, what);
    const statusUrl = first.headers['azure-asyncoperation'];
    let wait = pollWaitMs(first.headers, this.pollMs, this.minPollMs);
    for (;;) {
      if (Date.now() - started > this.maxWaitMs) throw new AppError(AzureErrorCodes.AZURE, `${what}: still ${state} after ${Math.round((Date.now() - started) / 60_000)} min; Preflight stopped waiting. Azure goes on — check it later with \`preflight azure endpoints\`.`);
      await sleep(wait, options.signal, what);
      if (statusUrl) {
        const s = await this.call<{ status: string; error?: { code?: string; message?: string } }>('GET', statusUrl, what, { signal: options.signal });
        state = s.body.status;
        wait = pollWaitMs(s.headers, this.pollMs, this.minPollMs);
        options.onProgress?.({ what, state, elapsedMs: Date.now() - started });
        if (TERMINAL.has(state.toLowerCase())) {
          if (state.toLowerCase() !== 'succeeded') throw lroError(state, s.body.error?.code ?? state, s.body.error?.message ?? `the operation ended ${state}`, what);
          return this.get<T>(path, what, options);
        }
      } else {
        const g = await this.call<T>('GET', path, what, { signal: options.signal });
        state = g.body?.properties?.provisioningState ?? 'Succeeded';
        wait = pollWaitMs(g.headers, this.pollMs, this.minPollMs);
        options.onProgress?.({ what, state, elapsedMs: Date.now() - started });
        if (TERMINAL.has(state.toLowerCase())) return this.finish(g.body, state, what);
      }
    }
  }

  /** DELETE (or a POST action) answered 202 + Location: poll Location until it stops answering 202. */
  async sendAndWait(method: 'DELETE' | 'POST', path: string, what: string, options: CallOptions & { onProgress?: (p: LroProgress) => void } = {}): Promise<number> {
    return (await this.sendAndWaitForAnswer<unknown>(method, path, what, options)).status;
  }

  /** Like sendAndWait, but returns the final answer with its body (POST actions with a result, e.g. model package). */
  async sendAndWaitForAnswer<T>(method: 'DELETE' | 'POST', path: string, what: string, options: CallOptions & { onProgress?: (p: LroProgress) => void } = {}): Promise<ArmAnswer<T>> {
    const started = Date.now();
    const first = await this.call<T>(method, path, what, options);
    if (first.status !== 202) return first;
    let location = first.headers.location ?? first.headers['azure-asyncoperation'];
    if (!location) return first;
    let wait = pollWaitMs(first.headers, this.pollMs, this.minPollMs);
    for (;;) {
      if (Date.now() - started > this.maxWaitMs) throw new AppError(AzureErrorCodes.AZURE, `${what}: not finished after ${Math.round((Date.now() - started) / 60_000)} min; Preflight stopped waiting. Azure goes on.`);
      options.onProgress?.({ what, state: 'InProgress', elapsedMs: Date.now() - started });
      await sleep(wait, options.signal, what);
      const r = await this.call<T>('GET', location, what, { signal: options.signal });
      if (r.status !== 202) {
        options.onProgress?.({ what, state: 'Succeeded', elapsedMs: Date.now() - started });
        return r;
      }
      location = r.headers.location ?? location;
      wait = pollWaitMs(r.headers, this.pollMs, this.minPollMs);
    }
  }

  private finish<T>(body: T, state: string, what: string): T {
    if (state.toLowerCase() === 'succeeded') return body;
    throw lroError(state, `Provisioning${state}`, `the resource ended in provisioning state ${state}`, what);
  }
}

function errorOf(r: HttpResponse): { code: string; message: string } {
  try {
    const body = JSON.parse(r.text) as { error?: { code?: string; message?: string } };
    if (body.error?.code || body.error?.message) return { code: body.error.code ?? `Http${r.status}`, message: body.error.message ?? '(no message)' };
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): show what there is.
  }
  return { code: `Http${r.status}`, message: r.text.trim().slice(0, 300) || '(empty answer)' };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(AzureErrorCodes.AZURE, `Azure answered with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Default least wait between two polls: `Retry-After: 0` (or a 0 fallback) must not turn into a request loop. */
export const DEFAULT_MIN_POLL_MS = 1000;

/** How long to wait before the next poll: Retry-After (seconds, capped at 10 min) or `fallbackMs`, never less than `floorMs`. */
export function pollWaitMs(headers: Record<string, string | undefined>, fallbackMs: number, floorMs: number): number {
  const raw = headers['retry-after'];
  const s = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Math.max(floorMs, Number.isFinite(s) && s >= 0 ? Math.min(s, 600) * 1000 : fallbackMs);
}

function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, `Stopped waiting for: ${what}. Azure carries on with any operation already started.`);
}

function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return sleepUnlessStopped(ms, signal, () => new AppError(ErrorCodes.CANCELLED, `Stopped waiting for: ${what}. Azure carries on with any operation already started.`));
}

/** Waits `ms`; rejects with `stopped()` at once when the signal aborts (before or during the wait). */
export function sleepUnlessStopped(ms: number, signal: AbortSignal | undefined, stopped: () => Error): Promise<void> {
  if (signal?.aborted) return Promise.reject(stopped());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(stopped());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
