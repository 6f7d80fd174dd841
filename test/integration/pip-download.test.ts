/**
 * "Downloaded on request" with the real pip (issue 9): the wheel folder lacks some wheels, `download` fills
 * them with `pip download --only-binary=:all: --python-version 3.12 --platform manylinux_2_17_x86_64` from a
 * local source — a folder of wheels the test builds (find-links) or a `file://` simple index — and the package
 * resolves offline. Without a reachable index, or without pip, the error says so and nothing is written.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageService } from '../../src/main/services/packaging/package-service';
import { sampleModelDir } from '../support/paths';
import { SAMPLE_WHEELS, sourceAndPartialWheels, wheelFileName } from '../support/wheels';

const python = process.env.PREFLIGHT_PYTHON ?? 'python3';
// pip sees only the sources a test names: no pip.conf, no PIP_* settings of this machine (its own mirrors).
const pipEnv: NodeJS.ProcessEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_'))), PIP_CONFIG_FILE: devNull, PIP_NO_CACHE_DIR: '1' };
const hasPip = spawnSync(python, ['-m', 'pip', '--version']).status === 0;
const service = new PackageService({ toolVersion: '0.1.0-test', progressIntervalMs: 0 });
let work: string;
let partial: string;
let source: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'preflight-pip-download-'));
  ({ source, partial } = await sourceAndPartialWheels(work));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(!hasPip)('pip download on request (real pip)', () => {
  it('without download, the missing wheels are gaps and nothing is written', async () => {
    const out = join(work, 'no-download.tar.gz');
    const s = await service.build({ modelPath: sampleModelDir, out, wheels: partial });
    expect(s.status).toBe('failed');
    expect(s.proof!.gaps.map((g) => g.project).sort()).toEqual(['flask', 'numpy']);
    await expect(stat(out)).rejects.toThrow();
  });

  it('fills the gaps from a local folder of wheels (find-links) for the target Python and platform', async () => {
    const out = join(work, 'find-links.tar.gz');
    const s = await service.build({ modelPath: sampleModelDir, out, wheels: partial, download: { python, findLinks: source, env: pipEnv } });
    expect(s.error).toBeNull();
    expect(s.status).toBe('succeeded');
    const chosen = s.proof!.packages.map((p) => p.wheel);
    expect(chosen).toContain('numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
    expect(chosen).toContain(wheelFileName({ name: 'flask', version: '3.0.3' }));
    expect(s.proof!.notes.join(' ')).toMatch(/pip download \(.+\) fetched \d+ wheels for CPython 3\.12 manylinux_2_17_x86_64/);
    expect((await service.verify(out)).verdict).toBe('PASS');
  }, 120_000);

  it('fills them from a file:// simple index', async () => {
    const index = join(work, 'simple');
    for (const s of SAMPLE_WHEELS) {
      const project = s.name.toLowerCase().replace(/[-_.]+/g, '-');
      await mkdir(join(index, project), { recursive: true });
      const file = wheelFileName(s);
      const href = pathToFileURL(join(source, file)).href;
      const prior = await import('node:fs/promises').then((f) => f.readFile(join(index, project, 'index.html'), 'utf8')).catch(() => '');
      await writeFile(join(index, project, 'index.html'), `${prior}<a href="${href}">${file}</a>\n`);
    }
    const s = await service.build({ modelPath: sampleModelDir, out: join(work, 'index.tar.gz'), wheels: partial, download: { python, indexUrl: pathToFileURL(index).href, env: pipEnv } });
    expect(s.error).toBeNull();
    expect(s.status).toBe('succeeded');
  }, 120_000);

  it('says the network is missing when the index cannot be reached, and writes nothing', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const out = join(work, 'offline.tar.gz');
    const err = await service.build({ modelPath: sampleModelDir, out, wheels: partial, download: { python, indexUrl: `http://127.0.0.1:${port}/simple`, timeoutSeconds: 3, env: pipEnv } }).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe('E_ENVIRONMENT');
    expect(err?.message).toMatch(/pip could not reach the package index http:\/\/127\.0\.0\.1:\d+\/simple: this computer has no network access to it/);
    await expect(stat(out)).rejects.toThrow();
  }, 120_000);
});

describe('pip download without pip', () => {
  it('names the missing pip and what to do instead', async () => {
    const err = await service.build({ modelPath: sampleModelDir, out: join(work, 'nopip.tar.gz'), wheels: partial, download: { python: join(work, 'no-such-python') } }).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe('E_ENVIRONMENT');
    expect(err?.message).toMatch(/Downloading wheels needs a local Python with pip: .*no-such-python could not be started \(ENOENT\)\. Install pip .* --wheels/);
  });
});
