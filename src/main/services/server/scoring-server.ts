/**
 * The local scoring server (issue 4): a model folder served on 127.0.0.1 the way Azure ML's no-code
 * online endpoint (`POST /score` with key auth, `GET /`, `GET /swagger.json`) or `mlflow models serve`
 * (`/ping`, `/health`, `/version`, `POST /invocations`) answers.
 *
 *   const s = await startScoringServer({ modelPath, server: 'azureml' });
 *   s.onRequest((e) => console.log(e.method, e.path, e.status, e.ms));
 *   // curl -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d @body.json $URL/score
 *   await s.close();
 *
 * Where requests are answered: for an ONNX model, a process of the ONNX engine's own
 * (`OnnxEngine.serve`) listens on the port and answers requests where the model runs: no hop between
 * processes per request, and a native crash there is contained (logged, restarted on the same port).
 * Python-engine models are answered here through `RunnerService`; their large bodies are prepared on a worker
 * thread (runner/prepare/: the event loop keeps answering meanwhile), ended when the server closes. Both use the same request → reply
 * code (scoring-http.ts) and the same limits and port errors, so the answers are the same bytes.
 *
 * Limits: a body size limit (413), a bound on concurrent model runs with a bounded queue (429 beyond
 * it). Request log events never carry headers, bodies or keys.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { AppError, ErrorCodes } from '@shared/errors';
import { resolveMlflowVersion } from '@shared/mlflow/payload/version';
import type { ServerKind } from '@shared/mlflow/output/responses';
import type { OnnxServing } from '../runner/onnx/serve-host';
import { RunnerService, type LoadedModel } from '../runner/runner-service';
import { offThreadMinCharsFromEnv, type OffThreadPreparer } from '../runner/prepare/offthread-preparer';
import { createScoringHandler, type RequestLogEvent, type ScoringConfig } from '../http/scoring-http';
import { swaggerDocument } from './swagger';
import { applyHttpLimits, httpLimits, type HttpLimits } from '../http/http-limits';
import { listenError, listenOn } from '../http/listen';
import type { ServerWouldNotStartData } from '@shared/ipc/contract';
import { startVerdict } from './start-verdict';

export type { RequestLogEvent } from '../http/scoring-http';

export interface ScoringServerOptions {
  modelPath: string;
  server: ServerKind;
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
  /** Connection timeouts and cap (`DEFAULT_HTTP_LIMITS` for what is not given). */
  limits?: Partial<HttpLimits>;
  /**
   * Python-engine models: bodies of at least this many characters are prepared on a worker thread, so the
   * app keeps answering meanwhile (OffThreadPreparer); default 1 Mi, or PREFLIGHT_OFFTHREAD_MIN_CHARS when set
   * (0: every body off-thread — for checking fidelity through the worker). Infinity: always in-thread.
   */
  offThreadBodyChars?: number;
}

export interface ScoringServer {
  url: string;
  /** The Azure profile's key (null for the MLflow profile, which has no auth). */
  key: string | null;
  server: ServerKind;
  port: number;
  /** The loaded model's engine and the MLflow version emulated. */
  engine: LoadedModel['engine'];
  mlflowVersion: string;
  /** Why the real server would never start with this model and version (this one answers 500 E_NOT_STARTED then); null when it would. */
  wouldNotStart: ServerWouldNotStartData | null;
  onRequest(listener: (event: RequestLogEvent) => void): () => void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

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
  const key = profile === 'azureml' ? (options.key ?? randomBytes(24).toString('base64url')) : null;
  const listeners = new Set<(e: RequestLogEvent) => void>();
  const log = (event: RequestLogEvent): void => {
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        // a listener's failure must not break the server
      }
    }
  };
  const closing = new AbortController();

  let model: LoadedModel;
  let version: string;
  let wouldNotStart: ServerWouldNotStartData | null;
  try {
    // Like the real servers, load the model at start-up: a model that cannot load never serves.
    model = await runner.load(options.modelPath);
    const emulated = resolveMlflowVersion(model.context.mlmodelVersion, model.context.requirementsPin, options.mlflowVersion ?? null);
    version = emulated.version;
    wouldNotStart = startVerdict(model.report, model.context, profile, emulated);
    // A server that would not start answers every request without the model: nothing to load ahead for it.
    await runner.warmUp(model, wouldNotStart === null ? { server: profile, version: emulated } : null);
  } catch (err) {
    if (ownsRunner) runner.dispose();
    throw err;
  }
  const config: ScoringConfig = {
    profile,
    key,
    version,
    swagger: profile === 'azureml' ? JSON.stringify(swaggerDocument(model.report, model.name)) : '',
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxConcurrent: options.maxConcurrent ?? 8,
    maxQueue: options.maxQueue ?? 64,
    limits: httpLimits(options.limits),
  };

  // ONNX: the engine's serving process listens on the port and answers there. Otherwise: this process
  // answers through the runner.
  let serving: OnnxServing | null = null;
  let server: HttpServer | null = null;
  /** Python models: the worker thread for large requests (started on the first one). */
  let preparer: OffThreadPreparer | null = null;
  let actualPort: number;
  if (model.engine === 'onnx') {
    try {
      serving = await runner.onnxEngineForServing().serve(model.onnx!, { listen: { host, port }, http: config, mlflowVersion: options.mlflowVersion ?? null, context: model.context, onLog: log });
    } catch (err) {
      if (ownsRunner) runner.dispose();
      throw err;
    }
    actualPort = serving.port;
  } else {
    const minBodyChars = options.offThreadBodyChars ?? offThreadMinCharsFromEnv(process.env);
    const prep = (preparer = runner.createPreparer(minBodyChars === undefined ? {} : { minBodyChars }));
    const http = createServer(
      createScoringHandler(
        config,
        (body, contentType) => runner.score(model, { body, contentType, server: profile, mlflowVersion: options.mlflowVersion ?? null }, { signal: closing.signal, preparer: prep }),
        log,
        () => listeners.size > 0,
      ),
    );
    server = http;
    applyHttpLimits(http, config.limits!);
    try {
      actualPort = await listenOn(http, port, host);
    } catch (err) {
      void preparer.close();
      if (ownsRunner) runner.dispose();
      throw listenError((err as NodeJS.ErrnoException).code, port) ?? err;
    }
  }

  return {
    url: `http://127.0.0.1:${actualPort}`,
    key,
    server: profile,
    port: actualPort,
    engine: model.engine,
    mlflowVersion: version,
    wouldNotStart,
    onRequest(listener) {
      listeners.add(listener);
      // Requests make log events only while someone listens (the ONNX serving process is told).
      serving?.setLogListening(true);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) serving?.setLogListening(false);
      };
    },
    async close() {
      closing.abort();
      if (serving) await serving.close();
      // Requests still being prepared get the server's error answer; the thread ends.
      if (preparer) await preparer.close();
      if (server) {
        const http = server;
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      }
      if (ownsRunner) runner.dispose();
    },
  };
}
