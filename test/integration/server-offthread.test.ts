/**
 * A Python-engine model's local server (answered in the app process) prepares large bodies on a worker
 * thread (runner/prepare/): while a body of tens of MB is parsed and checked, the app's event loop — this
 * process's, the server runs in it — keeps answering health checks, and the large body's answer is the
 * same bytes the in-thread path gives. Real scikit-learn model, real Python worker, real worker thread
 * (the bundled prepare-worker.js), real sockets.
 */
import { createServer, request, type Server } from 'node:http';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { createScoringHandler } from '../../src/main/services/http/scoring-http';
import { OffThreadPreparer } from '../../src/main/services/runner/prepare/offthread-preparer';
import { prepareForPython, type PreparedRequest } from '../../src/main/services/runner/prepare/prepared-request';
import { requestFor } from '../../src/main/services/payload/model-context';
import { PythonRunner } from '../../src/main/services/runner/python/python-runner';
import { RunnerService, type LoadedModel } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type ScoringServer } from '../../src/main/services/server/scoring-server';
import { buildSklearnModels, sklearnSkipReason, SYSTEM_PYTHON, workerScript, type SklearnModels } from '../support/sklearn-models';

let runner: RunnerService;
let sk: SklearnModels;
let offThread: ScoringServer;
let inThread: ScoringServer;
let prepareWorkerPath: string;

interface Answer {
  status: number;
  contentType: string | undefined;
  preflightError: string | undefined;
  body: Buffer;
}

/** One request; `sent` is called once the whole body has been handed to the socket. */
function send(url: string, method: string, body: string | null, sent?: () => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a pooled one may meet the server's keep-alive close (5 s idle) mid-upload.
    const req = request(url, { agent: false, method, headers: body === null ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], preflightError: res.headers['x-preflight-error'] as string | undefined, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (sent) req.on('finish', sent);
    req.end(body ?? undefined);
  });
}

/** A prepared request with its input's bytes as Buffers (what crosses the thread arrives as plain Uint8Arrays). */
function bytesOf(p: PreparedRequest): PreparedRequest {
  return p.ok ? { ...p, input: { ...p.input, json: Buffer.from(p.input.json), blob: p.input.blob && Buffer.from(p.input.blob) } } : p;
}

const COLUMNS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];

/** A dataframe_split body of about `mb` MB of iris rows (varied, so the model's answer varies). */
function irisBody(mb: number, columns = COLUMNS): string {
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1e6; i++) {
    const row = `[${(4.3 + (i % 36) * 0.1).toFixed(1)}, ${(2 + (i % 24) * 0.1).toFixed(1)}, ${(1 + (i % 59) * 0.1).toFixed(1)}, ${(0.1 + (i % 25) * 0.1).toFixed(1)}]`;
    rows.push(row);
    size += row.length + 2;
  }
  return `{"dataframe_split": {"columns": ${JSON.stringify(columns)}, "data": [${rows.join(', ')}]}}`;
}

/**
 * Sends `body` and, from the moment it is all sent until its answer arrives, health checks one after
 * another: how many were answered before the large body's answer, and that answer. With the body prepared
 * in-thread, none is: the preparation holds this process's event loop (the server's) until the answer is
 * written (measured: 0 of them for the 16 MB refusal below).
 */
async function largeWithHealthChecks(server: ScoringServer, body: string): Promise<{ answer: Answer; answeredBefore: number }> {
  let done = false;
  let answeredBefore = 0;
  let checks: Promise<void> = Promise.resolve();
  const large = send(`${server.url}/invocations`, 'POST', body, () => {
    checks = (async () => {
      while (!done) {
        const ping = await send(`${server.url}/ping`, 'GET', null);
        expect(ping.status).toBe(200);
        if (!done) answeredBefore++;
        // A short pause: the checks must not take the CPU the preparation needs (two cores, shared).
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
  }).finally(() => (done = true));
  const answer = await large;
  await checks;
  return { answer, answeredBefore };
}

describe.skipIf(sklearnSkipReason !== null)('large bodies for a Python model are prepared off the app\'s main thread', () => {
  beforeAll(async () => {
    sk = buildSklearnModels();
    prepareWorkerPath = join(inject('bundlesDir'), 'prepare-worker.js');
    const python = new PythonRunner({ workerScript, env: { PREFLIGHT_PYTHON: SYSTEM_PYTHON, PATH: process.env.PATH } });
    runner = new RunnerService({ python, prepareWorkerPath });
    offThread = await startScoringServer({ modelPath: sk.iris, server: 'mlflow', runner });
    // The reference: the same model and runner, every body prepared in-thread (the path small bodies take).
    inThread = await startScoringServer({ modelPath: sk.iris, server: 'mlflow', runner, offThreadBodyChars: Infinity });
  }, 120_000);

  afterAll(async () => {
    await offThread?.close();
    await inThread?.close();
    await runner?.close();
    if (sk) await rm(sk.dir, { recursive: true, force: true });
  });

  it('health checks are answered while a 16 MB body the server refuses is being prepared', async () => {
    // Parsed and enforced to the end before MLflow refuses it (a required column is missing).
    const hostile = irisBody(16, [...COLUMNS.slice(0, 3), 'not a column']);
    const { answer, answeredBefore } = await largeWithHealthChecks(offThread, hostile);
    expect(answer.status).toBe(400);
    // In-thread, the preparation holds the event loop: no health check is answered until the refusal is written
    // (0). One answered proves the loop was free; more is not asked (a loaded two-core CI machine answers few).
    expect(answeredBefore).toBeGreaterThanOrEqual(1);
    const reference = await send(`${inThread.url}/invocations`, 'POST', hostile);
    expect([answer.status, answer.contentType, answer.body.toString('utf8')]).toEqual([reference.status, reference.contentType, reference.body.toString('utf8')]);
  }, 120_000);

  it('a 20 MB body the model runs on: answered meanwhile, and the same bytes as in-thread', async () => {
    const body = irisBody(20);
    const { answer, answeredBefore } = await largeWithHealthChecks(offThread, body);
    expect(answer.status).toBe(200);
    // Not what proves the loop free (the refusal above does): in-thread, health checks are answered too while the
    // Python worker runs the model (measured: 349 in-thread here), only not during the preparation.
    expect(answeredBefore).toBeGreaterThanOrEqual(1);
    const reference = await send(`${inThread.url}/invocations`, 'POST', body);
    expect(reference.status).toBe(200);
    expect(answer.contentType).toBe(reference.contentType);
    expect(answer.body.equals(reference.body)).toBe(true);
    expect(answer.body.toString('utf8')).toMatch(/^\{"predictions": \[[012](, [012])*\]\}$/);
  }, 120_000);

  it('a small body stays on the in-thread path and answers as before', async () => {
    const small = JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2]] } });
    const a = await send(`${offThread.url}/invocations`, 'POST', small);
    const b = await send(`${inThread.url}/invocations`, 'POST', small);
    expect(a.status).toBe(200);
    expect(a.body.equals(b.body)).toBe(true);
  });

  it('PREFLIGHT_OFFTHREAD_MIN_CHARS=0 sends every body through the thread (checking fidelity through it), same answer', async () => {
    const made: OffThreadPreparer[] = [];
    const original = runner.createPreparer.bind(runner);
    const spy = vi.spyOn(runner, 'createPreparer').mockImplementation((o) => {
      const p = original(o);
      made.push(p);
      return p;
    });
    process.env.PREFLIGHT_OFFTHREAD_MIN_CHARS = '0';
    const forced = await startScoringServer({ modelPath: sk.iris, server: 'mlflow', runner }).finally(() => {
      delete process.env.PREFLIGHT_OFFTHREAD_MIN_CHARS;
      spy.mockRestore();
    });
    try {
      const small = JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2]] } });
      expect(made).toHaveLength(1);
      expect(made[0]!.wants(small)).toBe(true);
      const a = await send(`${forced.url}/invocations`, 'POST', small);
      expect(made[0]!.running).toBe(true);
      const b = await send(`${inThread.url}/invocations`, 'POST', small);
      expect([a.status, a.body.toString('utf8')]).toEqual([200, b.body.toString('utf8')]);
    } finally {
      await forced.close();
    }
  });

  describe('the worker thread', () => {
    let model: LoadedModel;
    beforeAll(async () => {
      model = await runner.load(sk.iris);
    });

    /** An MLflow-profile server on 127.0.0.1 whose scoring goes through `preparer`. */
    const mlflowServerWith = async (preparer: OffThreadPreparer): Promise<{ http: Server; url: string }> => {
      const http: Server = createServer(createScoringHandler(
        { profile: 'mlflow', key: null, version: '2.12.2', swagger: '', maxBodyBytes: 64 << 20, maxConcurrent: 8, maxQueue: 64 },
        (body, contentType) => runner.score(model, { body, contentType, server: 'mlflow', mlflowVersion: null }, { preparer }),
        () => undefined,
      ));
      await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
      return { http, url: `http://127.0.0.1:${(http.address() as { port: number }).port}` };
    };

    it('crashes (out of memory on a large body): the server answers its own 500, never hangs; the next request gets a new thread', async () => {
      const preparer = new OffThreadPreparer({ workerPath: prepareWorkerPath, minBodyChars: 0, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
      const { http, url } = await mlflowServerWith(preparer);
      try {
        const crashed = await send(`${url}/invocations`, 'POST', irisBody(8));
        expect(crashed.status).toBe(500);
        expect(crashed.preflightError).toBe('E_INTERNAL');
        const message = (JSON.parse(crashed.body.toString('utf8')) as { error_code: string; message: string });
        expect(message.error_code).toBe('INTERNAL_ERROR');
        expect(message.message).toMatch(/^Preflight could not produce the server's answer: Preflight's request preparation thread stopped while reading this request \(ERR_WORKER_OUT_OF_MEMORY/);
        expect(preparer.running).toBe(false);
        // A small body fits the small heap: a new thread prepares it, and the answer is the in-thread one.
        const small = JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]] } });
        const again = await send(`${url}/invocations`, 'POST', small);
        const reference = await send(`${inThread.url}/invocations`, 'POST', small);
        expect([again.status, again.body.toString('utf8')]).toEqual([reference.status, reference.body.toString('utf8')]);
      } finally {
        await preparer.close();
        await new Promise<void>((r) => http.close(() => r()));
      }
    }, 120_000);

    it('crashes on one request: only that one fails; a well-formed one queued behind it is prepared by a new thread', async () => {
      const preparer = new OffThreadPreparer({ workerPath: prepareWorkerPath, minBodyChars: 0, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
      try {
        const hostile = preparer.prepare(requestFor(model.context, { body: irisBody(8), contentType: 'application/json', server: 'mlflow', mlflowVersion: null }));
        const good = requestFor(model.context, { body: JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2]] } }), contentType: 'application/json', server: 'mlflow', mlflowVersion: null });
        // Posted while the worker is still reading the hostile body: queued behind it on the same thread.
        const queued = preparer.prepare(good);
        const queuedRaised = preparer.raisedAnswer(good, 'mlflow', new AppError('E_TIMEOUT', 'slow'));
        await expect(hostile).rejects.toThrow(/^Preflight's request preparation thread stopped while reading this request \(ERR_WORKER_OUT_OF_MEMORY/);
        expect(bytesOf(await queued)).toEqual(bytesOf(prepareForPython(good)));
        expect(await queuedRaised).toBeNull();
      } finally {
        await preparer.close();
      }
    }, 120_000);

    it('crashes (out of memory on a large body) behind the HTTP server: the good request queued behind it answers 200', async () => {
      const preparer = new OffThreadPreparer({ workerPath: prepareWorkerPath, minBodyChars: 0, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
      const { http, url } = await mlflowServerWith(preparer);
      try {
        const small = JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]] } });
        // The good body is sent once the hostile one is all sent: it reaches the preparer second, while the thread reads the first.
        let goodAnswer: Promise<Answer> | null = null;
        const crashed = await send(`${url}/invocations`, 'POST', irisBody(8), () => {
          goodAnswer = send(`${url}/invocations`, 'POST', small);
        });
        expect(crashed.status).toBe(500);
        expect(crashed.preflightError).toBe('E_INTERNAL');
        const good = await goodAnswer!;
        const reference = await send(`${inThread.url}/invocations`, 'POST', small);
        expect(reference.status).toBe(200);
        expect([good.status, good.body.toString('utf8')]).toEqual([reference.status, reference.body.toString('utf8')]);
      } finally {
        await preparer.close();
        await new Promise<void>((r) => http.close(() => r()));
      }
    }, 120_000);

    it('is ended by close(): a request still being prepared fails with an error, later ones are refused', async () => {
      const preparer = new OffThreadPreparer({ workerPath: prepareWorkerPath, minBodyChars: 0 });
      const pending = preparer.prepare(requestFor(model.context, { body: irisBody(10), contentType: 'application/json', server: 'mlflow', mlflowVersion: null }));
      const failed = expect(pending).rejects.toMatchObject({ code: 'E_CANCELLED' });
      expect(preparer.running).toBe(true);
      await preparer.close();
      expect(preparer.running).toBe(false);
      await failed;
      await expect(preparer.prepare(requestFor(model.context, { body: '{}', contentType: 'application/json', server: 'mlflow', mlflowVersion: null }))).rejects.toBeInstanceOf(AppError);
      expect(preparer.wants('x'.repeat(10))).toBe(false);
    });

    it('ends after being idle (its thread exits, the heap with it); the next large body starts a new one and is answered the same', async () => {
      // Linux: this process's OS threads; the worker is one of them. Elsewhere only `running` is checked.
      const threads = (): number | null => (process.platform === 'linux' ? readdirSync('/proc/self/task').length : null);
      const until = async (what: () => boolean): Promise<boolean> => {
        for (const end = Date.now() + 10_000; Date.now() < end; ) {
          if (what()) return true;
          await new Promise((r) => setTimeout(r, 20));
        }
        return what();
      };
      const preparer = new OffThreadPreparer({ workerPath: prepareWorkerPath, idleMs: 300 });
      const { http, url } = await mlflowServerWith(preparer);
      try {
        const body = irisBody(2);
        expect(preparer.wants(body)).toBe(true);
        const reference = await send(`${inThread.url}/invocations`, 'POST', body);
        expect(reference.status).toBe(200);
        const first = await send(`${url}/invocations`, 'POST', body);
        expect(preparer.running).toBe(true);
        const withWorker = threads();
        expect(await until(() => !preparer.running)).toBe(true);
        if (withWorker !== null) expect(await until(() => threads()! < withWorker)).toBe(true);
        const second = await send(`${url}/invocations`, 'POST', body);
        expect(preparer.running).toBe(true);
        for (const a of [first, second]) expect([a.status, a.contentType, a.body.equals(reference.body)]).toEqual([200, reference.contentType, true]);
      } finally {
        await preparer.close();
        await new Promise<void>((r) => http.close(() => r()));
      }
    }, 120_000);

    it('a request arriving while the idle thread is ending is prepared by a new one, never failed', async () => {
      // Idle for 0 ms: the thread ends right after each answer, so the next call meets it ending (or ended).
      const preparer = new OffThreadPreparer({ workerPath: prepareWorkerPath, minBodyChars: 0, idleMs: 0 });
      const good = requestFor(model.context, { body: JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2]] } }), contentType: 'application/json', server: 'mlflow', mlflowVersion: null });
      const expected = bytesOf(prepareForPython(good));
      const pauses: (() => Promise<unknown>)[] = [async () => {}, () => new Promise((r) => setImmediate(r)), () => new Promise((r) => setTimeout(r, 0)), () => new Promise((r) => setTimeout(r, 5))];
      try {
        for (let i = 0; i < 24; i++) {
          expect(bytesOf(await preparer.prepare(good))).toEqual(expected);
          await pauses[i % pauses.length]!();
        }
        // Two at once after an idle end: both on one new thread, in order.
        await new Promise((r) => setTimeout(r, 20));
        expect(preparer.running).toBe(false);
        const both = await Promise.all([preparer.prepare(good), preparer.raisedAnswer(good, 'mlflow', new AppError('E_TIMEOUT', 'slow'))]);
        expect([bytesOf(both[0]), both[1]]).toEqual([expected, null]);
      } finally {
        await preparer.close();
      }
    }, 120_000);

    it('that cannot start leaves large bodies to the main thread, with the same answer', async () => {
      const reasons: string[] = [];
      const preparer = new OffThreadPreparer({ workerPath: join(inject('bundlesDir'), 'no-such-worker.js'), minBodyChars: 0, onStartFailure: (r) => reasons.push(r) });
      const req = requestFor(model.context, { body: irisBody(0.01), contentType: 'application/json', server: 'mlflow', mlflowVersion: null });
      const prepared = await preparer.prepare(req);
      expect(prepared).toEqual(prepareForPython(req));
      expect(reasons).toHaveLength(1);
      expect(preparer.wants('x')).toBe(false);
      await preparer.close();
    });
  });
});
