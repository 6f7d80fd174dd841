/**
 * Request bodies as text that still knows its bytes. MLflow's Flask server decodes the body as UTF-8 before
 * anything else (S1 `flask.request.data.decode("utf-8")`, docs/fidelity.md "Bodies that are not UTF-8"), so
 * whether the bytes were UTF-8 decides the answer — but `predict` and `validate` take the body as a string.
 * Bytes that are not UTF-8 are kept the way Python's `surrogateescape` keeps them (PEP 383): each byte of an
 * invalid sequence becomes the lone surrogate U+DC80–U+DCFF. Valid UTF-8 never decodes to a lone surrogate,
 * so `hasUndecodableBytes` tells exactly whether the original bytes were UTF-8, and `lossyText` gives the
 * text a server that replaces bad bytes sees (U+FFFD per maximal bad subsequence, as Node's `toString` did before).
 */
import { concatBytes } from '../bytes';
// Portable (the renderer bundles src/shared too): TextDecoder/TextEncoder, no node:buffer.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** Length of the valid UTF-8 sequence at `i` (1–4), or 0. */
function sequenceAt(b: Uint8Array, i: number): number {
  const b0 = b[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Bytes of the invalid sequence at `i` that Python's decoder reports as one error (the maximal valid prefix, at least 1). */
function invalidRun(b: Uint8Array, i: number): number {
  const b0 = b[i]!;
  const need = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 1;
  let n = 1;
  while (n < need && i + n < b.length) {
    const x = b[i + n]!;
    const [lo, hi] = n === 1 && b0 === 0xe0 ? [0xa0, 0xbf] : n === 1 && b0 === 0xed ? [0x80, 0x9f] : n === 1 && b0 === 0xf0 ? [0x90, 0xbf] : n === 1 && b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (x < lo || x > hi) break;
    n++;
  }
  return n;
}

/** UTF-8 text of `bytes`, each byte of an invalid sequence kept as U+DC80–U+DCFF (surrogateescape). */
export function decodeBodyBytes(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // not UTF-8: decoded piece by piece below
  }
  let out = '';
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceAt(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += lenient.decode(bytes.subarray(start, i));
    const run = invalidRun(bytes, i);
    for (let k = 0; k < run; k++) out += String.fromCharCode(0xdc00 + bytes[i + k]!);
    i += run;
    start = i;
  }
  return out + lenient.decode(bytes.subarray(start, i));
}

const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** Whether `text` carries bytes that were not UTF-8 (from `decodeBodyBytes`). */
export const hasUndecodableBytes = (text: string): boolean => ESCAPED.test(text);

/** The original bytes of `text` (escaped bytes restored), as UTF-8 where they were text. */
export function bodyBytesOf(text: string): Uint8Array {
  if (!hasUndecodableBytes(text)) return encoder.encode(text);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (c >= 0xdc80 && c <= 0xdcff && !(prev >= 0xd800 && prev <= 0xdbff)) {
      parts.push(encoder.encode(text.slice(start, i)), Uint8Array.of(c - 0xdc00));
      start = i + 1;
    }
  }
  parts.push(encoder.encode(text.slice(start)));
  return concatBytes(parts);
}

/** `text` as a server that replaces undecodable bytes with U+FFFD reads it (unchanged when it was UTF-8). */
export const lossyText = (text: string): string => (hasUndecodableBytes(text) ? lenient.decode(bodyBytesOf(text)) : text);
