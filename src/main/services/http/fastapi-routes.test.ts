import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { slashRedirect } from './fastapi-routes';

const req = (url: string) => ({ url, headers: { host: 'h:1' }, socket: {} }) as unknown as IncomingMessage;

describe('slashRedirect', () => {
  it('strips every trailing slash, or adds one', () => {
    expect(slashRedirect(req('/ping///?a=1'), '/ping///')).toBe('http://h:1/ping?a=1');
    expect(slashRedirect(req('/docs'), '/docs')).toBeNull();
  });
  it('a request path of many slash runs is answered at once', { timeout: 5_000 }, () => {
    // /\/+$/ re-scanned a slash run from each of its slashes: 100 000 slashes took ~6 s
    const path = `/${'/'.repeat(200_000)}x/`;
    expect(slashRedirect(req(path), path)).toBeNull();
  });
});
