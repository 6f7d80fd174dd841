/** Reading and rewriting .tar.gz packages in tests (to tamper with one the way an attacker or a bad copy would). */
import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';

export async function tarEntries(file: string): Promise<{ header: tar.Header; data: Buffer }[]> {
  const out: { header: tar.Header; data: Buffer }[] = [];
  const extract = tar.extract();
  const done = pipeline(createReadStream(file), createGunzip(), extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.push({ header: entry.header, data: Buffer.concat(chunks) });
  }
  await done;
  return out;
}

export async function writeTar(file: string, entries: { header: Partial<tar.Header> & { name: string }; data?: Buffer }[]): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack as unknown as Readable, createGzip(), createWriteStream(file));
  for (const e of entries) await new Promise<void>((res, rej) => pack.entry({ ...e.header, size: e.data?.length ?? 0 }, e.data ?? Buffer.alloc(0), (err) => (err ? rej(err) : res())));
  pack.finalize();
  await done;
}

/** Copies a package, passing each file's bytes through `change` (same names, same order). */
export async function writeTamperedCopy(from: string, to: string, change: (name: string, data: Buffer) => Buffer): Promise<void> {
  const entries = await tarEntries(from);
  await writeTar(to, entries.map((e) => {
    const data = change(e.header.name, e.data);
    return { header: { ...e.header, size: data.length }, data };
  }));
}
