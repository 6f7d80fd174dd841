/**
 * The scoring server's request → reply logic over node:http, without a listening socket or an engine:
 * routing of both profiles, key auth, Azure's request-id headers, the body size limit, the run-slot
 * queue (429) and Preflight's own error answers. Two processes use it: the app process (Python-engine
 * models, `startScoringServer`) and the ONNX model process, which answers ONNX models' requests itself
 * so a request never hops between processes (see runner/onnx/serve-child.ts). One module, so both
 * answer byte for byte alike.
 *
 *   const handle = createScoringHandler(config, (body, contentType) => runner.score(…), (e) => log(e));
 *   http.createServer(handle);
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCodes, isAppError } from '@shared/errors';
import type { ServerRequestEventData } from '@shared/ipc/contract';
import type { HttpLimits } from './http-limits';
import { AZURE_INTERNAL_500, pyDumpsPlain, type ServerAnswer, type ServerKind } from '@shared/mlflow/output/responses';
import { a4QueryBody } from '@shared/mlflow/payload/azureml-get';
import { unhandled500 } from '@shared/mlflow/payload/mlflow-server';
import { hasRoute1x } from '@shared/mlflow/payload/mlflow-1x-server';
import { resolveMlflowVersion } from '@shared/mlflow/payload/version';
import { decodeBodyBytes } from '@shared/text/body-bytes';
import { formatCount } from '@shared/format-count';
import { fastApiDefaultPage } from './fastapi-pages';
import { FASTAPI_GET_ALLOW, slashRedirect } from './fastapi-routes';
import { flaskGetOk, flaskOptions, flaskPath } from './flask-routes';

/**
 * One finished request, for the app's live log (`server.request` without the server's id): no headers, bodies,
 * query strings or keys. `error` is set only on events that are no request's answer (the ONNX model process
 * crashed or hung and was restarted; `method`/`path` empty, `status` 0).
 */
export type RequestLogEvent = Omit<ServerRequestEventData, 'id'>;

export interface ScoringConfig {
  profile: ServerKind;
  /** Azure profile's key (null: MLflow profile, no auth). */
  key: string | null;
  /** The MLflow version emulated (`/version`, and FastAPI vs Flask error pages). */
  version: string;
  /** GET /swagger.json (Azure profile). */
  swagger: string;
  maxBodyBytes: number;
  maxConcurrent: number;
  maxQueue: number;
  /** Connection timeouts and cap (http-limits.ts); the same for both processes that answer. */
  limits?: HttpLimits;
}

/**
 * Runs one request's model call: the server's answer (at once, or a promise when the model runs), or an
 * AppError when Preflight cannot produce it.
 */
export type ScoreFn = (body: string, contentType: string | null) => ServerAnswer | Promise<ServerAnswer>;

/**
 * Whether anyone reads the request log right now. Asked once per request: when nobody listens, the
 * request pays for no event at all (no arrival time, no ISO date, no 'finish' listener, nothing sent).
 */
export type LogListening = () => boolean;

const ALWAYS = (): boolean => true;

interface Reply {
  status: number;
  /** Never mutated after the reply is made: the per-request headers are written after these. */
  headers: Record<string, string>;
  body: string;
  /** azmlinfsrv's `x-ms-run-fn-exec-ms` (answers of run() only), written right after `headers`. */
  execMs?: string;
}

/** Where a request's reply goes once it exists (exactly one of the two is called, once). */
interface Settle {
  reply: (reply: Reply) => void;
  fail: (err: unknown) => void;
}

/** azmlinfsrv refuses request-id headers longer than this (routes.py HEADER_LIMIT). */
const HEADER_LIMIT = 100;

// Flask/werkzeug's default error pages (2.x servers and azmlinfsrv) and Starlette's (MLflow ≥ 2.21).
const flaskPage = (code: number, title: string, text: string): string =>
  `<!doctype html>\n<html lang=en>\n<title>${code} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`;
const NOT_FOUND_TEXT = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
const METHOD_TEXT = 'The method is not allowed for the requested URL.';

/** A waiting request's client closed its connection: the request leaves the queue unrun. */
const GONE = 'gone';

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number, private readonly maxQueue: number) {}
  /**
   * true at once when a slot is free (no promise on the common path), else a promise: true (got a
   * slot), false (queue full) or GONE (the connection closed while waiting; nothing to release).
   */
  acquire(connection: Socket): true | Promise<boolean | typeof GONE> {
    if (this.active < this.max) {
      this.active++;
      return true;
    }
    return this.wait(connection);
  }
  private wait(connection: Socket): Promise<boolean | typeof GONE> {
    if (this.waiting.length >= this.maxQueue) return Promise.resolve(false);
    return new Promise((resolve) => {
      const granted = (): void => {
        connection.off('close', left);
        resolve(true);
      };
      const left = (): void => {
        const i = this.waiting.indexOf(granted);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(GONE);
      };
      this.waiting.push(granted);
      connection.once('close', left);
    });
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/**
 * Constant-time comparison of a header value with the expected secret: every character of `expected`
 * is compared whatever `given` is, so the time depends on the key's length only, not on how much of
 * it a guess got right. Plain char codes instead of SHA-256 digests + timingSafeEqual: the same
 * guarantee without two native calls and a hash on every keyed request.
 */
export function sameSecret(given: string, expected: string): boolean {
  const n = given.length;
  let diff = n ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (i < n ? given.charCodeAt(i) : 0) ^ expected.charCodeAt(i);
  return diff === 0;
}

/** A header's first value, '' when absent (Node joins most repeated headers; a few come as arrays). */
const firstValue = (h: string | string[] | undefined): string => (Array.isArray(h) ? (h[0] ?? '') : (h ?? ''));

/** Sets `name` in a flat [name, value, …] header list: replaces it in place when present, else appends. */
function putHeader(list: string[], name: string, value: string): void {
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] === name) {
      list[i + 1] = value;
      return;
    }
  }
  list.push(name, value);
}

/** The path of a request target as `new URL(target, base).pathname` gives it; "/" when it cannot be parsed. Plain paths skip the URL parser (every request pays for it). */
export function requestPath(url: string | undefined): string {
  if (url === undefined) return '/';
  if (/^\/[A-Za-z0-9._~/-]*$/.test(url) && !url.includes('/.') && !url.includes('//')) return url;
  try {
    return new URL(url, 'http://127.0.0.1').pathname;
  } catch {
    return '/';
  }
}

export function createScoringHandler(
  config: ScoringConfig,
  scoreFn: ScoreFn,
  log: (event: RequestLogEvent) => void,
  logListening: LogListening = ALWAYS,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { profile, maxBodyBytes: maxBody } = config;
  const slots = new Semaphore(config.maxConcurrent, config.maxQueue);
  const expectedAuth = config.key === null ? null : `Bearer ${config.key}`;
  const fastapi = /^(\d+)\.(\d+)/.exec(config.version);
  const isFastApi = fastapi !== null && (Number(fastapi[1]) > 2 || (Number(fastapi[1]) === 2 && Number(fastapi[2]) >= 21));
  // MLflow 1.x (mlflow-1x-server.ts): /health from 1.29, /version from 1.30; the body is decoded per content type
  const v1 = fastapi !== null && Number(fastapi[1]) < 2 ? resolveMlflowVersion(null, null, config.version) : null;

  const notFound = (): Reply =>
    profile === 'mlflow' && isFastApi
      ? { status: 404, headers: { 'content-type': 'application/json' }, body: '{"detail":"Not Found"}' }
      : { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: flaskPage(404, 'Not Found', NOT_FOUND_TEXT) };
  const notAllowed = (allow: string): Reply =>
    profile === 'mlflow' && isFastApi
      ? { status: 405, headers: { 'content-type': 'application/json', allow }, body: '{"detail":"Method Not Allowed"}' }
      : profile === 'azureml'
        ? { status: 405, headers: { 'content-type': 'application/json', allow, 'x-ms-run-function-failed': 'False' }, body: pyDumpsPlain({ message: METHOD_TEXT }) }
        : { status: 405, headers: { 'content-type': 'text/html; charset=utf-8', allow }, body: flaskPage(405, 'Method Not Allowed', METHOD_TEXT) };
  /** Preflight's own limits and failures: labelled as such, in the profile's error shape. */
  const preflightError = (status: number, code: string, message: string): Reply => ({
    status,
    headers: { 'content-type': 'application/json', 'x-preflight-error': code },
    body: pyDumpsPlain(profile === 'azureml' ? { message } : { error_code: status === 413 ? 'BAD_REQUEST' : status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'INTERNAL_ERROR', message }),
  });

  const authorized = (req: IncomingMessage): boolean => {
    const given = req.headers.authorization;
    if (typeof given !== 'string' || expectedAuth === null) return false;
    return sameSecret(given, expectedAuth);
  };

  /**
   * The reply to a body: at once when a run slot is free and the answer needs no model run (a refusal), else a
   * promise. Not async, and one `then` per step: a scoring request's promises and microtask turns are CPU the
   * minimal server does not spend (the score-throughput bench; the ONNX engine's answer has the same shape).
   */
  function score(req: IncomingMessage, body: string, contentType = req.headers['content-type'] ?? null): Reply | Promise<Reply> {
    const slot = slots.acquire(req.socket);
    if (slot === true) return runScore(body, contentType);
    return slot.then((got) => {
      // Nobody reads the answer: the model is not run, and the log says the client left (nginx's 499).
      if (got === GONE) return preflightError(499, 'E_CLIENT_GONE', 'The client closed the connection while its request waited for a run slot; the model was not run.');
      if (!got) return preflightError(429, 'E_BUSY', `Preflight's local server has ${formatCount(config.maxQueue)} requests waiting already; retry later or send fewer requests at once.`);
      return runScore(body, contentType);
    });
  }

  /** A model call that failed (its slot released): Preflight's 500. One function for every request, not one each. */
  const failed = (err: unknown): Reply => {
    slots.release();
    const code = isAppError(err) ? err.code : ErrorCodes.INTERNAL;
    const message = isAppError(err) ? err.message : 'unexpected error';
    return preflightError(500, String(code), `Preflight could not produce the server's answer: ${message}`);
  };

  /** The model call of a request that holds a run slot; the slot is released once the call has settled. */
  function runScore(body: string, contentType: string | null): Reply | Promise<Reply> {
    const started = performance.now();
    const answered = (result: ServerAnswer): Reply => {
      slots.release();
      if (result.status === 0) return preflightError(500, 'E_NOT_STARTED', `${profile === 'azureml' ? 'A real Azure deployment of this model' : 'The real mlflow models serve of this model'} would not start, so it would never answer: ${result.server_log ?? ''}`);
      // azmlinfsrv adds the run time on answers of run(), with three decimals. The answer's own headers
      // are used as they are (not copied): the per-request ones go straight into the written list.
      const execMs = profile === 'azureml' && result.status === 200 ? (performance.now() - started).toFixed(3) : undefined;
      return { status: result.status, headers: result.headers, body: result.body_text, execMs };
    };
    let result: ServerAnswer | Promise<ServerAnswer>;
    try {
      result = scoreFn(body, contentType);
    } catch (err) {
      return failed(err);
    }
    return result instanceof Promise ? result.then(answered, failed) : answered(result);
  }

  /**
   * The body, read only on the routes that take one, then scored (or the 413 that replaced it), handed to `settle`.
   * A callback, not a promise of the reply: the body arrives later anyway, and a promise around the score's own
   * would cost a promise, its resolving functions and a microtask turn per request (the score-throughput bench).
   */
  function scoreBody(req: IncomingMessage, settle: Settle): void {
    readBody(
      req,
      (b) => {
        if (typeof b !== 'string') return settle.reply(b);
        let r: Reply | Promise<Reply>;
        try {
          r = score(req, b);
        } catch (err) {
          return settle.fail(err);
        }
        if (r instanceof Promise) r.then(settle.reply, settle.fail);
        else settle.reply(r);
      },
      settle.fail,
    );
  }

  /** Azure's `GET /score?input_data=…`: the query string read as A4 reads it (azureml-get.ts), then scored as that JSON body. */
  function scoreQuery(req: IncomingMessage): Reply | Promise<Reply> {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const parsed = a4QueryBody(q < 0 ? '' : url.slice(q + 1));
    if (!parsed.ok) return { status: 500, headers: { 'content-type': 'application/json', 'x-ms-run-function-failed': 'False' }, body: pyDumpsPlain(AZURE_INTERNAL_500) };
    return score(req, parsed.body, 'application/json');
  }

  /**
   * The reply for a request: at once for the routes that need no body, a promise for a query that scores, or null when
   * the body is read and scored: `settle` then gets the reply (or the failure). Not async: a health check or a 401 then
   * costs no promise, and a scoring request none of its own.
   */
  function route(req: IncomingMessage, path: string, settle: Settle): Reply | Promise<Reply> | null {
    const method = req.method ?? 'GET';
    if (profile === 'mlflow') {
      // Starlette's Route adds HEAD to a GET route (FastAPI server, ≥ 2.21): its 405 allows "GET, HEAD" (fastapi-routes.ts);
      // werkzeug does too (Flask servers), and matches its own path: leading slashes merged, percent-decoded (flask-routes.ts)
      const getOk = isFastApi ? method === 'GET' || method === 'HEAD' : flaskGetOk(method);
      const allowGet = isFastApi ? FASTAPI_GET_ALLOW : 'GET';
      const at = isFastApi ? path : flaskPath(req.url);
      if (v1 !== null && !hasRoute1x(v1, at)) return notFound();
      if (!isFastApi && method === 'OPTIONS' && (at === '/ping' || at === '/health' || at === '/version' || at === '/invocations'))
        return flaskOptions(at === '/invocations' ? 'OPTIONS, POST' : 'GET, HEAD, OPTIONS');
      if (at === '/ping' || at === '/health') return getOk ? { status: 200, headers: { 'content-type': 'application/json' }, body: '\n' } : notAllowed(allowGet);
      if (at === '/version') return getOk ? { status: 200, headers: { 'content-type': 'application/json' }, body: config.version } : notAllowed(allowGet);
      if (at === '/invocations') {
        if (method !== 'POST') return notAllowed('POST');
        scoreBody(req, settle);
        return null;
      }
      if (!isFastApi) return notFound();
      const page = fastApiDefaultPage(at);
      if (page !== null) return getOk ? { status: 200, headers: { 'content-type': page.contentType }, body: page.body } : notAllowed(allowGet);
      const location = slashRedirect(req, at);
      return location === null ? notFound() : { status: 307, headers: { location }, body: '' };
    }
    if (path === '/') return method === 'GET' ? { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: 'Healthy' } : notAllowed('GET');
    if (path === '/score' || path === '/swagger.json') {
      // Key auth is the endpoint gateway's job; the text is what users report from it (MicrosoftDocs/azure-docs#98265), not verified live.
      if (!authorized(req)) return { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }, body: 'key_auth_access_denied' };
      if (path === '/swagger.json') return method === 'GET' ? { status: 200, headers: { 'content-type': 'application/json' }, body: config.swagger } : notAllowed('GET');
      if (method === 'OPTIONS') return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'x-ms-run-function-failed': 'False' }, body: '' };
      if (method !== 'POST' && method !== 'GET') return notAllowed('GET, POST, OPTIONS');
      if (method === 'GET') return scoreQuery(req);
      scoreBody(req, settle);
      return null;
    }
    return notFound();
  }

  /**
   * The request body as text, or a 413 reply once it passes the limit, to `done` (once); UTF-8, BOM kept (the servers
   * keep it). Callbacks, not a promise, and exactly one of them called once (see scoreBody).
   */
  function readBody(req: IncomingMessage, done: (body: string | Reply) => void, failed: (err: unknown) => void): void {
    const tooBig = (): Reply => preflightError(413, 'E_TOO_LARGE', `The request body is larger than Preflight's local limit of ${formatCount(maxBody)} bytes. Send fewer rows per request.`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) return done(tooBig());
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    // Once the body (or its 413) is handed on, a late 'error' is nobody's answer: exactly one call reaches the caller.
    let handed = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > maxBody) {
        over = true;
        handed = true;
        chunks.length = 0;
        done(tooBig());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (over || handed) return;
      handed = true;
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      // MLflow's Flask server decodes the body first, before any content-type check
      // (S1 `invocations(flask.request.data.decode("utf-8"), …)`): bytes that are not UTF-8 raise
      // UnicodeDecodeError, unhandled → Flask's HTML 500 for every content type (docs/fidelity.md).
      if (profile === 'mlflow' && !isFastApi && v1 === null && !isUtf8(bytes)) {
        const o = unhandled500(resolveMlflowVersion(null, null, config.version), "UnicodeDecodeError: 'utf-8' codec can't decode the request body");
        done({ status: o.status, headers: { 'content-type': o.bodyContentType ?? 'text/html; charset=utf-8' }, body: o.body as string });
        return;
      }
      // Azure's parser and MLflow's FastAPI server (≥ 2.21) json.loads the bytes (UTF-16/32 too, bad UTF-8 their
      // own answer: azureml-body.ts, fastapi-body.ts): keep them
      done((profile === 'azureml' || (profile === 'mlflow' && (isFastApi || v1 !== null))) && !isUtf8(bytes) ? decodeBodyBytes(bytes) : bytes.toString('utf8'));
    });
    req.on('error', (err) => {
      if (handed) return;
      handed = true;
      failed(err);
    });
  }

  /**
   * Azure's request-id headers (routes.py `_init_headers` / `populate_response_headers`) appended to
   * `headers`; a 431 reply instead when the client's ids are too long.
   */
  function azureRequestHeaders(req: IncomingMessage, headers: string[]): Reply | null {
    const h = req.headers;
    const requestId = firstValue(h['x-request-id']) || randomUUID();
    if (requestId.length > HEADER_LIMIT) return { status: 431, headers: { 'content-type': 'application/json', 'x-ms-run-function-failed': 'False' }, body: pyDumpsPlain({ message: `x-request-id must not exceed ${HEADER_LIMIT} characters` }) };
    let legacy = firstValue(h['x-ms-request-id']);
    let client = firstValue(h['x-ms-client-request-id']);
    if (legacy) client = client || legacy;
    else legacy = client || requestId;
    if (legacy.length > HEADER_LIMIT || client.length > HEADER_LIMIT) {
      return { status: 431, headers: { 'content-type': 'application/json', 'x-ms-run-function-failed': 'False' }, body: pyDumpsPlain({ message: `x-ms-request-id and x-ms-client-request-id must not exceed ${HEADER_LIMIT} characters` }) };
    }
    putHeader(headers, 'x-request-id', requestId);
    putHeader(headers, 'x-ms-request-id', legacy);
    if (client) putHeader(headers, 'x-ms-client-request-id', client);
    // The endpoint gateway names the deployment that answered; there is one locally.
    putHeader(headers, 'azureml-model-deployment', firstValue(h['azureml-model-deployment']) || 'default');
    return null;
  }

  /** The reply's headers as the flat list writeHead takes: its own, then the run time. */
  function ownHeaders(reply: Reply): string[] {
    const headers: string[] = [];
    for (const k in reply.headers) headers.push(k, reply.headers[k]!);
    if (reply.execMs !== undefined) putHeader(headers, 'x-ms-run-fn-exec-ms', reply.execMs);
    return headers;
  }

  /** What is written for a routed reply: Azure's ids follow its own headers; a 431 (ids too long) replaces it. */
  function withRequestIds(req: IncomingMessage, reply: Reply): { reply: Reply; headers: string[] } {
    const headers = ownHeaders(reply);
    if (profile !== 'azureml') return { reply, headers };
    const refused = azureRequestHeaders(req, headers);
    return refused ? { reply: refused, headers: ownHeaders(refused) } : { reply, headers };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Arrival time and date only for a log someone reads (see LogListening).
    const logged = logListening();
    const arrived = logged ? performance.now() : 0;
    const time = logged ? new Date().toISOString() : '';
    const path = requestPath(req.url);
    const settle: Settle = {
      reply: (reply) => respond(req, res, path, reply, null, arrived, time, logged),
      fail: (err) => respond(req, res, path, null, err, arrived, time, logged),
    };
    let routed: Reply | Promise<Reply> | null;
    try {
      routed = route(req, path, settle);
    } catch (err) {
      settle.fail(err);
      return;
    }
    if (routed === null) return;
    if (routed instanceof Promise) routed.then(settle.reply, settle.fail);
    else settle.reply(routed);
  }

  /** Writes `routed` (with Azure's ids) or, when routing failed, Preflight's 500 (without them). */
  function respond(req: IncomingMessage, res: ServerResponse, path: string, routed: Reply | null, failure: unknown, arrived: number, time: string, logged: boolean): void {
    let written: { reply: Reply; headers: string[] } | null = null;
    if (routed !== null) {
      try {
        written = withRequestIds(req, routed);
      } catch (err) {
        failure = err;
      }
    }
    if (written === null) {
      const failed = preflightError(500, ErrorCodes.INTERNAL, `Preflight's server failed: ${failure instanceof Error ? failure.message : String(failure)}`);
      written = { reply: failed, headers: ownHeaders(failed) };
    }
    const { reply, headers } = written;
    // The text goes to res.end as it is: Node then writes head and body as one string, with no Buffer
    // copy of the body first. The length header counts the same UTF-8 bytes.
    // One writeHead with the whole list: the same headers, in the same order, as setHeader one by one,
    // without building Node's header map first (measurable at thousands of requests per second).
    headers.push('content-length', String(Buffer.byteLength(reply.body, 'utf8')));
    // An oversized body is not read to the end: close the connection instead of draining it.
    if (reply.status === 413) headers.push('connection', 'close');
    res.writeHead(reply.status, headers);
    if (logged) {
      res.on('finish', () => {
        log({ time, method: req.method ?? 'GET', path, status: reply.status, ms: Math.round((performance.now() - arrived) * 1000) / 1000 });
      });
    }
    res.end(reply.body, 'utf8');
    if (reply.status === 413) req.resume();
  }

  return handle;
}
