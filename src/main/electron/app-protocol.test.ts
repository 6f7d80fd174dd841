import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../app/csp';
import { APP_INDEX_URL, APP_ORIGIN, createAppProtocolHandler, routeAppRequest } from './app-protocol';

// A real renderer folder on disk, with a secret beside it and a symlink planted inside pointing at the secret.
let root: string;
let rendererDir: string;
let handle: (request: Request) => Promise<Response>;
const csp = contentSecurityPolicy();
const get = (path: string, method = 'GET') => handle(new Request(`${APP_ORIGIN}${path}`, { method }));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'preflight-app-protocol-'));
  rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Preflight</title>');
  await writeFile(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(rendererDir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(rendererDir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  await writeFile(join(rendererDir, 'assets', 'data.unknownext'), 'x');
  await writeFile(join(root, 'secret.txt'), 'TOP SECRET');
  await mkdir(join(root, 'renderer-evil'));
  await writeFile(join(root, 'renderer-evil', 'index.html'), 'EVIL');
  await symlink(join(root, 'secret.txt'), join(rendererDir, 'assets', 'leak.txt'));
  handle = createAppProtocolHandler({ rendererDir, csp });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('app:// protocol handler (serves the built renderer folder only)', () => {
  it('serves the page and its assets with their MIME types, the session CSP and nosniff', async () => {
    const page = await handle(new Request(APP_INDEX_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(csp);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Preflight</title>');

    const expected: Record<string, string> = {
      '/assets/index-abc.js': 'text/javascript; charset=utf-8',
      '/assets/index-abc.css': 'text/css; charset=utf-8',
      '/assets/logo.svg': 'image/svg+xml',
      '/assets/font.woff2': 'font/woff2',
      // Unknown types are never guessed from the bytes (nosniff): they stay opaque.
      '/assets/data.unknownext': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(expected)) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
    }
    expect(Buffer.from(await (await get('/assets/font.woff2')).arrayBuffer())).toEqual(Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('/index.html', 'POST');
    expect(post.status).toBe(405);
  });

  it('refuses path traversal in every spelling, symlinks out of the folder, directories and missing files', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2frenderer-evil/index.html',
      '/%00index.html',
      '/index.html%00.js',
      '/assets/leak.txt',
      '/assets',
      '/assets/',
      '/missing.js',
      `/${encodeURIComponent(join(root, 'secret.txt'))}`,
    ];
    for (const path of attempts) {
      const res = await get(path);
      const body = await res.text();
      expect(res.status, path).toBe(404);
      expect(body, path).not.toContain('SECRET');
      expect(body, path).not.toContain('EVIL');
      expect(body, path).not.toContain(root);
    }
  });

  it('refuses any host but the app and any other scheme, before touching the disk', async () => {
    for (const url of ['app://evil/index.html', 'app://preflight.evil/index.html', 'app://preflight:1/index.html', 'app:///index.html']) {
      const res = await handle(new Request(url));
      expect(res.status, url).toBe(403);
    }
    // A Request cannot even carry credentials; the route rule refuses them anyway.
    expect(routeAppRequest('GET', 'app://u:p@preflight/index.html')).toMatchObject({ kind: 'refuse', status: 403 });
    expect(routeAppRequest('GET', 'file:///etc/passwd')).toMatchObject({ kind: 'refuse', status: 403 });
    expect(routeAppRequest('GET', 'https://preflight/index.html')).toMatchObject({ kind: 'refuse', status: 403 });
    expect(routeAppRequest('GET', `${APP_ORIGIN}/assets/x.js?v=1#h`)).toEqual({ kind: 'file', urlPath: '/assets/x.js' });
  });

  it('serves index.html for the bare origin, as a browser asks for it', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});
