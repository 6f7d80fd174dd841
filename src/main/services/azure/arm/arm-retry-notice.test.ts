import { describe, expect, it } from 'vitest';
import { PUBLIC_CLOUD } from '../cloud';
import type { HttpResponse, HttpSend } from '../http';
import { ArmClient } from './arm-client';

/**
 * ARM answering 503 (or 429) is retried with waits of seconds each: the caller is told before each wait, so the
 * CLI's stderr and the app's log say why nothing happens (a user saw 16 s of silence before the final error).
 */
describe('ARM retry notices', () => {
  it('tells why and how long before each retry, then the call succeeds', async () => {
    let calls = 0;
    const http: HttpSend = async (): Promise<HttpResponse> => {
      calls++;
      if (calls === 1) return { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '0' }, text: JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'busy' } }) };
      if (calls === 2) return { status: 429, headers: { 'content-type': 'application/json' }, text: JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }) };
      return { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify({ value: [] }) };
    };
    const notices: unknown[] = [];
    const arm = new ArmClient({ cloud: PUBLIC_CLOUD, http, token: async () => 'token', retryBaseMs: 5, onRetry: (r) => notices.push(r) });
    expect(await arm.list('/x/onlineEndpoints', 'Listing online endpoints')).toEqual([]);
    expect(notices).toEqual([
      { what: 'Listing online endpoints', reason: '503 ServiceUnavailable', waitMs: 0, attempt: 1, of: 4 },
      { what: 'Listing online endpoints', reason: '429 TooManyRequests', waitMs: 10, attempt: 2, of: 4 },
    ]);
  });
});
