import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, CSP_META_PLACEHOLDER, injectCspMeta, rendererMetaPolicy } from './csp';

const directives = (policy: string): Map<string, string> =>
  new Map(
    policy.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources.join(' ')] as const;
    }),
  );

const sourceIndexHtml = readFileSync(join(import.meta.dirname, '..', '..', 'renderer', 'index.html'), 'utf8');

describe('the one Content-Security-Policy', () => {
  it('header: no plugins, no <base>, no form posts, no framing, scripts only from the app', () => {
    const header = directives(contentSecurityPolicy());
    expect(header.get('object-src')).toBe("'none'");
    expect(header.get('base-uri')).toBe("'none'");
    expect(header.get('form-action')).toBe("'none'");
    expect(header.get('frame-ancestors')).toBe("'none'");
    expect(header.get('script-src')).toBe("'self'");
    expect(header.get('default-src')).toBe("'self'");
    expect(header.get('connect-src')).toBe("'self'");
  });

  it('meta: the header policy minus frame-ancestors (ignored in <meta>), admitting the browser-mode socket on loopback only', () => {
    const header = directives(contentSecurityPolicy());
    const meta = directives(rendererMetaPolicy());
    expect(meta.has('frame-ancestors')).toBe(false);
    expect(meta.get('connect-src')).toBe("'self' ws://127.0.0.1:*");
    for (const [name, sources] of header) {
      if (name === 'frame-ancestors' || name === 'connect-src') continue;
      expect(meta.get(name), name).toBe(sources);
    }
    expect([...meta.keys()].sort()).toEqual([...header.keys()].filter((k) => k !== 'frame-ancestors').sort());
  });

  it('allows no inline script or <style> element, only style attributes; the dev server alone gets inline code', () => {
    for (const policy of [contentSecurityPolicy(), rendererMetaPolicy()]) {
      expect(directives(policy).get('script-src')).toBe("'self'");
      expect(directives(policy).get('style-src')).toBe("'self'");
      expect(directives(policy).get('style-src-attr')).toBe("'unsafe-inline'");
    }
    expect(directives(rendererMetaPolicy({ devServer: true })).get('script-src')).toBe("'self' 'unsafe-inline'");
    expect(directives(contentSecurityPolicy({ devServer: true })).get('style-src')).toBe("'self' 'unsafe-inline'");
  });

  it("bakes the meta into the renderer's index.html first in <head>, before any script or stylesheet", () => {
    const html = injectCspMeta(sourceIndexHtml, rendererMetaPolicy());
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
    expect(metas).toHaveLength(1);
    expect(metas[0][1]).toBe(rendererMetaPolicy());
    const at = html.indexOf('Content-Security-Policy" content=');
    expect(at).toBeLessThan(html.indexOf('<script'));
    expect(at).toBeLessThan(html.indexOf('<title'));
    expect(html).not.toContain(CSP_META_PLACEHOLDER);
  });

  it('refuses to build a page without the placeholder or with two, so no build ships without its policy', () => {
    expect(() => injectCspMeta('<head><title>x</title></head>', 'default-src none')).toThrow(/exactly once \(found 0\)/);
    expect(() => injectCspMeta(`${CSP_META_PLACEHOLDER}${CSP_META_PLACEHOLDER}`, 'x')).toThrow(/found 2/);
    expect(injectCspMeta(CSP_META_PLACEHOLDER, 'a "b" & c')).toContain('content="a &quot;b&quot; &amp; c"');
  });
});
