import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UploadHashCache } from './upload-hash-cache';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sum = 'a'.repeat(64);

describe('UploadHashCache', () => {
  it('remembers a sum across processes (the file), keyed by path, size, mtime and inode', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hash-cache-'));
    const file = join(dir, 'hashes.json');
    const f = { abs: '/m/model.onnx', size: 10, mtimeMs: 1000.5, ino: 7 };
    const first = new UploadHashCache(file);
    await first.set(UploadHashCache.key(f), { sha256: sum });
    await first.save();
    const again = new UploadHashCache(file);
    expect(await again.get(UploadHashCache.key(f))).toEqual({ sha256: sum });
    // A touched or rewritten file is a different key: it is hashed again.
    expect(await again.get(UploadHashCache.key({ ...f, mtimeMs: 1001 }))).toBeUndefined();
    expect(await again.get(UploadHashCache.key({ ...f, size: 11 }))).toBeUndefined();
    expect(await again.get(UploadHashCache.key({ ...f, ino: 8 }))).toBeUndefined();
  });

  it('starts empty when the file is damaged, and ignores entries that are not SHA-256 sums', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hash-cache-'));
    const file = join(dir, 'hashes.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, '{"entries": [["k", {"sha256": "nope"}]]');
    expect(await new UploadHashCache(file).get('k')).toBeUndefined();
    await writeFile(file, '{"entries": [["k", {"sha256": "nope"}], ["j", {"sha256": "' + sum + '"}]]}');
    const c = new UploadHashCache(file);
    expect(await c.get('k')).toBeUndefined();
    expect(await c.get('j')).toEqual({ sha256: sum });
    await c.save();
    expect(await readFile(file, 'utf8')).toContain(sum);
  });
});
