/**
 * pandas 1.5.3's own ISO 8601 reader, `parse_iso_8601_datetime` (pandas/_libs/tslibs/src/datetime/np_datetime_strings.c,
 * reached through np_datetime.pyx `string_to_dts(…, want_exc=False)`), which tslib.pyx `array_to_datetime` runs on
 * every string of an object column cast to datetime64[ns] *before* dateutil: what it reads never reaches dateutil.
 * Unlike numpy's parser (datetime-strings.ts `numpyDatetimeFromStr`) the year is exactly four digits (fewer: year 0
 * and the digits are read as the month), `- . / \ space` may separate year, month and day (the same one twice, then
 * one or two digits each; without one `YYYYMMDD`, never `YYYYMM`), `YYYY` and `YYYY-MM` alone are dates, the hour may
 * stand alone (two digits) and `:` between hour, minute and second is optional (two digits each without it), the
 * fraction has up to 18 digits, and the zone is `Z` or `±h[h][[:]m[m]]`, *kept* as an offset (the caller converts).
 * Any failure — a field out of range included — is a plain -1 here (want_exc is false): the caller goes on to dateutil.
 */

export interface PandasIsoDatetime {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  /** The fraction of a second in nanoseconds (the first nine of up to 18 digits: `dtstruct_to_dt64` at ns). */
  nanos: number;
  /** Minutes east of UTC when the text has a zone (`out_local` = 1), else 'naive'. */
  offset: number | 'naive';
}

const DAYS = [
  [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
  [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
];
const YMD_SEPS = new Set([0x2d, 0x2e, 0x2f, 0x5c, 0x20]); // - . / \ space
const utf8 = new TextEncoder();
const isDigit = (b: number | undefined): b is number => b !== undefined && b >= 0x30 && b <= 0x39;
// C's isspace in the "C" locale
const isSpace = (b: number | undefined): boolean => b === 0x20 || (b !== undefined && b >= 0x09 && b <= 0x0d);
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The fields `parse_iso_8601_datetime` fills from `text`, or null where it returns -1. */
export function parsePandasIso8601(text: string): PandasIsoDatetime | null {
  const s = utf8.encode(text);
  const n = s.length;
  let p = 0;
  const out: PandasIsoDatetime = { year: 0, month: 1, day: 1, hour: 0, min: 0, sec: 0, nanos: 0, offset: 'naive' };
  const digit = (): number => s[p++]! - 0x30;

  while (p < n && isSpace(s[p])) p++;
  if (s[p] === 0x2d) p++;
  if (p >= n) return null;
  // the year: exactly four digits, or none (year 0, and what follows is read as the month)
  if (n - p >= 4 && isDigit(s[p]) && isDigit(s[p + 1]) && isDigit(s[p + 2]) && isDigit(s[p + 3])) {
    out.year = digit() * 1000 + digit() * 100 + digit() * 10 + digit();
  }
  // the C code negates when the *string* starts with '-' (after leading blanks it does not)
  if (s[0] === 0x2d) out.year = -out.year;
  if (p >= n) return out;
  const leap = isLeap(out.year) ? 1 : 0;
  let sep = -1;
  if (!isDigit(s[p])) {
    if (!YMD_SEPS.has(s[p]!)) return null;
    sep = s[p++]!;
    if (p >= n || !isDigit(s[p])) return null;
  }
  // the month: one digit, a second one optional only after a separator
  out.month = digit();
  if (isDigit(s[p])) out.month = out.month * 10 + digit();
  else if (sep < 0) return null;
  if (out.month < 1 || out.month > 12) return null;
  if (p >= n) return sep < 0 ? null : out; // YYYYMM is refused (read as YYMMDD elsewhere)
  if (sep >= 0) {
    if (s[p] !== sep || n - p === 1) return null;
    p++;
  }
  if (!isDigit(s[p])) return null;
  out.day = digit();
  if (isDigit(s[p])) out.day = out.day * 10 + digit();
  else if (sep < 0) return null;
  if (out.day < 1 || out.day > DAYS[leap]![out.month - 1]!) return null;
  if (p >= n) return out;
  if ((s[p] !== 0x54 && s[p] !== 0x20) || n - p === 1) return null;
  p++;
  // the hour: one digit, or two (then checked)
  if (!isDigit(s[p])) return null;
  out.hour = digit();
  let hour2 = false;
  if (isDigit(s[p])) {
    hour2 = true;
    out.hour = out.hour * 10 + digit();
    if (out.hour >= 24) return null;
  }
  if (p >= n) return hour2 ? out : null;
  let hmsSep = false;
  time: {
    if (s[p] === 0x3a) {
      hmsSep = true;
      p++;
      if (p >= n || !isDigit(s[p])) return null;
    } else if (!isDigit(s[p])) {
      if (!hour2) return null;
      break time;
    }
    out.min = digit();
    if (isDigit(s[p])) {
      out.min = out.min * 10 + digit();
      if (out.min >= 60) return null;
    } else if (!hmsSep) return null;
    if (p >= n) return out;
    if (hmsSep && s[p] === 0x3a) {
      p++;
      if (p >= n || !isDigit(s[p])) return null;
    } else if (!(!hmsSep && isDigit(s[p]))) {
      break time;
    }
    out.sec = digit();
    if (isDigit(s[p])) {
      out.sec = out.sec * 10 + digit();
      if (out.sec >= 60) return null;
    } else if (!hmsSep) return null;
    if (p < n && s[p] === 0x2e) {
      p++;
      // up to 18 digits in groups of six (µs, ps, as); nanoseconds keep the first nine
      let digits = '';
      while (digits.length < 18 && isDigit(s[p])) digits += String.fromCharCode(s[p++]!);
      out.nanos = Number(digits.padEnd(9, '0').slice(0, 9));
    }
  }
  // parse_timezone
  while (p < n && isSpace(s[p])) p++;
  if (p >= n) return out;
  if (s[p] === 0x5a) {
    out.offset = 0;
    if (n - p === 1) return out;
    p++;
  } else if (s[p] === 0x2d || s[p] === 0x2b) {
    const neg = s[p] === 0x2d;
    p++;
    let oh: number;
    let om = 0;
    if (n - p >= 2 && isDigit(s[p]) && isDigit(s[p + 1])) {
      oh = digit() * 10 + digit();
      if (oh >= 24) return null;
    } else if (isDigit(s[p])) {
      oh = digit();
    } else return null;
    if (p < n) {
      if (s[p] === 0x3a) p++;
      if (n - p >= 2 && isDigit(s[p]) && isDigit(s[p + 1])) {
        om = digit() * 10 + digit();
        if (om >= 60) return null;
      } else if (isDigit(s[p])) {
        om = digit();
      } else return null;
    }
    out.offset = neg ? -(oh * 60 + om) : oh * 60 + om;
  }
  while (p < n && isSpace(s[p])) p++;
  return p === n ? out : null;
}
