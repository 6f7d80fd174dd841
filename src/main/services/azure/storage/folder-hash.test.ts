import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashModelFolder } from './folder-hash';
import { UploadHashCache } from './upload-hash-cache';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function folder(files: Record<string, string | Buffer>): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'folder-hash-'));
  const root = join(dir, 'model');
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}

describe('hashModelFolder', () => {
  it('names the content: same files give the same hash, one changed byte another; sorted paths, sizes and sums', async () => {
    const root = await folder({ MLmodel: 'flavors: {}\n', 'data/model.onnx': 'abc', 'data/a.txt': 'x' });
    const first = await hashModelFolder(root);
    expect(first.files.map((f) => f.rel)).toEqual(['MLmodel', 'data/a.txt', 'data/model.onnx']);
    expect(first.totalBytes).toBe(12 + 3 + 1);
    expect(first.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(first.sums.get('data/model.onnx')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect((await hashModelFolder(root)).hash).toBe(first.hash);
    await writeFile(join(root, 'data/model.onnx'), 'abd');
    expect((await hashModelFolder(root)).hash).not.toBe(first.hash);
  });

  it('takes remembered sums for unchanged files instead of reading them', async () => {
    const root = await folder({ 'weights.bin': 'real content' });
    const cache = new UploadHashCache(null);
    const listed = (await hashModelFolder(root)).files[0]!;
    await cache.set(UploadHashCache.key(listed), { sha256: 'f'.repeat(64) });
    expect((await hashModelFolder(root, { hashes: cache })).sums.get('weights.bin')).toBe('f'.repeat(64));
  });

  it('a cancel stops the hashing with a cancelled error, and an empty folder is refused', async () => {
    const root = await folder({ 'weights.bin': randomBytes(64 * 1024 * 1024) });
    const stop = new AbortController();
    const hashing = hashModelFolder(root, { signal: stop.signal });
    setTimeout(() => stop.abort(), 5);
    await expect(hashing).rejects.toMatchObject({ code: 'E_CANCELLED' });
    await mkdir(join(dir, 'empty'));
    await expect(hashModelFolder(join(dir, 'empty'))).rejects.toThrow(/is empty/);
  });
});
