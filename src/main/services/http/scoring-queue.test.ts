import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createScoringHandler } from './scoring-http';

describe('the run-slot queue drops requests whose client left (a real HTTP server)', () => {
  it('never runs the model for a queued request after its client disconnected', async () => {
    const gates: (() => void)[] = [];
    const scored: string[] = [];
    const handler = createScoringHandler(
      { profile: 'mlflow', key: null, version: '2.16.2', swagger: '{}', maxBodyBytes: 1024, maxConcurrent: 1, maxQueue: 8 },
      async (body) => {
        scored.push(body);
        await new Promise<void>((release) => gates.push(release));
        return { status: 200, headers: { 'content-type': 'application/json' }, body_text: `{"predictions": ${body}}`, server_log: null };
      },
      () => {},
    );
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/invocations`;
    const post = (body: string, signal?: AbortSignal): Promise<string> =>
      fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal }).then((r) => r.text());
    try {
      const first = post('1');
      await expect.poll(() => gates.length).toBe(1);
      const leaving = new AbortController();
      const abandoned = ['2', '3', '4'].map((b) => post(b, leaving.signal).catch(() => 'aborted'));
      // Let them reach the queue, then the clients leave.
      await new Promise((r) => setTimeout(r, 200));
      leaving.abort();
      expect(await Promise.all(abandoned)).toEqual(['aborted', 'aborted', 'aborted']);
      await new Promise((r) => setTimeout(r, 100));
      const live = post('5');
      await new Promise((r) => setTimeout(r, 100));
      gates.shift()!();
      expect(await first).toBe('{"predictions": 1}');
      await expect.poll(() => gates.length).toBe(1);
      gates.shift()!();
      expect(await live).toBe('{"predictions": 5}');
      expect(scored).toEqual(['1', '5']);
    } finally {
      for (const g of gates) g();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
