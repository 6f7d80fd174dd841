/**
 * How azureml-inference-server reads a `/score` body (A4 `ObjectInput._parse_post_input`): `json.loads` of the
 * request's *bytes*, so CPython's `json.detect_encoding` picks the codec — a UTF-8 BOM is skipped (utf-8-sig),
 * UTF-16 and UTF-32 bodies (with a BOM, or told by where their zero bytes fall) are read as well — and the bytes
 * are decoded with `errors='surrogatepass'`. A decoding failure is a UnicodeDecodeError, not a JSONDecodeError:
 * the parser does not catch it, and the route's catch-all answers the internal 500 (A4 `routes.py`
 * `all_unhandled_exception`). docs/fidelity.md "The fresh Azure probe".
 */
import { bodyBytesOf, hasUndecodableBytes } from '../../text/body-bytes';

export type A4Decoded = { ok: true; text: string; empty: boolean } | { ok: false; log: string };

type Codec = 'utf-8' | 'utf-8-sig' | 'utf-16' | 'utf-16-le' | 'utf-16-be' | 'utf-32' | 'utf-32-le' | 'utf-32-be';

/** CPython `json.detect_encoding` (Lib/json/__init__.py). */
export function detectEncoding(b: Uint8Array): Codec {
  const starts = (...xs: number[]): boolean => xs.every((x, i) => b[i] === x);
  if (starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00)) return 'utf-32';
  if (starts(0xfe, 0xff) || starts(0xff, 0xfe)) return 'utf-16';
  if (starts(0xef, 0xbb, 0xbf)) return 'utf-8-sig';
  if (b.length >= 4) {
    if (!b[0]) return b[1] ? 'utf-16-be' : 'utf-32-be';
    if (!b[1]) return b[2] || b[3] ? 'utf-16-le' : 'utf-32-le';
  } else if (b.length === 2) {
    if (!b[0]) return 'utf-16-be';
    if (!b[1]) return 'utf-16-le';
  }
  return 'utf-8';
}

/** Valid UTF-8 only; a BOM is kept as a character (utf-8-sig drops only the first, before this runs). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const hex = (x: number): string => `0x${x.toString(16).padStart(2, '0')}`;

/** Python's UnicodeDecodeError text: one byte, or a range of them. */
function decodeError(codec: string, b: Uint8Array, start: number, end: number, reason: string, offset = 0): string {
  const where = end - start === 1 ? `byte ${hex(b[start]!)} in position ${start - offset}` : `bytes in position ${start - offset}-${end - 1 - offset}`;
  return `UnicodeDecodeError: '${codec}' codec can't decode ${where}: ${reason}`;
}

/** CPython's UTF-8 decoder with errors='surrogatepass' (encoded surrogates ED A0..BF xx pass); the text, or the error. */
function utf8(b: Uint8Array, from: number): { text: string } | { error: string } {
  // Valid UTF-8 holds no encoded surrogate, so surrogatepass changes nothing there: the native decoder gives the
  // same text. The loop below runs only on bytes that are not UTF-8, to find what Python reports (or lets pass).
  try {
    return { text: strictUtf8.decode(b.subarray(from)) };
  } catch {
    // not valid UTF-8: decoded byte by byte below
  }
  // Valid runs are decoded natively; only an encoded surrogate (ED A0..BF xx, which surrogatepass lets through)
  // is added by hand, and the first byte Python refuses ends the walk with its error.
  let out = '';
  let run = from;
  let i = from;
  while (i < b.length) {
    const b0 = b[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    const need = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
    if (need === 0) return { error: decodeError('utf-8', b, i, i + 1, 'invalid start byte', from) };
    let n = 1;
    for (; n < need && i + n < b.length; n++) {
      const x = b[i + n]!;
      // surrogatepass lets 0xED be followed by A0..BF (a surrogate): the strict decoder allows only 80..9F there
      const [lo, hi] = n === 1 && b0 === 0xe0 ? [0xa0, 0xbf] : n === 1 && b0 === 0xf0 ? [0x90, 0xbf] : n === 1 && b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      if (x < lo || x > hi) return { error: decodeError('utf-8', b, i, i + n, 'invalid continuation byte', from) };
    }
    if (n < need) return { error: decodeError('utf-8', b, i, b.length, 'unexpected end of data', from) };
    if (b0 === 0xed && b[i + 1]! >= 0xa0) {
      out += strictUtf8.decode(b.subarray(run, i)) + String.fromCharCode(0xd000 | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f));
      run = i + 3;
    }
    i += need;
  }
  return { text: out + strictUtf8.decode(b.subarray(run)) };
}

/**
 * Code units gathered by the walk become text a block at a time: one string append per character cost ~100 ns (a
 * 5 MB UTF-16 body took 0.3 s). Node's TextDecoder is no faster for UTF-16 (ICU), and has no UTF-32.
 */
const UNITS_PER_BLOCK = 8192;

/**
 * UTF-16/32 by hand (TextDecoder has no UTF-32, and Python's messages are wanted): the text, or the error.
 * CPython (checked on 1 500 random bodies, test/fixtures/a4-decode): with surrogatepass every UTF-16 code unit
 * passes, lone surrogates included, so an odd trailing byte is the only UTF-16 error; UTF-32 code points past
 * U+10FFFF and a cut last unit are errors, surrogates pass. Errors name the byte order read (`utf-16-le`, also
 * after a BOM) and count positions from the first byte, the BOM's included.
 */
function wide(b: Uint8Array, codec: Codec): { text: string } | { error: string } {
  const unit = codec.startsWith('utf-32') ? 4 : 2;
  let big = codec.endsWith('-be');
  let i = 0;
  if (codec === 'utf-16' || codec === 'utf-32') {
    // the BOM (detect_encoding saw one) sets the byte order and is dropped
    big = unit === 2 ? b[0] === 0xfe : b[2] === 0xfe;
    i = unit;
  }
  const name = `utf-${unit * 8}-${big ? 'be' : 'le'}`;
  if (unit === 2 && (b.length - i) % 2 === 1) return { error: decodeError(name, b, b.length - 1, b.length, 'truncated data') };
  const read =
    unit === 2
      ? big ? (at: number): number => (b[at]! << 8) | b[at + 1]! : (at: number): number => b[at]! | (b[at + 1]! << 8)
      : big
        ? (at: number): number => b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!)
        : (at: number): number => b[at + 3]! * 0x1000000 + ((b[at + 2]! << 16) | (b[at + 1]! << 8) | b[at]!);
  let out = '';
  const units = new Uint16Array(UNITS_PER_BLOCK + 1);
  let u = 0;
  for (; i + unit <= b.length; i += unit) {
    if (u >= UNITS_PER_BLOCK) {
      out += String.fromCharCode.apply(null, units.subarray(0, u) as unknown as number[]);
      u = 0;
    }
    const v = read(i);
    if (v > 0xffff) {
      if (v > 0x10ffff) return { error: decodeError(name, b, i, i + 4, 'code point not in range(0x110000)') };
      units[u++] = 0xd800 + ((v - 0x10000) >> 10);
      units[u++] = 0xdc00 + ((v - 0x10000) & 0x3ff);
    } else units[u++] = v;
  }
  if (i < b.length) return { error: decodeError(name, b, i, b.length, 'truncated data') };
  return { text: out + String.fromCharCode.apply(null, units.subarray(0, u) as unknown as number[]) };
}

/** The text `json.loads(request.get_data())` parses, or the UnicodeDecodeError it raises. */
export function a4BodyText(body: string): A4Decoded {
  // The common body: its bytes were UTF-8 (no escaped byte), with no BOM and no NUL among the first four
  // characters, so detect_encoding says 'utf-8' and decoding them gives back this very text (valid UTF-8 holds
  // no encoded surrogate, the one thing surrogatepass changes). Encoding and re-decoding a 2 MB body character
  // by character cost ~150 ms and most of it garbage (score-10k: 7.6× the minimal server).
  if (!hasUndecodableBytes(body) && body.charCodeAt(0) !== 0xfeff && !body.slice(0, 4).includes('\0')) return { ok: true, text: body, empty: body.length === 0 };
  return decodeA4Bytes(bodyBytesOf(body));
}

/** `json.loads`' decoding of a body's bytes (detect_encoding, then the codec with surrogatepass), done by hand. */
export function decodeA4Bytes(bytes: Uint8Array): A4Decoded {
  const codec = detectEncoding(bytes);
  const r = codec === 'utf-8' ? utf8(bytes, 0) : codec === 'utf-8-sig' ? utf8(bytes, 3) : wide(bytes, codec);
  if ('error' in r) return { ok: false, log: r.error };
  return { ok: true, text: r.text, empty: bytes.length === 0 };
}
