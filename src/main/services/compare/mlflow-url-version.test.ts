import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askMlflowVersion, versionUrl } from './mlflow-url-version';

/** A server on 127.0.0.1 whose GET /<case>/version answers what the case says; it records what it was sent. */
let server: Server;
let base: string;
const seen: { path: string; method: string; headers: IncomingHttpHeaders }[] = [];
const HOSTILE = `1.${'1'.repeat(3_000)}!`;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', method: req.method ?? '', headers: req.headers });
    const answer = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    switch (req.url) {
      case '/v2/version': return answer(200, '2.12.2');
      case '/v1/version': return answer(200, '1.30.1');
      case '/quoted/version': return answer(200, '"3.6.1.dev0"');
      case '/app/version': return answer(200, '1.4.0');
      case '/hostile/version': return answer(200, HOSTILE);
      case '/huge/version': return answer(200, '2'.repeat(100_000));
      case '/locked/version': return answer(401, 'no');
      default: return answer(404, '<html>not found</html>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('askMlflowVersion', () => {
  it('asks /version beside /invocations and reads the version mlflow models serve answers', async () => {
    expect(versionUrl(`${base}/v2/invocations?x=1`)).toBe(`${base}/v2/version`);
    expect(versionUrl(`${base}/v2/invocations/`)).toBe(`${base}/v2/version`);
    expect(await askMlflowVersion(`${base}/v2/invocations`, {})).toEqual({ version: '2.12.2' });
    expect(await askMlflowVersion(`${base}/v1/invocations`, {})).toEqual({ version: '1.30.1' });
    expect(await askMlflowVersion(`${base}/quoted/invocations`, {})).toEqual({ version: '3.6.1.dev0' });
  });

  it("sends the request's headers but not its body's framing; a URL that is not /invocations is not asked", async () => {
    seen.length = 0;
    await askMlflowVersion(`${base}/v2/invocations`, { authorization: 'Bearer k', 'content-length': '120', 'content-type': 'application/json', 'x-team': 'blue' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v2/version', headers: { authorization: 'Bearer k', 'x-team': 'blue' } });
    expect(seen[0]!.headers['content-type']).toBeUndefined();
    expect(seen[0]!.headers['content-length']).toBeUndefined();
    const gateway = await askMlflowVersion(`${base}/predict`, { authorization: 'Bearer k' });
    expect(gateway).toMatchObject({ answered: true, why: expect.stringContaining('not asked') });
    expect(seen).toHaveLength(1);
  });

  it('what is not an MLflow version that has this route is not believed: an app version, 404, 401, a long or huge answer', async () => {
    expect(await askMlflowVersion(`${base}/app/invocations`, {})).toMatchObject({ answered: true, why: expect.stringContaining('not an MLflow version') });
    expect(await askMlflowVersion(`${base}/old/invocations`, {})).toMatchObject({ answered: true, why: expect.stringContaining('answered 404 (MLflow answers it from 1.30') });
    expect(await askMlflowVersion(`${base}/locked/invocations`, {})).toMatchObject({ answered: true, why: expect.stringContaining('answered 401 (the headers given are not accepted there)') });
    // a digit run that would make a backtracking pattern crawl is refused by its length, before any pattern
    expect(await askMlflowVersion(`${base}/hostile/invocations`, {})).toMatchObject({ answered: true, why: expect.stringContaining('not an MLflow version') });
    expect(await askMlflowVersion(`${base}/huge/invocations`, {})).toMatchObject({ answered: true, why: expect.stringContaining('more than 4,096 bytes') });
  });

  it('nothing listening: no answer, to be asked again', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await askMlflowVersion(`http://127.0.0.1:${port}/invocations`, {})).toMatchObject({ answered: false, why: expect.stringContaining('had no answer') });
  });
});
