/**
 * Values a model can receive that JSON does not have: `bytes` (binary columns, payloads.md §2.1) and
 * pandas `Timestamp` / `NaT` (datetime columns). Pure TypeScript: base64 and ISO parsing by hand.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let k = 0; k < B64.length; k++) B64_INDEX[B64.charCodeAt(k)] = k;

/** Python `bytes`. */
export class Bytes {
  constructor(readonly data: Uint8Array) {}
  base64(): string {
    return encodeBase64(this.data);
  }
  /** Python's repr, e.g. `b'hello'` — in double quotes when the bytes hold a `'` and no `"` (CPython bytes_repr). */
  repr(): string {
    const quote = this.data.includes(0x27) && !this.data.includes(0x22) ? 0x22 : 0x27;
    const q = String.fromCharCode(quote);
    let s = 'b' + q;
    for (const b of this.data) {
      if (b === 0x5c) s += '\\\\';
      else if (b === quote) s += '\\' + q;
      else if (b === 0x0a) s += '\\n';
      else if (b === 0x0d) s += '\\r';
      else if (b === 0x09) s += '\\t';
      else if (b < 0x20 || b >= 0x7f) s += '\\x' + b.toString(16).padStart(2, '0');
      else s += String.fromCharCode(b);
    }
    return s + q;
  }
}

export function encodeBase64(data: Uint8Array): string {
  let out = '';
  for (let k = 0; k < data.length; k += 3) {
    const a = data[k]!, b = data[k + 1], c = data[k + 2];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : B64[c & 63]!;
  }
  return out;
}

/**
 * `base64.decodebytes` (binascii.a2b_base64, non-strict): characters outside the alphabet are skipped,
 * decoding stops at complete padding. Returns the Python error text on failure.
 */
export function decodeBase64Lenient(s: string): Bytes | { error: string } {
  const vals: number[] = [];
  let pads = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x3d) {
      // '=' only counts once data is at a 4-group offset of 2 or 3
      if (vals.length % 4 >= 2) {
        pads++;
        if ((vals.length + pads) % 4 === 0) break;
      }
      continue;
    }
    if (pads > 0) pads = 0; // data after a partial pad: binascii keeps decoding
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v >= 0) vals.push(v);
  }
  const rem = vals.length % 4;
  if (rem === 1)
    return { error: `Invalid base64-encoded string: number of data characters (${vals.length}) cannot be 1 more than a multiple of 4` };
  if (rem !== 0 && (vals.length + pads) % 4 !== 0) return { error: 'Incorrect padding' };
  const out: number[] = [];
  for (let k = 0; k + 1 < vals.length; k += 4) {
    const a = vals[k]!, b = vals[k + 1]!, c = vals[k + 2], d = vals[k + 3];
    out.push((a << 2) | (b >> 4));
    if (c !== undefined) out.push(((b & 15) << 4) | (c >> 2));
    if (c !== undefined && d !== undefined) out.push(((c & 3) << 6) | d);
  }
  return new Bytes(Uint8Array.from(out));
}

/** pandas Timestamp (naive, nanoseconds since the epoch). */
export class Timestamp {
  constructor(readonly ns: bigint) {}
  /** ISO text as pandas prints it: `2024-01-02 03:04:05` plus a fraction when there is one. */
  iso(sep = ' '): string {
    const ms = Number(this.ns / 1_000_000n) - (this.ns % 1_000_000n < 0n ? 1 : 0);
    const frac = ((this.ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
    const d = new Date(ms);
    const pad = (x: number, w = 2): string => String(x).padStart(w, '0');
    let s = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${sep}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    if (frac !== 0n) s += '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
    return s;
  }
}

/** pandas NaT (missing datetime). */
export const NaT = Object.freeze({ nat: true as const });
export type NaTType = typeof NaT;

// The tail is `\s*(?:(offset)\s*)?$`, the same texts as `\s*(offset)?\s*$`: there, two blank runs around an
// optional offset split a long blank run every way (quadratic: a cell of a date and 40 000 spaces took seconds).
const ISO_RE =
  /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(?:(Z|[+-]\d{2}:?\d{2})\s*)?$/;

/**
 * Parse a datetime string the way pandas' astype('datetime64[ns]') does for the common forms
 * (ISO date, date-time, fraction, `Z` / `±hh:mm` offsets converted to naive UTC, payloads.md §2.1).
 * dateutil accepts more exotic forms than this; those are reported as unparsable.
 */
export function parseDatetime(s: string): Timestamp | null {
  return parseDatetimeWithOffset(s)?.ts ?? null;
}

/**
 * `parseDatetime` plus the text's UTC offset in minutes (`Z` is 0), or 'naive' without one: pandas remembers each
 * parsed string's offset to refuse a column that mixes them (datetime-strings.ts `pandasMixedZones`).
 */
export function parseDatetimeWithOffset(s: string): { ts: Timestamp; offset: number | 'naive' } | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, fr, tz] = m;
  const year = +y!, month = +mo!, day = +d!;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  // setUTCFullYear: Date.UTC reads the years 0–99 as 1900–1999
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(h ? +h : 0, mi ? +mi : 0, se ? +se : 0, 0);
  const ms = at.getTime();
  const check = new Date(ms);
  if (check.getUTCDate() !== day || (h && +h > 23) || (mi && +mi > 59) || (se && +se > 59)) return null;
  let ns = BigInt(ms) * 1_000_000n + (fr ? BigInt(fr.padEnd(9, '0')) : 0n);
  let offset = 0;
  if (tz && tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offset = sign * (+digits.slice(0, 2) * 60 + +digits.slice(2, 4));
    ns -= BigInt(offset) * 60_000_000_000n;
  }
  return { ts: new Timestamp(ns), offset: tz ? offset : 'naive' };
}
