/**
 * Request bodies as text that still knows its bytes. MLflow's Flask server decodes the body as UTF-8 before
 * anything else (S1 `flask.request.data.decode("utf-8")`, docs/fidelity.md "Bodies that are not UTF-8"), so
 * whether the bytes were UTF-8 decides the answer — but `predict` and `validate` take the body as a string.
 * Bytes that are not UTF-8 are kept the way Python's `surrogateescape` keeps them (PEP 383): each byte of an
 * invalid sequence becomes the lone surrogate U+DC80–U+DCFF. Valid UTF-8 never decodes to a lone surrogate,
 * so `hasUndecodableBytes` tells exactly whether the original bytes were UTF-8, and `lossyText` gives the
 * text a server that replaces bad bytes sees (U+FFFD per maximal bad subsequence, as Node's `toString` did before).
 */
// Portable (the renderer bundles src/shared too): TextDecoder/TextEncoder, no node:buffer.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** Whether `x` is a continuation byte (80..BF). */
const isCont = (x: number | undefined): boolean => x !== undefined && (x & 0xc0) === 0x80;

/**
 * Length of the valid UTF-8 sequence at `i` (1–4), or 0. Runs once per byte of a body that is not UTF-8 (up to
 * the 64 MB limit), so it allocates nothing: a version with a closure and a [lo, hi] pair per call took 0.4 s
 * on a 5 MB UTF-16 body.
 */
function sequenceAt(b: Uint8Array, i: number): number {
  const b0 = b[i]!;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return isCont(b[i + 1]) ? 2 : 0;
  const x = b[i + 1];
  if (x === undefined) return 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const ok = b0 === 0xe0 ? x >= 0xa0 && x <= 0xbf : b0 === 0xed ? x >= 0x80 && x <= 0x9f : isCont(x);
    return ok && isCont(b[i + 2]) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const ok = b0 === 0xf0 ? x >= 0x90 && x <= 0xbf : b0 === 0xf4 ? x >= 0x80 && x <= 0x8f : isCont(x);
    return ok && isCont(b[i + 2]) && isCont(b[i + 3]) ? 4 : 0;
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
  // Pieces joined once at the end: a body with an escaped byte every few characters (UTF-16 text with accents)
  // has hundreds of thousands of them.
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const n = sequenceAt(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > start) pieces.push(lenient.decode(bytes.subarray(start, i)));
    const run = invalidRun(bytes, i);
    for (let k = 0; k < run; k++) pieces.push(String.fromCharCode(0xdc00 + bytes[i + k]!));
    i += run;
    start = i;
  }
  if (i > start) pieces.push(lenient.decode(bytes.subarray(start, i)));
  return pieces.join('');
}

const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** Whether `text` carries bytes that were not UTF-8 (from `decodeBodyBytes`). */
export const hasUndecodableBytes = (text: string): boolean => ESCAPED.test(text);

const ESCAPED_ALL = new RegExp(ESCAPED.source, 'g');

/** The original bytes of `text` (escaped bytes restored), as UTF-8 where they were text. Written into one array. */
export function bodyBytesOf(text: string): Uint8Array {
  if (!hasUndecodableBytes(text)) return encoder.encode(text);
  // UTF-8 takes at most 3 bytes per UTF-16 code unit; an escaped byte takes 1.
  const out = new Uint8Array(text.length * 3);
  let at = 0;
  let start = 0;
  const put = (end: number): void => {
    if (end > start) at += encoder.encodeInto(text.slice(start, end), out.subarray(at)).written;
  };
  ESCAPED_ALL.lastIndex = 0;
  for (let m = ESCAPED_ALL.exec(text); m !== null; m = ESCAPED_ALL.exec(text)) {
    put(m.index);
    out[at++] = text.charCodeAt(m.index) - 0xdc00;
    start = m.index + 1;
  }
  put(text.length);
  return out.slice(0, at);
}

/** `text` as a server that replaces undecodable bytes with U+FFFD reads it (unchanged when it was UTF-8). */
export const lossyText = (text: string): string => (hasUndecodableBytes(text) ? lenient.decode(bodyBytesOf(text)) : text);
