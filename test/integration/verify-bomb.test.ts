/**
 * `preflight verify` on a decompression bomb: a small .tar.gz (or .zip) whose entries declare gigabytes of zeros.
 * verify unpacks into the temp folder, so without a cap on what it writes it fills the disk before any check runs.
 * The bomb is refused from the entry's declared size, before a byte of it is written. (A .zip goes through the same
 * check with the central directory's size; building a 1 GiB zip here takes ~20 s of CRC, so it is not repeated.)
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../src/main/services/packaging/verify';

const GiB = 1024 ** 3;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'preflight-verify-bomb-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A .tar.gz holding `manifest.json` and one entry of `size` zero bytes, streamed (never `size` bytes in memory). */
async function zeroBomb(file: string, size: number): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack as unknown as Readable, createGzip({ level: constants.Z_BEST_SPEED }), createWriteStream(file));
  pack.entry({ name: 'manifest.json', size: 2 }, Buffer.from('{}'));
  const entry = pack.entry({ name: 'model/weights.bin', size });
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  await pipeline(
    Readable.from((function* () {
      for (let left = size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    })()),
    entry,
  );
  pack.finalize();
  await done;
}

describe('verify: a decompression bomb', () => {
  it('a 1.5 GiB entry of zeros in a few-MB archive is refused as a bomb, from its declared size, writing nothing', async () => {
    const file = join(work, 'bomb.tar.gz');
    await zeroBomb(file, 1.5 * GiB);
    const archive = (await stat(file)).size;
    expect(archive).toBeLessThan(20 * 1024 * 1024);
    const before = new Set(await readdir(tmpdir()));
    const t0 = Date.now();
    const r = await verifyPackage(file, { toolVersion: 'test' });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatch(/^Rejected: entry "model\/weights\.bin" would unpack to 1\.5 GiB from a .* archive, more than 100× its size: .*decompression bomb/);
    // The temp folder it unpacked into is gone, and it held nothing big while it existed.
    expect((await readdir(tmpdir())).filter((n) => n.startsWith('preflight-verify-') && !before.has(n))).toEqual([]);
  }, 60_000);
});
