import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { contentSecurityPolicy } from './csp';

const root = join(__dirname, '..', '..', '..');

/** The directives of a CSP string, by name. */
const directives = (csp: string): Map<string, string> =>
  new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1).join(' ')]));

describe('the renderer page carries the same CSP as the hosts send', () => {
  it('the meta tag (what file:// loads get, having no headers) has every directive of the header except frame-ancestors, which meta tags cannot set', () => {
    const html = readFileSync(join(root, 'src', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const fromMeta = directives(meta!);
    const fromHeader = directives(contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:*'] }));
    fromHeader.delete('frame-ancestors');
    expect(Object.fromEntries(fromMeta)).toEqual(Object.fromEntries(fromHeader));
    expect(fromMeta.get('object-src')).toBe("'none'");
    expect(fromMeta.get('base-uri')).toBe("'none'");
    expect(fromMeta.get('form-action')).toBe("'none'");
  });
});

describe('electron-builder sets the Electron fuses', () => {
  it('turns off running as Node and Node options/inspect flags, encrypts cookies, checks ASAR integrity and loads the app only from the ASAR', () => {
    const config = parse(readFileSync(join(root, 'build', 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> };
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
