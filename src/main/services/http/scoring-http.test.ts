import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestPath } from './scoring-http';

/** What the server used before the fast path: the WHATWG URL parser's pathname. */
function viaUrl(target: string): string {
  try {
    return new URL(target, 'http://127.0.0.1').pathname;
  } catch {
    return '/';
  }
}

describe('requestPath (fast path for plain request targets)', () => {
  it('equals the URL parser on the routes and on tricky targets', () => {
    for (const t of ['/', '/score', '/invocations', '/swagger.json', '/score?x=1', '/a/../score', '/./score', '//score', '/sc%6Fre', '/score#f', '/a b', '\\score', '/score/', '/%2e%2e/x', 'score', '*', 'http://other/x']) {
      expect(requestPath(t), t).toBe(viaUrl(t));
    }
    expect(requestPath(undefined)).toBe('/');
  });

  it('equals the URL parser on random request targets', () => {
    const chars = fc.constantFrom(...'/abc.%2e?#\\ _-~:@!$&()*+,;=AZ09'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }), fc.boolean(), (cs, slash) => {
        const t = (slash ? '/' : '') + cs.join('');
        expect(requestPath(t)).toBe(viaUrl(t));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('run slots and the wait queue (a real HTTP server; the scorer is held until released)', () => {
  it('answers 429 once maxConcurrent runs are busy and maxQueue requests wait; a freed slot serves the queue', async () => {
    const { createServer } = await import('node:http');
    const { createScoringHandler } = await import('./scoring-http');
    const gates: (() => void)[] = [];
    const scored: string[] = [];
    const handler = createScoringHandler(
      { profile: 'mlflow', key: null, version: '2.16.2', swagger: '{}', maxBodyBytes: 1024, maxConcurrent: 1, maxQueue: 1 },
      async (body) => {
        await new Promise<void>((release) => gates.push(release));
        scored.push(body);
        return { status: 200, headers: { 'content-type': 'application/json' }, body_text: `{"predictions": ${body}}`, server_log: null };
      },
      () => {},
    );
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const send = (n: number) =>
      fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', body: String(n), headers: { 'content-type': 'application/json' } }).then(async (r) => ({ status: r.status, text: await r.text() }));
    try {
      const first = send(1);
      await expect.poll(() => gates.length).toBe(1); // running
      const second = send(2); // waits in the queue
      await new Promise((r) => setTimeout(r, 50));
      const third = await send(3); // queue full
      expect(third.status).toBe(429);
      expect(JSON.parse(third.text)).toMatchObject({ error_code: 'REQUEST_LIMIT_EXCEEDED' });
      gates.shift()!();
      expect(await first).toEqual({ status: 200, text: '{"predictions": 1}' });
      await expect.poll(() => gates.length).toBe(1); // the queued one got the slot
      gates.shift()!();
      expect(await second).toEqual({ status: 200, text: '{"predictions": 2}' });
      expect(scored).toEqual(['1', '2']);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('sameSecret (the Azure key check)', () => {
  it('accepts exactly the expected header value, whatever the lengths', async () => {
    const { sameSecret } = await import('./scoring-http');
    const expected = 'Bearer k3y-0123456789';
    expect(sameSecret(expected, expected)).toBe(true);
    for (const given of ['', 'Bearer', 'Bearer k3y-012345678', 'Bearer k3y-01234567890', 'bearer k3y-0123456789', 'Bearer k3y-0123456788', `${expected}\u0000`]) {
      expect(sameSecret(given, expected), JSON.stringify(given)).toBe(false);
    }
    fc.assert(fc.property(fc.string(), fc.string({ minLength: 1 }), (a, b) => sameSecret(a, b) === (a === b)), { numRuns: 2000 });
  });
});

describe('request log only while someone listens', () => {
  it('writes an event per request while listening, none (and no finish listener) while not', async () => {
    const { createServer } = await import('node:http');
    const { createScoringHandler } = await import('./scoring-http');
    let listening = false;
    const events: { path: string; status: number }[] = [];
    const handler = createScoringHandler(
      { profile: 'mlflow', key: null, version: '2.16.2', swagger: '{}', maxBodyBytes: 1024, maxConcurrent: 1, maxQueue: 1 },
      async (body) => ({ status: 200, headers: { 'content-type': 'application/json' }, body_text: body, server_log: null }),
      (e) => events.push({ path: e.path, status: e.status }),
      () => listening,
    );
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.text());
    try {
      await get('/ping');
      listening = true;
      await get('/version');
      await expect.poll(() => events.length).toBe(1);
      listening = false;
      await get('/health');
      await new Promise((r) => setTimeout(r, 50));
      expect(events).toEqual([{ path: '/version', status: 200 }]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
