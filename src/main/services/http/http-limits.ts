/**
 * Connection limits of the local scoring server, one config for both places that answer HTTP: the app
 * process (Python-engine models) and the ONNX engine's serving process (ONNX models, which gets these
 * limits with its setup). Without them a client that opens sockets and sends nothing holds a file
 * descriptor each forever, and one that trickles a request head never gets an answer.
 *
 * - `idleTimeoutMs`: a connection that sends nothing for this long before its first request arrives is
 *   closed (a socket that never sends a request, or stalls mid-head); between later requests the
 *   keep-alive timeout does this. A request being answered is never cut by it: a slow model run is the
 *   run timeout's business.
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
  server.maxConnections = limits.maxConnections;
  // Node checks heads and requests every `connectionsCheckingInterval` (30 s by default): a 408 would
  // come up to 30 s late. Check often enough for the configured timeouts.
  (server as HttpServer & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
  // The idle timeout is armed once per connection, not through `server.timeout`: with that, Node re-arms
  // a timer at every request (a new Timeout and bound callback each) and refreshes it at every read and
  // write, and telling answered from idle sockets took a listener per request. A connection's timer runs
  // until its first request arrives; from then on Node's keep-alive timer covers the gaps between
  // requests (it replaces ours after the first answer and is cleared while a request is answered), and
  // the header/request timeouts cover requests that stall.
  server.on('connection', (socket: Socket) => socket.setTimeout(limits.idleTimeoutMs));
  // With a 'timeout' listener Node leaves the socket to us: close it unless a request is being answered,
  // which is when Node has attached that request's response to it (`_httpMessage`, set from the
  // request's arrival until its answer is written; Node's own socket timeout handler reads it too).
  server.on('timeout', (socket: Socket) => {
    if (!(socket as Socket & { _httpMessage?: unknown })._httpMessage) socket.destroy();
  });
}
