/**
 * The local scoring server (issue 4): a model folder served on 127.0.0.1 the way Azure ML's no-code
 * online endpoint (`POST /score` with key auth, `GET /`, `GET /swagger.json`) or `mlflow models serve`
 * (`/ping`, `/health`, `/version`, `POST /invocations`) answers, using `RunnerService` for every answer.
 *
 *   const s = await startScoringServer({ modelPath, server: 'azureml' });
 *   s.onRequest((e) => console.log(e.method, e.path, e.status, e.ms));
 *   // curl -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d @body.json $URL/score
 *   await s.close();
 *
 * Limits: a body size limit (413), a bound on concurrent model runs with a bounded queue (429 beyond
 * it). Request log events never carry headers, bodies or keys.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, ErrorCodes, isAppError } from '../../../shared/errors';
import { resolveMlflowVersion } from '../../../shared/mlflow/payload/version';
import { pyDumpsPlain, type ServerProfile } from '../../../shared/mlflow/output/responses';
import { RunnerService, type LoadedModel, type ScoreResult } from '../runner/runner-service';
import { swaggerDocument } from './swagger';

export interface ScoringServerOptions {
  modelPath: string;
  server: ServerProfile;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Azure profile: the key clients send as `Authorization: Bearer <key>`; generated when omitted. */
  key?: string;
  /** Only the loopback interface is allowed: the server runs user models and has no TLS. */
  host?: '127.0.0.1';
  /** Emulate this MLflow version instead of the model's pin (`--mlflow-version`). */
  mlflowVersion?: string | null;
  /** Shared runner (the app's); default: a private one, disposed on close. */
  runner?: RunnerService;
  /** Largest request body in bytes; default 64 MiB. */
  maxBodyBytes?: number;
  /** Model runs at the same time (queued in the engine beyond its own parallelism); default 8. */
  maxConcurrent?: number;
  /** Requests waiting for a run slot before the server answers 429; default 64. */
  maxQueue?: number;
}

/** One finished request, for the app's live log. No headers, bodies, query strings or keys. */
export interface RequestLogEvent {
  /** ISO time the request arrived. */
  time: string;
  method: string;
  path: string;
  status: number;
  /** Milliseconds from arrival to the last byte of the answer. */
  ms: number;
}

export interface ScoringServer {
  url: string;
  /** The Azure profile's key (null for the MLflow profile, which has no auth). */
  key: string | null;
  server: ServerProfile;
  port: number;
  /** The loaded model's engine and the MLflow version emulated. */
  engine: LoadedModel['engine'];
  mlflowVersion: string;
  onRequest(listener: (event: RequestLogEvent) => void): () => void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** azmlinfsrv refuses request-id headers longer than this (routes.py HEADER_LIMIT). */
const HEADER_LIMIT = 100;

// Flask/werkzeug's default error pages (2.x servers and azmlinfsrv) and Starlette's (MLflow ≥ 2.21).
const flaskPage = (code: number, title: string, text: string): string =>
  `<!doctype html>\n<html lang=en>\n<title>${code} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`;
const NOT_FOUND_TEXT = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
const METHOD_TEXT = 'The method is not allowed for the requested URL.';

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number, private readonly maxQueue: number) {}
  /** false when the queue is full. */
  async acquire(): Promise<boolean> {
    if (this.active < this.max) {
      this.active++;
      return true;
    }
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

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export async function startScoringServer(options: ScoringServerOptions): Promise<ScoringServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') {
    throw new AppError(ErrorCodes.INVALID_INPUT, `The scoring server only listens on 127.0.0.1 (asked for '${String(host)}'): it runs your model without TLS.`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError(ErrorCodes.INVALID_INPUT, `Port ${String(port)} is not a TCP port: use 1–65535, or 0 for any free port.`);
  if (options.key !== undefined && (options.key.length < 8 || /[\s]/.test(options.key))) {
    throw new AppError(ErrorCodes.INVALID_INPUT, 'The key must be at least 8 characters without spaces (it is sent as "Authorization: Bearer <key>").');
  }
  const profile = options.server;
  const runner = options.runner ?? new RunnerService();
  const ownsRunner = !options.runner;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const slots = new Semaphore(options.maxConcurrent ?? 8, options.maxQueue ?? 64);
  const key = profile === 'azureml' ? (options.key ?? randomBytes(24).toString('base64url')) : null;
  const keyDigest = key === null ? null : digest(`Bearer ${key}`);
  const listeners = new Set<(e: RequestLogEvent) => void>();
  const closing = new AbortController();

  let model: LoadedModel;
  let version: string;
  try {
    // Like the real servers, load the model at start-up: a model that cannot load never serves.
    model = await runner.load(options.modelPath);
    await runner.warmUp(model);
    version = resolveMlflowVersion(model.context.mlmodelVersion, model.context.requirementsPin, options.mlflowVersion ?? null).version;
  } catch (err) {
    if (ownsRunner) runner.dispose();
    throw err;
  }
  const swagger = profile === 'azureml' ? JSON.stringify(swaggerDocument(model.report, model.name)) : '';
  const fastapi = /^(\d+)\.(\d+)/.exec(version);
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
    if (!(await slots.acquire())) {
      return preflightError(429, 'E_BUSY', `Preflight's local server has ${options.maxQueue ?? 64} requests waiting already; retry later or send fewer requests at once.`);
    }
    const started = performance.now();
    let result: ScoreResult;
    try {
      result = await runner.score(model, { body, contentType: req.headers['content-type'] ?? null, server: profile, mlflowVersion: options.mlflowVersion ?? null }, { signal: closing.signal });
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
      if (path === '/version') return method === 'GET' ? { status: 200, headers: { 'content-type': 'application/json' }, body: version } : notAllowed('GET');
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
      if (path === '/swagger.json') return method === 'GET' ? { status: 200, headers: { 'content-type': 'application/json' }, body: swagger } : notAllowed('GET');
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
    let path = '/';
    try {
      path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    } catch {
      path = '/';
    }
    let reply: Reply;
    try {
      reply = await route(req, path, () => readBody(req));
      if (profile === 'azureml') reply = azureRequestHeaders(req, reply) ?? reply;
    } catch (err) {
      reply = preflightError(500, ErrorCodes.INTERNAL, `Preflight's server failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const bytes = Buffer.from(reply.body, 'utf8');
    res.statusCode = reply.status;
    for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
    res.setHeader('content-length', bytes.length);
    // An oversized body is not read to the end: close the connection instead of draining it.
    if (reply.status === 413) res.setHeader('connection', 'close');
    res.on('finish', () => {
      if (listeners.size === 0) return;
      const event: RequestLogEvent = { time, method: req.method ?? 'GET', path, status: reply.status, ms: Math.round((performance.now() - arrived) * 1000) / 1000 };
      for (const l of listeners) {
        try {
          l(event);
        } catch {
          // a listener's failure must not break the server
        }
      }
    });
    res.end(bytes);
    if (reply.status === 413) req.resume();
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (ownsRunner) runner.dispose();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new AppError(ErrorCodes.ENVIRONMENT, `Port ${port} on 127.0.0.1 is already in use. Pick another with --port, or 0 for any free port.`);
    if (code === 'EACCES') throw new AppError(ErrorCodes.ENVIRONMENT, `Port ${port} needs privileges this user does not have. Use a port above 1024.`);
    throw err;
  }
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    key,
    server: profile,
    port: actualPort,
    engine: model.engine,
    mlflowVersion: version,
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closing.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownsRunner) runner.dispose();
    },
  };
}
