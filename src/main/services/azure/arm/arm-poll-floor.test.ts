import { describe, expect, it } from 'vitest';
import { PUBLIC_CLOUD } from '../cloud';
import type { HttpRequest, HttpResponse, HttpSend } from '../http';
import { ArmClient, pollWaitMs } from './arm-client';

/**
 * ARM long-running operations answered with `Retry-After: 0` (or no Retry-After and a 0 fallback) must not
 * become a request loop: every poll waits at least the client's floor. The transport here plays ARM's side of
 * an operation that stays InProgress for a few polls and records when each poll arrived.
 */
function armOperation(opts: { inProgressPolls: number; retryAfter: string | null; kind: 'put' | 'delete' }): { http: HttpSend; polls: number[] } {
  const polls: number[] = [];
  const retry: Record<string, string> = opts.retryAfter === null ? {} : { 'retry-after': opts.retryAfter };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, headers: { 'content-type': 'application/json', ...headers }, text: body === undefined ? '' : JSON.stringify(body) });
  const http: HttpSend = async (req: HttpRequest) => {
    const url = new URL(req.url);
    if (url.pathname.endsWith('/operationStatus/op1') || url.pathname.endsWith('/operationResults/op1')) {
      polls.push(performance.now());
      const done = polls.length > opts.inProgressPolls;
      if (opts.kind === 'delete') return done ? json(200, undefined) : json(202, undefined, { location: req.url, ...retry });
      return json(200, { status: done ? 'Succeeded' : 'InProgress' }, retry);
    }
    if (req.method === 'PUT') return json(201, { name: 'ep', properties: { provisioningState: 'Creating' } }, { 'azure-asyncoperation': `${PUBLIC_CLOUD.armEndpoint}/operationStatus/op1`, ...retry });
    if (req.method === 'DELETE') return json(202, undefined, { location: `${PUBLIC_CLOUD.armEndpoint}/operationResults/op1`, ...retry });
    return json(200, { name: 'ep', properties: { provisioningState: 'Succeeded' } });
  };
  return { http, polls };
}

const gaps = (xs: number[]): number[] => xs.slice(1).map((x, i) => x - xs[i]!);
const token = async (): Promise<string> => 'token';

describe('ARM polling floor', () => {
  it('waits at least minPollIntervalMs between polls when Azure says Retry-After: 0', async () => {
    const { http, polls } = armOperation({ inProgressPolls: 3, retryAfter: '0', kind: 'put' });
    const arm = new ArmClient({ cloud: PUBLIC_CLOUD, http, token, minPollIntervalMs: 120 });
    const started = performance.now();
    const r = await arm.putAndWait<{ properties: { provisioningState: string } }>('/x/ep', {}, 'Creating endpoint ep');
    expect(r.properties.provisioningState).toBe('Succeeded');
    expect(polls).toHaveLength(4);
    expect(polls[0]! - started).toBeGreaterThanOrEqual(110);
    for (const g of gaps(polls)) expect(g).toBeGreaterThanOrEqual(110);
  });

  it('keeps the floor when there is no Retry-After and the fallback interval is 0 (DELETE + Location)', async () => {
    const { http, polls } = armOperation({ inProgressPolls: 2, retryAfter: null, kind: 'delete' });
    const arm = new ArmClient({ cloud: PUBLIC_CLOUD, http, token, pollIntervalMs: 0, minPollIntervalMs: 120 });
    expect(await arm.sendAndWait('DELETE', '/x/ep', 'Deleting endpoint ep')).toBe(200);
    expect(polls).toHaveLength(3);
    for (const g of gaps(polls)) expect(g).toBeGreaterThanOrEqual(110);
  });

  it('defaults to about one second between polls', async () => {
    const { http, polls } = armOperation({ inProgressPolls: 0, retryAfter: '0', kind: 'put' });
    const arm = new ArmClient({ cloud: PUBLIC_CLOUD, http, token });
    const started = performance.now();
    await arm.putAndWait('/x/ep', {}, 'Creating endpoint ep');
    expect(polls).toHaveLength(1);
    expect(polls[0]! - started).toBeGreaterThanOrEqual(950);
  });

  it('pollWaitMs: Retry-After in seconds (capped at 10 min), else the fallback, never under the floor', () => {
    expect(pollWaitMs({ 'retry-after': '0' }, 5000, 1000)).toBe(1000);
    expect(pollWaitMs({ 'retry-after': '' }, 0, 1000)).toBe(1000);
    expect(pollWaitMs({}, 5000, 1000)).toBe(5000);
    expect(pollWaitMs({ 'retry-after': '3' }, 5000, 1000)).toBe(3000);
    expect(pollWaitMs({ 'retry-after': '99999' }, 5000, 1000)).toBe(600_000);
    expect(pollWaitMs({ 'retry-after': 'soon' }, 2000, 1000)).toBe(2000);
  });
});
