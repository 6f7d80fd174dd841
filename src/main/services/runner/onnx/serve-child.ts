/**
 * Serving-process side of `OnnxEngine.serve`: listens on the scoring server's port and answers HTTP
 * requests for one ONNX model inside the process that runs it, with the same timeouts and connection cap
 * as the app process's server (http-limits.ts). Request-log events go back to the app in batches, off
 * every request's path, and only while the app listens.
 */
import { createServer } from 'node:http';
import { createScoringHandler, type RequestLogEvent } from '../../http/scoring-http';
import { applyHttpLimits, httpLimits } from '../../http/http-limits';
import { listenOn } from '../../http/listen';
import { answerOnnxRequest, type RunTensors } from './serve-answer';
import type { FromServer, ServeSetup } from './serve-protocol';

/** How long finished requests wait before their log events are sent (one message per burst, not per request). */
const LOG_FLUSH_MS = 25;

export interface InProcessServing {
  /** Binds host:port; resolves with the bound port, rejects with Node's listen error (EADDRINUSE…). */
  listen(host: string, port: number): Promise<number>;
  /** The app's request log gained its first listener (true) or lost its last (false). */
  setLogListening(on: boolean): void;
  /** Stops accepting and closes every connection; `done` runs once the last log events are sent. */
  stop(done: () => void): void;
}

export function serveInProcess(setup: ServeSetup, run: RunTensors, send: (m: FromServer, cb?: () => void) => void): InProcessServing {
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
  // The same timeouts and cap as the app process's server (set before 'listening': Node starts its checks then).
  applyHttpLimits(http, httpLimits(setup.http.limits));
  return {
    listen: (host, port) => listenOn(http, port, host),
    setLogListening(on) {
      logListening = on;
    },
    stop(done) {
      http.close();
      http.closeAllConnections();
      if (timer) clearTimeout(timer);
      flush(done);
    },
  };
}
