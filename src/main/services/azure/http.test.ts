import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttp } from './http';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

describe('Azure HTTP client', () => {
  it('a server that takes the request and never answers is "did not answer within N s", not "Cannot reach"', async () => {
    server = createServer(() => {
      // Never answers: a hung scoring container behind a live connection.
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    const http = await createHttp({ name: 'Test', armEndpoint: `http://127.0.0.1:${port}`, authorityHost: `http://127.0.0.1:${port}`, scoringScope: 'https://ml.azure.com/.default' });
    const attempt = http({ method: 'POST', url: `http://127.0.0.1:${port}/endpoints/ep/score`, body: '{}', timeoutMs: 1000 });
    await expect(attempt).rejects.toThrow(`127.0.0.1:${port} did not answer POST /endpoints/ep/score within 1 s; Preflight stopped waiting (the request may still be running there).`);
    await expect(attempt).rejects.not.toThrow(/Cannot reach/);
  });

  it('a port nobody listens on is still "Cannot reach" with the network error', async () => {
    const http = await createHttp({ name: 'Test', armEndpoint: 'http://127.0.0.1:9', authorityHost: 'http://127.0.0.1:9', scoringScope: 'https://ml.azure.com/.default' });
    await expect(http({ method: 'GET', url: 'http://127.0.0.1:9/x', timeoutMs: 1000 })).rejects.toThrow(/^Cannot reach 127\.0\.0\.1:9: connect ECONNREFUSED/);
  });
});
