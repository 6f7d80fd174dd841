/**
 * A package build hashes each wheel once (issue 12, the house): the resolution, the second resolution after
 * `download` (real pip, find-links) and the manifest share one Sha256Memo per build; the digests are still
 * the files' real ones, and a wheel whose bytes change between builds is hashed again.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File, Sha256Memo } from '../../src/main/services/files/sha256-file';
import { PackageService } from '../../src/main/services/packaging/package-service';
import { sampleModelDir } from '../support/paths';
import { sourceAndPartialWheels } from '../support/wheels';

const python = process.env.PREFLIGHT_PYTHON ?? 'python3';
const pipEnv: NodeJS.ProcessEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_'))), PIP_CONFIG_FILE: devNull, PIP_NO_CACHE_DIR: '1' };
const hasPip = spawnSync(python, ['-m', 'pip', '--version']).status === 0;

let work: string;
let partial: string;
let source: string;
const reads: string[] = [];
const service = new PackageService({ toolVersion: '0.1.0-test', progressIntervalMs: 0, hashFile: (path, signal) => (reads.push(path), sha256File(path, signal)) });
const readsOf = (): Record<string, number> => Object.fromEntries([...new Set(reads)].map((p) => [p, reads.filter((r) => r === p).length]));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'preflight-hash-once-'));
  ({ source, partial } = await sourceAndPartialWheels(work));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('one build hashes each wheel once', () => {
  it.skipIf(!hasPip)('with download: two resolutions and the archive, each packaged wheel hashed exactly once, with its real SHA-256', async () => {
    reads.length = 0;
    const s = await service.build({ modelPath: sampleModelDir, out: join(work, 'download.tar.gz'), wheels: partial, download: { python, findLinks: source, env: pipEnv } });
    expect(s.error).toBeNull();
    expect(s.status).toBe('succeeded');
    const counts = readsOf();
    expect(Object.keys(counts).length).toBe(s.proof!.packages.length);
    expect(Object.values(counts).every((n) => n === 1), JSON.stringify(counts)).toBe(true);
    // …and the recorded digests are the wheels' own (the memo did not mix files up). pip's download folder is
    // gone after the build; pip copied those wheels from `source`.
    for (const p of s.proof!.packages) {
      const path = Object.keys(counts).find((f) => f.endsWith(`/${p.wheel}`))!;
      const bytes = await readFile(path).catch(() => readFile(join(source, p.wheel)));
      expect(p.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  }, 120_000);

  it('the memo hashes a file again when its size or mtime changed, and not otherwise', async () => {
    const file = join(work, 'x.whl');
    await writeFile(file, 'first');
    let hashed = 0;
    const memo = new Sha256Memo((p, signal) => (hashed++, sha256File(p, signal)));
    const first = await memo.sha256(file);
    expect(await memo.sha256(file)).toBe(first);
    expect(hashed).toBe(1);
    await writeFile(file, 'second!');
    await utimes(file, new Date(), new Date(Date.now() + 5_000));
    expect(await memo.sha256(file)).toBe(createHash('sha256').update('second!').digest('hex'));
    expect(hashed).toBe(2);
  });
});
