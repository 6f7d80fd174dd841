/**
 * Reads a wheel's `*.dist-info/METADATA` and `WHEEL` (core metadata, RFC 822 headers) straight from the
 * zip, streamed through yauzl and bounded in size, so a hostile or huge wheel cannot exhaust memory.
 */
import yauzl from 'yauzl';
import { formatCount } from '@shared/format-count';

export interface WheelMetadata {
  name: string;
  version: string;
  requiresDist: string[];
  requiresPython: string | null;
  providesExtra: string[];
  /** `Tag:` lines of the WHEEL file. */
  tags: string[];
}

export class WheelReadError extends Error {}

const MAX_METADATA_BYTES = 4 * 1024 * 1024;

/** RFC 822-style headers (continuation lines start with whitespace); the body after the first blank line is ignored. */
export function parseHeaders(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: { key: string; index: number } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && last) {
      const values = headers.get(last.key)!;
      values[last.index] = `${values[last.index]}\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(key, values);
    last = { key, index: values.length - 1 };
  }
  return headers;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) reject(new WheelReadError(`${err?.message ?? 'cannot open'}`));
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  return new Promise((resolve, reject) => {
    if (entry.uncompressedSize > MAX_METADATA_BYTES) {
      reject(new WheelReadError(`${entry.fileName} is ${formatCount(entry.uncompressedSize)} bytes; metadata files over ${formatCount(MAX_METADATA_BYTES)} bytes are refused`));
      return;
    }
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(new WheelReadError(`${entry.fileName}: ${err?.message ?? 'unreadable'}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_METADATA_BYTES) stream.destroy(new WheelReadError(`${entry.fileName} is larger than it claims`));
        else chunks.push(c);
      });
      stream.on('error', (e) => reject(new WheelReadError(`${entry.fileName}: ${e.message}`)));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

/** METADATA and WHEEL of the wheel at `path`; throws WheelReadError saying what is missing or broken. */
export async function readWheelMetadata(path: string): Promise<WheelMetadata> {
  const zip = await openZip(path);
  const found: { metadata?: string; wheel?: string } = {};
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (e: Error) => reject(new WheelReadError(e.message)));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const m = /^[^/]+\.dist-info\/(METADATA|WHEEL)$/.exec(entry.fileName);
      if (!m) {
        zip.readEntry();
        return;
      }
      readEntry(zip, entry).then((text) => {
        if (m[1] === 'METADATA') found.metadata = text;
        else found.wheel = text;
        zip.readEntry();
      }, (e: unknown) => {
        zip.close();
        reject(e instanceof Error ? e : new WheelReadError(String(e)));
      });
    });
    zip.readEntry();
  });
  if (found.metadata === undefined) throw new WheelReadError('no *.dist-info/METADATA inside');
  if (found.wheel === undefined) throw new WheelReadError('no *.dist-info/WHEEL inside');
  const meta = parseHeaders(found.metadata);
  const wheel = parseHeaders(found.wheel);
  const name = meta.get('name')?.[0];
  const version = meta.get('version')?.[0];
  if (!name || !version) throw new WheelReadError('METADATA has no Name or Version');
  return {
    name,
    version,
    requiresDist: meta.get('requires-dist') ?? [],
    requiresPython: meta.get('requires-python')?.[0] ?? null,
    providesExtra: meta.get('provides-extra') ?? [],
    tags: wheel.get('tag') ?? [],
  };
}
