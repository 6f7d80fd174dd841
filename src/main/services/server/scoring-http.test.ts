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
