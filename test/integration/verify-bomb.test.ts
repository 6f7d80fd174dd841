/**
 * `preflight verify` on a decompression bomb: a small .tar.gz (or .zip) whose entries declare gigabytes of zeros.
 * verify unpacks into the temp folder, so without a cap on what it writes it fills the disk before any check runs.
 * A bomb is refused from the sizes its entries declare, before a byte of them is written — a zip for its whole central
 * directory at once — while a real package that merely compresses well (mostly-zero weights) unpacks when the disk
 * has room for it (the rule is verify.ts's MAX_EXPANSION comment). The archives here declare more than they hold,
 * which costs nothing to build; the refusals come before the data is read.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, statfs } from 'node:fs/promises';
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

/** A .tar.gz whose only entry's header declares `size` bytes (base-256 size field) and holds 1 MB of them: truncated. */
async function declaredTar(file: string, name: string, size: number): Promise<void> {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header[124] = 0x80; // base-256: big-endian in the remaining 11 bytes
  let left = BigInt(size);
  for (let i = 135; i > 124; i--) {
    header[i] = Number(left & 0xffn);
    left >>= 8n;
  }
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  await pipeline(Readable.from([header, Buffer.alloc(1024 * 1024)]), createGzip(), createWriteStream(file));
}

/** A .zip of `entries` one-byte deflated entries whose central directory then declares `declared` bytes each. */
function declaredZip(file: string, entries: number, declared: number): void {
  const py = spawnSync('/usr/bin/python3', ['-c', 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n  [z.writestr(f"model/part-{i}.bin", b"0") for i in range(int(sys.argv[2]))]', file, String(entries)]);
  expect(py.status, String(py.stderr)).toBe(0);
  const zip = readFileSync(file);
  let patched = 0;
  for (let at = zip.indexOf('PK\x01\x02'); at >= 0; at = zip.indexOf('PK\x01\x02', at + 4)) {
    zip.writeUInt32LE(declared, at + 24);
    patched++;
  }
  expect(patched).toBe(entries);
  writeFileSync(file, zip);
}

const newTempFolders = async (before: Set<string>): Promise<string[]> => (await readdir(tmpdir())).filter((n) => n.startsWith('preflight-verify-') && !before.has(n));

describe('verify: decompression bombs and packages that merely compress well', () => {
  it('a 1.5 GiB entry of zeros in a few-MB archive (mostly-zero weights) is unpacked, not refused: the disk has room', async () => {
    const free = await statfs(tmpdir());
    if (free.bavail * free.bsize < 4 * GiB) return; // the rule needs twice its size free; too little on this machine
    const file = join(work, 'zeros.tar.gz');
    await zeroBomb(file, 1.5 * GiB);
    expect((await stat(file)).size).toBeLessThan(20 * 1024 * 1024);
    const r = await verifyPackage(file, { toolVersion: 'test' });
    expect(r.checks[0], JSON.stringify(r.reasons)).toMatchObject({ name: 'archive', ok: true });
    expect(r.reasons.join('\n')).not.toMatch(/Rejected|decompression bomb/);
  }, 120_000);

  it('a tar.gz entry declaring more than half the free disk from a few KB is refused as a bomb from its header, writing nothing', async () => {
    const free = await statfs(tmpdir());
    const file = join(work, 'declared.tar.gz');
    await declaredTar(file, 'model/weights.bin', Math.floor(free.bavail * free.bsize * 0.7));
    const before = new Set(await readdir(tmpdir()));
    const t0 = Date.now();
    const r = await verifyPackage(file, { toolVersion: 'test' });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatch(/^Rejected: entry "model\/weights\.bin" would unpack to .* from a .* archive, more than 100× its size, and to more than half of the .* free in .*decompression bomb/);
    expect(await newTempFolders(before)).toEqual([]);
  }, 60_000);

  it('a zip of many entries that each declare 512 MiB is refused up front for the whole archive\'s total, before any entry is written', async () => {
    const file = join(work, 'many.zip');
    declaredZip(file, 400, 512 * 1024 * 1024); // 200 GiB declared: more than any test machine's disk
    const r = await verifyPackage(file, { toolVersion: 'test' });
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatch(/^Rejected: the archive would unpack to 200(\.0)? GiB from a .* archive, more than 100× its size \(a decompression bomb\?\), more than the .* free in /);
  }, 60_000);
});
