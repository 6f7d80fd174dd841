import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ErrorCodes } from '@shared/errors';
import type { Result } from '@shared/ipc/result';
import { contentSecurityPolicy } from '../app/csp';
import type { Composition } from '../app/compose';
import type { Logger } from '../ports/logger';
import { mimeType, resolveStaticFile } from './static-files';

/** The only address this host ever binds: it serves one user's machine, never a network. */
export const LOOPBACK = '127.0.0.1';
/** Inputs are paths and small request bodies; 16 MiB leaves room for payload validation without inviting abuse. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export interface BrowserHostOptions {
  composition: Pick<Composition, 'dispatch' | 'events'>;
  log: Logger;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Must be 127.0.0.1; anything else is refused. */
  bindAddress?: string;
  maxFrameBytes?: number;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
}

export interface RunningBrowserHost {
  port: number;
  origin: string;
  token: string;
  /** The page URL with the token, as printed to the user. */
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** Wire frames (ARCHITECTURE §4.4): `{id, channel, input}` in, `{id, result}` and `{event, payload}` out. */
export interface CallFrame {
  id: string | number;
  channel: string;
  input?: unknown;
}

/**
 * Browser-mode host: the same `dispatch()` as Electron behind a WebSocket, plus the built renderer over HTTP.
 * Guards: loopback only; a random token on the page URL and the WebSocket URL; the Origin (WebSocket) and Host
 * (everything) headers must name this very server, which defeats cross-site pages and DNS rebinding.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<RunningBrowserHost> {
  const bindAddress = options.bindAddress ?? LOOPBACK;
  if (bindAddress !== LOOPBACK) {
    throw new Error(`Browser mode only listens on ${LOOPBACK}, not "${bindAddress}": it has no authentication beyond a local token.`);
  }
  const { dispatch, events } = options.composition;
  const log = options.log;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  let port = 0;
  const origin = () => `http://${LOOPBACK}:${port}`;
  const csp = () => contentSecurityPolicy({ connectSrc: [`ws://${LOOPBACK}:${port}`] });

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err) => {
      log.error(`browser host: ${req.method} ${req.url} failed`, err);
      if (!res.headersSent) sendText(res, 500, 'Internal error; details are in the log.');
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== `${LOOPBACK}:${port}`) return sendText(res, 403, `Forbidden: open ${origin()}/ instead.`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    const url = new URL(req.url ?? '/', origin());
    if (url.pathname === '/ws') return sendText(res, 426, 'This endpoint speaks WebSocket only.');
    const file = await resolveStaticFile(options.rendererDir, url.pathname);
    const isPage = url.pathname === '/' || (file !== null && file.endsWith('.html'));
    if (isPage) {
      const denied = checkToken(url.searchParams.get('token'), token);
      if (denied) return sendText(res, denied.status, denied.message);
    }
    if (!file) {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return sendText(res, 503, `The renderer is not built (${options.rendererDir}/index.html is missing). Run \`npm run build\` first.`);
      }
      // Browsers ask for it unprompted; an empty answer keeps a console error out of every page load.
      if (url.pathname === '/favicon.ico') return void res.writeHead(204, { 'Cache-Control': 'max-age=86400' }).end();
      return sendText(res, 404, 'Not found.');
    }
    res.writeHead(200, {
      'Content-Type': mimeType(file),
      ...securityHeaders(csp()),
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    await new Promise<void>((resolve, reject) => {
      createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
    });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  let nextSocket = 1;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin());
    const reject = (status: number, message: string) => {
      log.warn(`browser host: refused WebSocket (${status}): ${message}`);
      rejectUpgrade(socket, status, message);
    };
    if (url.pathname !== '/ws') return reject(404, 'Not found.');
    if (req.headers.host !== `${LOOPBACK}:${port}`) return reject(403, 'Host header does not name this server.');
    if (req.headers.origin !== origin()) return reject(403, `Origin "${req.headers.origin ?? '(none)'}" is not ${origin()}.`);
    const denied = checkToken(url.searchParams.get('token'), token);
    if (denied) return reject(denied.status, denied.message);
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, `ws:${nextSocket++}`));
  });

  function onConnection(ws: WebSocket, senderId: string): void {
    // Calls in flight are cancelled when the page goes away (reload, tab closed).
    const controller = new AbortController();
    ws.on('close', () => controller.abort());
    ws.on('error', (err) => log.warn(`browser host: socket ${senderId} error`, err));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void answer(ws, data, isBinary, senderId, controller.signal);
    });
  }

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean, senderId: string, signal: AbortSignal): Promise<void> {
    const frame = parseFrame(data, isBinary);
    if ('error' in frame) return send(ws, { id: frame.id, result: invalidFrame(frame.error) });
    const result = await dispatch(frame.channel, frame.input, { senderId, signal });
    send(ws, { id: frame.id, result });
  }

  function send(ws: WebSocket, message: unknown): void {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(message), (err) => {
      if (err) log.warn('browser host: send failed', err);
    });
  }

  const unsubscribe = events.subscribe((event, payload) => {
    for (const client of wss.clients) send(client, { event, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    origin: origin(),
    token,
    url: `${origin()}/?token=${token}`,
    wsUrl: `ws://${LOOPBACK}:${port}/ws?token=${token}`,
    close: async () => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function checkToken(given: string | null, expected: string): { status: number; message: string } | null {
  if (!given) return { status: 401, message: 'Missing token: open the URL printed by the host, including ?token=…' };
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { status: 403, message: 'Wrong token: open the URL printed by the host.' };
  return null;
}

function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    // The token is in the page URL; never let it travel in a Referer header.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function sendText(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(`${message}\n`);
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

type ParsedFrame = CallFrame | { id: string | number | null; error: string };

function parseFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return { id: null, error: 'binary frames are not accepted; send JSON text' };
  let value: unknown;
  try {
    value = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
  } catch (err) {
    return { id: null, error: `frame is not valid JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { id: null, error: 'frame must be a JSON object {id, channel, input}' };
  const { id, channel, input } = value as Record<string, unknown>;
  const validId = typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
  if (validId === null) return { id: null, error: '"id" must be a string or a finite number' };
  if (typeof channel !== 'string') return { id: validId, error: '"channel" must be a string such as "preflight:model.inspect"' };
  return { id: validId, channel, input };
}

const invalidFrame = (message: string): Result<never> => ({
  ok: false,
  error: { code: ErrorCodes.INVALID_INPUT, message: `Invalid WebSocket frame: ${message}.` },
});
