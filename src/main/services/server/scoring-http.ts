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
import * as nodeCrypto from 'node:crypto';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCodes, isAppError } from '../../../shared/errors';
import { pyDumpsPlain, type ServerAnswer, type ServerProfile } from '../../../shared/mlflow/output/responses';

/** One finished request, for the app's live log. No headers, bodies, query strings or keys. */
export interface RequestLogEvent {
  /** ISO time the request arrived. */
  time: string;
  method: string;
  path: string;
  status: number;
  /** Milliseconds from arrival to the last byte of the answer. */
  ms: number;
  /**
   * Set only on events that are not one request's answer: the ONNX model process crashed or hung and
   * was restarted (`method` and `path` are then empty, `status` 0: the requests in flight got no answer).
   */
  error?: string;
}

export interface ScoringConfig {
  profile: ServerProfile;
  /** Azure profile's key (null: MLflow profile, no auth). */
  key: string | null;
  /** The MLflow version emulated (`/version`, and FastAPI vs Flask error pages). */
  version: string;
  /** GET /swagger.json (Azure profile). */
  swagger: string;
  maxBodyBytes: number;
  maxConcurrent: number;
  maxQueue: number;
}

/** Runs one request's model call: the server's answer, or an AppError when Preflight cannot produce it. */
export type ScoreFn = (body: string, contentType: string | null) => Promise<ServerAnswer>;

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** azmlinfsrv refuses request-id headers longer than this (routes.py HEADER_LIMIT). */
const HEADER_LIMIT = 100;

// Flask/werkzeug's default error pages (2.x servers and azmlinfsrv) and Starlette's (MLflow ≥ 2.21).
const flaskPage = (code: number, title: string, text: string): string =>
  `<!doctype html>\n<html lang=en>\n<title>${code} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`;
const NOT_FOUND_TEXT = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
const METHOD_TEXT = 'The method is not allowed for the requested URL.';

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number, private readonly maxQueue: number) {}
  /** true at once when a slot is free (no promise on the common path), else a promise (false: queue full). */
  acquire(): boolean | Promise<boolean> {
    if (this.active < this.max) {
      this.active++;
      return true;
    }
    return this.wait();
  }
  private async wait(): Promise<boolean> {
    if (this.waiting.length >= this.maxQueue) return false;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true;
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/**
 * SHA-256 of a header value. The one-shot `crypto.hash` (Node ≥ 20.12) costs half of
 * createHash().update().digest(), and every keyed request pays it; older Node keeps the long form.
 */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;
const digest = (s: string): Buffer => (oneShot ? oneShot('sha256', s, 'buffer') : createHash('sha256').update(s, 'utf8').digest());

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

export function createScoringHandler(config: ScoringConfig, scoreFn: ScoreFn, log: (event: RequestLogEvent) => void): (req: IncomingMessage, res: ServerResponse) => void {
  const { profile, maxBodyBytes: maxBody } = config;
  const slots = new Semaphore(config.maxConcurrent, config.maxQueue);
  const keyDigest = config.key === null ? null : digest(`Bearer ${config.key}`);
  const fastapi = /^(\d+)\.(\d+)/.exec(config.version);
  const isFastApi = fastapi !== null && (Number(fastapi[1]) > 2 || (Number(fastapi[1]) === 2 && Number(fastapi[2]) >= 21));

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
    if (typeof given !== 'string' || keyDigest === null) return false;
    return timingSafeEqual(digest(given), keyDigest);
  };

  async function score(req: IncomingMessage, body: string): Promise<Reply> {
    const slot = slots.acquire();
    if (!(slot === true || (await slot))) {
      return preflightError(429, 'E_BUSY', `Preflight's local server has ${config.maxQueue} requests waiting already; retry later or send fewer requests at once.`);
    }
    const started = performance.now();
    let result: ServerAnswer;
    try {
      result = await scoreFn(body, req.headers['content-type'] ?? null);
    } catch (err) {
      const code = isAppError(err) ? err.code : ErrorCodes.INTERNAL;
      const message = isAppError(err) ? err.message : 'unexpected error';
      return preflightError(500, String(code), `Preflight could not produce the server's answer: ${message}`);
    } finally {
      slots.release();
    }
    if (result.status === 0) return preflightError(500, 'E_NOT_STARTED', `A real Azure deployment of this model would not start, so it would never answer: ${result.server_log ?? ''}`);
    const headers = { ...result.headers };
    // azmlinfsrv adds the run time on answers of run(), with three decimals.
    if (profile === 'azureml' && result.status === 200) headers['x-ms-run-fn-exec-ms'] = (performance.now() - started).toFixed(3);
    return { status: result.status, headers, body: result.body_text };
  }

  async function route(req: IncomingMessage, path: string, body: () => Promise<string | Reply>): Promise<Reply> {
    const method = req.method ?? 'GET';
    if (profile === 'mlflow') {
      if (path === '/ping' || path === '/health') return method === 'GET' ? { status: 200, headers: { 'content-type': 'application/json' }, body: '\n' } : notAllowed('GET');
      if (path === '/version') return method === 'GET' ? { status: 200, headers: { 'content-type': 'application/json' }, body: config.version } : notAllowed('GET');
      if (path === '/invocations') {
        if (method !== 'POST') return notAllowed('POST');
        const b = await body();
        return typeof b === 'string' ? score(req, b) : b;
      }
      return notFound();
    }
    if (path === '/') return method === 'GET' ? { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: 'Healthy' } : notAllowed('GET');
    if (path === '/score' || path === '/swagger.json') {
      // Key auth is the endpoint gateway's job; the text is what users report from it (MicrosoftDocs/azure-docs#98265), not verified live.
      if (!authorized(req)) return { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }, body: 'key_auth_access_denied' };
      if (path === '/swagger.json') return method === 'GET' ? { status: 200, headers: { 'content-type': 'application/json' }, body: config.swagger } : notAllowed('GET');
      if (method === 'OPTIONS') return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'x-ms-run-function-failed': 'False' }, body: '' };
      if (method !== 'POST' && method !== 'GET') return notAllowed('GET, POST, OPTIONS');
      const b = await body();
      return typeof b === 'string' ? score(req, b) : b;
    }
    return notFound();
  }

  /** The request body as text, or a 413 reply once it passes the limit. UTF-8, BOM kept (the servers keep it). */
  function readBody(req: IncomingMessage): Promise<string | Reply> {
    const tooBig = (): Reply => preflightError(413, 'E_TOO_LARGE', `The request body is larger than Preflight's local limit of ${maxBody} bytes. Send fewer rows per request.`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) return Promise.resolve(tooBig());
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        if (over) return;
        size += c.length;
        if (size > maxBody) {
          over = true;
          chunks.length = 0;
          resolve(tooBig());
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (!over) resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'));
      });
      req.on('error', reject);
    });
  }

  function azureRequestHeaders(req: IncomingMessage, reply: Reply): Reply | null {
    // routes.py `_init_headers` / `populate_response_headers`.
    const one = (h: string | string[] | undefined): string => (Array.isArray(h) ? h[0] ?? '' : h ?? '');
    const requestId = one(req.headers['x-request-id']) || randomUUID();
    if (requestId.length > HEADER_LIMIT) return { status: 431, headers: { 'content-type': 'application/json', 'x-ms-run-function-failed': 'False' }, body: pyDumpsPlain({ message: `x-request-id must not exceed ${HEADER_LIMIT} characters` }) };
    let legacy = one(req.headers['x-ms-request-id']);
    let client = one(req.headers['x-ms-client-request-id']);
    if (legacy) client = client || legacy;
    else legacy = client || requestId;
    if (legacy.length > HEADER_LIMIT || client.length > HEADER_LIMIT) {
      return { status: 431, headers: { 'content-type': 'application/json', 'x-ms-run-function-failed': 'False' }, body: pyDumpsPlain({ message: `x-ms-request-id and x-ms-client-request-id must not exceed ${HEADER_LIMIT} characters` }) };
    }
    reply.headers['x-request-id'] = requestId;
    reply.headers['x-ms-request-id'] = legacy;
    if (client) reply.headers['x-ms-client-request-id'] = client;
    // The endpoint gateway names the deployment that answered; there is one locally.
    reply.headers['azureml-model-deployment'] = one(req.headers['azureml-model-deployment']) || 'default';
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const time = new Date().toISOString();
    const path = requestPath(req.url);
    let reply: Reply;
    try {
      reply = await route(req, path, () => readBody(req));
      if (profile === 'azureml') reply = azureRequestHeaders(req, reply) ?? reply;
    } catch (err) {
      reply = preflightError(500, ErrorCodes.INTERNAL, `Preflight's server failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    // The text goes to res.end as it is: Node then writes head and body as one string, with no Buffer
    // copy of the body first. The length header counts the same UTF-8 bytes.
    // One writeHead with the whole list: the same headers, in the same order, as setHeader one by one,
    // without building Node's header map first (measurable at thousands of requests per second).
    const headers: string[] = [];
    for (const k in reply.headers) headers.push(k, reply.headers[k]!);
    headers.push('content-length', String(Buffer.byteLength(reply.body, 'utf8')));
    // An oversized body is not read to the end: close the connection instead of draining it.
    if (reply.status === 413) headers.push('connection', 'close');
    res.writeHead(reply.status, headers);
    res.on('finish', () => {
      log({ time, method: req.method ?? 'GET', path, status: reply.status, ms: Math.round((performance.now() - arrived) * 1000) / 1000 });
    });
    res.end(reply.body, 'utf8');
    if (reply.status === 413) req.resume();
  }

  return (req, res) => void handle(req, res);
}
