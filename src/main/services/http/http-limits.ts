/**
 * Connection limits of the local scoring server, one config for both places that answer HTTP: the app
 * process (Python-engine models) and the ONNX engine's serving process (ONNX models, which gets these
 * limits with its setup). Without them a client that opens sockets and sends nothing holds a file
 * descriptor each forever, and one that trickles a request head never gets an answer.
 *
 * - `idleTimeoutMs`: a connection with no request in progress that sends nothing for this long is
 *   closed (a socket that never sends a request, or stalls mid-head). A request being answered is never
 *   cut by it: a slow model run is the run timeout's business.
 * - `headersTimeoutMs` / `requestTimeoutMs`: Node's own checks — a head (a whole request) not complete
 *   in time is answered `408 Request Timeout` and closed.
 * - `keepAliveTimeoutMs`: an idle keep-alive connection between requests is closed after this.
 * - `maxConnections`: open connections at once; a connection beyond it is closed at once, unread.
 */
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  idleTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 20_000,
  // A 64 MiB body (the size limit) needs a few seconds on loopback; five minutes leaves room for slow clients.
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  maxConnections: 512,
};

export function httpLimits(partial: Partial<HttpLimits> | undefined): HttpLimits {
  return { ...DEFAULT_HTTP_LIMITS, ...partial };
}

/**
 * Sets the timeouts and the connection cap on `server` and closes idle connections. `server` must not have emitted
 * 'listening' yet: Node starts its header/request checks on that event, with the interval set here.
 */
export function applyHttpLimits(server: HttpServer, limits: HttpLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.timeout = limits.idleTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Node checks heads and requests every `connectionsCheckingInterval` (30 s by default): a 408 would
  // come up to 30 s late. Check often enough for the configured timeouts.
  (server as HttpServer & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
  const answering = new WeakMap<Socket, number>();
  server.on('request', (req, res) => {
    const socket = req.socket;
    answering.set(socket, (answering.get(socket) ?? 0) + 1);
    res.once('close', () => answering.set(socket, (answering.get(socket) ?? 1) - 1));
  });
  // With a 'timeout' listener Node leaves the socket to us: close it unless a request is being answered.
  server.on('timeout', (socket: Socket) => {
    if (!answering.get(socket)) socket.destroy();
  });
}
