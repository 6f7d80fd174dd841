/**
 * Serving-process side of `OnnxEngine.serve`: answers HTTP requests for one ONNX model inside the
 * process that runs it. Connections come from the listening socket the app handed over (accepted here
 * directly) or, when the app's own accept won the race, as single connections it passes on. Request-log
 * events go back to the app in batches, off every request's path, and only while the app listens.
 */
import { createServer } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { createScoringHandler, type RequestLogEvent } from '../../http/scoring-http';
import { applyHttpLimits, connectionCap, httpLimits, startChecks } from '../../http/http-limits';
import { answerOnnxRequest, type RunTensors } from './serve-answer';
import type { FromServer, ServeSetup } from './serve-protocol';

/** How long finished requests wait before their log events are sent (one message per burst, not per request). */
const LOG_FLUSH_MS = 25;

export interface InProcessServing {
  /** A connection the app accepted (paused, nothing read yet). */
  adopt(socket: Socket): void;
  /** The app's request log gained its first listener (true) or lost its last (false). */
  setLogListening(on: boolean): void;
  /** Stops accepting and closes every connection; `done` runs once the last log events are sent. */
  stop(done: () => void): void;
}

export function serveInProcess(setup: ServeSetup, listening: NetServer, run: RunTensors, send: (m: FromServer, cb?: () => void) => void): InProcessServing {
  let pending: RequestLogEvent[] = [];
  let logListening = false;
  let timer: NodeJS.Timeout | null = null;
  const flush = (cb?: () => void): void => {
    timer = null;
    if (pending.length === 0) {
      cb?.();
      return;
    }
    const events = pending;
    pending = [];
    send({ type: 'log', events }, cb);
  };
  const log = (e: RequestLogEvent): void => {
    pending.push(e);
    timer ??= setTimeout(flush, LOG_FLUSH_MS);
  };
  const handler = createScoringHandler(setup.http, (body, contentType) => answerOnnxRequest(setup, body, contentType, run), log, () => logListening);
  const http = createServer(handler);
  // The same timeouts and cap as the app process's server. This server never listens (connections are
  // emitted into it), so Node's header/request checks are started by hand and connections counted here.
  const limits = httpLimits(setup.http.limits);
  applyHttpLimits(http, limits);
  startChecks(http);
  const cap = connectionCap(limits.maxConnections);
  // The handed-over server is a plain net.Server: its sockets do not get http.Server's noDelay, and
  // Nagle's algorithm would hold small answers back waiting for the client's delayed ACK.
  const take = (socket: Socket): void => {
    if (!cap.admit(socket)) return;
    socket.setNoDelay(true);
    http.emit('connection', socket);
  };
  listening.on('connection', take);
  return {
    adopt(socket) {
      take(socket);
      socket.resume();
    },
    setLogListening(on) {
      logListening = on;
    },
    stop(done) {
      listening.close();
      http.close();
      http.closeAllConnections();
      if (timer) clearTimeout(timer);
      flush(done);
    },
  };
}
