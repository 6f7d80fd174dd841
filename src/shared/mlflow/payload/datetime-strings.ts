/**
 * Datetime strings as the two readers behind MLflow's `datetime` columns read them: pandas 1.5's
 * `astype("datetime64[ns]")` of an object column (`dataframe_split`/`dataframe_records`, `pandasDatetimeFromStr`)
 * and numpy's `np.array(x, dtype="datetime64[ns]")` (the TF-serving forms, `numpyDatetimeFromStr`).
 *
 * numpy 1.24's `parse_iso_8601_datetime` (numpy/core/src/multiarray/_datetime_strings.c), which
 * `np.array(value, dtype="datetime64[ns]")` runs on a string — the TF-serving cast of a `datetime` column in
 * MLflow 2.7 (`cast_schema_type`) and 2.12 (`convert_data_type`). Unlike pandas it takes only ISO 8601: an empty
 * string or any-case `NaT` is NaT, `today` / `now` are the current date / second, then `[±]Y…Y[-MM[-DD[(T| )hh
 * [:mm[:ss[.f…]]]]]]` with two-digit fields (leading spaces skipped, spaces before a `Z` / `±hh[:mm]` zone and at
 * the very end allowed, the zone applied as an offset to UTC). Errors are numpy's own words, the position being
 * the byte offset where parsing stopped. The result is nanoseconds since the epoch wrapped to int64, as numpy's
 * unchecked conversion wraps (`20240115` is the year 20240115: garbage, not an error).
 */
import { NaT, parseDatetimeWithOffset, Timestamp, type NaTType } from './cells';
import { PyError } from './frame';
import { parsePandasIso8601 } from './pandas-iso8601';

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: bigint): boolean => (y % 4n === 0n && y % 100n !== 0n) || y % 400n === 0n;
const daysInMonth = (y: bigint, m: number): number => (m === 2 && isLeap(y) ? 29 : DAYS[m - 1]!);
const utf8 = new TextEncoder();
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
const isSpace = (b: number | undefined): boolean => b === 0x20 || (b !== undefined && b >= 0x09 && b <= 0x0d);

/** Days from 1970-01-01 to y-m-d, proleptic Gregorian (any year). */
function daysFromCivil(y: bigint, m: number, d: number): bigint {
  const yy = m <= 2 ? y - 1n : y;
  const era = (yy >= 0n ? yy : yy - 399n) / 400n;
  const yoe = yy - era * 400n;
  const mp = BigInt((m + 9) % 12);
  const doy = (153n * mp + 2n) / 5n + BigInt(d - 1);
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146097n + doe - 719468n;
}

/** `np.datetime64(text, "ns")` of a string: a Timestamp (wrapped to int64), NaT, or numpy's ValueError. */
export function numpyDatetimeFromStr(text: string, now: Date = new Date()): Timestamp | NaTType {
  const s = utf8.encode(text);
  const lower = text.toLowerCase();
  if (s.length === 0 || (s.length === 3 && lower === 'nat')) return NaT;
  if (s.length === 5 && lower === 'today') return new Timestamp(daysFromCivil(BigInt(now.getUTCFullYear()), now.getUTCMonth() + 1, now.getUTCDate()) * 86_400_000_000_000n);
  if (s.length === 3 && lower === 'now') return new Timestamp(BigInt(Math.floor(now.getTime() / 1000)) * 1_000_000_000n);
  let p = 0;
  const fail = (): never => {
    throw new PyError('ValueError', `Error parsing datetime string "${text}" at position ${p}`);
  };
  const range = (what: string): never => {
    throw new PyError('ValueError', `${what} out of range in datetime string "${text}"`);
  };
  const two = (): number => {
    if (!isDigit(s[p]) || !isDigit(s[p + 1])) fail();
    const v = (s[p]! - 0x30) * 10 + (s[p + 1]! - 0x30);
    p += 2;
    return v;
  };
  while (isSpace(s[p])) p++;
  const negative = s[p] === 0x2d;
  if (s[p] === 0x2d || s[p] === 0x2b) p++;
  if (p >= s.length) fail();
  let year = 0n;
  while (isDigit(s[p])) year = year * 10n + BigInt(s[p++]! - 0x30);
  // numpy negates when the *string* starts with '-' (a leading space then '-' is a positive year)
  if (negative && s[0] === 0x2d) year = -year;
  let month = 1, day = 1, hour = 0, min = 0, sec = 0;
  let frac = 0n;
  let offsetMin = 0;
  const done = (): Timestamp => {
    const days = daysFromCivil(year, month, day);
    const ns = ((days * 24n + BigInt(hour)) * 60n + BigInt(min - offsetMin)) * 60_000_000_000n + BigInt(sec) * 1_000_000_000n + frac;
    return new Timestamp(BigInt.asIntN(64, ns));
  };
  if (p >= s.length) return done();
  if (s[p] !== 0x2d) fail();
  p++;
  if (p >= s.length) fail();
  month = two();
  if (month < 1 || month > 12) range('Month');
  if (p >= s.length) return done();
  if (s[p] !== 0x2d) fail();
  p++;
  if (p >= s.length) fail();
  day = two();
  if (day < 1 || day > daysInMonth(year, month)) range('Day');
  if (p >= s.length) return done();
  if (s[p] !== 0x54 && s[p] !== 0x20) fail();
  p++;
  hour = two();
  if (hour >= 24) range('Hours');
  time: {
    if (s[p] !== 0x3a) break time;
    p++;
    if (p >= s.length) fail();
    min = two();
    if (min >= 60) range('Minutes');
    if (s[p] !== 0x3a) break time;
    p++;
    if (p >= s.length) fail();
    sec = two();
    if (sec >= 60) range('Seconds');
    if (s[p] !== 0x2e) break time;
    p++;
    // up to 18 fraction digits (µs, ps, as groups of six) are read; nanoseconds keep the first nine
    let digits = '';
    while (digits.length < 18 && isDigit(s[p])) digits += String.fromCharCode(s[p++]!);
    frac = BigInt(digits.padEnd(18, '0').slice(0, 9));
  }
  while (isSpace(s[p])) p++;
  if (p >= s.length) return done();
  if (s[p] === 0x5a) {
    p++;
  } else if (s[p] === 0x2d || s[p] === 0x2b) {
    const sign = s[p] === 0x2d ? -1 : 1;
    p++;
    const oh = two();
    if (oh >= 24) range('Timezone hours offset');
    let om = 0;
    if (p < s.length) {
      if (s[p] === 0x3a) p++;
      om = two();
      if (om >= 60) range('Timezone minutes offset');
    }
    offsetMin = sign * (oh * 60 + om);
  }
  while (isSpace(s[p])) p++;
  if (p < s.length) fail();
  return done();
}

/** pandas' `nat_strings` (tslibs/nattype.pyx): read as NaT, like the empty string. */
const PANDAS_NAT = new Set(['NaT', 'nat', 'NAT', 'nan', 'NaN', 'NAN']);
const NS_MIN = -(2n ** 63n) + 1n; // NPY_NAT (int64 min) is reserved for NaT
const NS_MAX = 2n ** 63n - 1n;

/**
 * One string of an object column as pandas 1.5's `astype("datetime64[ns]")` reads it (`to_datetime` →
 * tslib.pyx `array_to_datetime`, errors="raise"): the empty string and `nat_strings` are NaT, then pandas' own ISO
 * reader (pandas-iso8601.ts; `YYYY`, `YYYY-MM`, `YYYYMMDD`, `.`/`/` separators …), `now`/`today` the current time,
 * else dateutil, modelled for its ISO-like readings (cells.ts parseDatetime); a date must fit datetime64[ns] (`check_dts_bounds`:
 * "Out of bounds nanosecond timestamp: 1-01-01 00:00:00"), anything else went to dateutil, whose failure is a
 * ParserError — for an ISO-shaped text with a field out of range, Python's `datetime()` words in dateutil's
 * "<error>: <text>" ("day is out of range for month: 2024-02-30"). Every error ends with " present at position i".
 * Forms only dateutil reads (`15/01/2024`, `Jan 15 2024`) are not modelled: they are reported as unknown.
 */
export function pandasDatetimeFromStr(v: string, position: number, offsets?: (number | 'naive')[]): Timestamp | NaTType {
  if (v.length === 0 || PANDAS_NAT.has(v)) return NaT;
  const at = ` present at position ${position}`;
  // string_to_dts first (pandas-iso8601.ts): what it reads never reaches dateutil
  const iso = parsePandasIso8601(v);
  if (iso !== null) {
    const local = ((daysFromCivil(BigInt(iso.year), iso.month, iso.day) * 24n + BigInt(iso.hour)) * 60n + BigInt(iso.min)) * 60_000_000_000n +
      BigInt(iso.sec) * 1_000_000_000n + BigInt(iso.nanos);
    offsets?.push(iso.offset);
    // check_dts_bounds(&dts): the fields as written (before the offset is applied), printed unpadded-year
    if (local < NS_MIN || local > NS_MAX) {
      const p2 = (x: number): string => String(x).padStart(2, '0');
      throw new PyError('OutOfBoundsDatetime', `Out of bounds nanosecond timestamp: ${iso.year}-${p2(iso.month)}-${p2(iso.day)} ${p2(iso.hour)}:${p2(iso.min)}:${p2(iso.sec)}${at}`);
    }
    // tz_localize_to_utc_single(value, pytz.FixedOffset(out_tzoffset)): unchecked int64 arithmetic, so a time at the
    // edge of the range wraps (`2262-04-11T23:47:16.854775807-01:00` is 1677-09-21 01:12:43.145224191)
    return new Timestamp(iso.offset === 'naive' ? local : BigInt.asIntN(64, local - BigInt(iso.offset) * 60_000_000_000n));
  }
  // `_parse_today_now`: read before the offsets are noted, so they count as neither naive nor aware
  if (v === 'now' || v === 'today') return new Timestamp(BigInt(Date.now()) * 1_000_000n);
  // dateutil (parsing.pyx parse_datetime_string → du_parse): only its ISO-like readings are modelled
  const parsed = parseDatetimeWithOffset(v);
  if (parsed === null) throw new PyError('ParserError', `${datetimeFieldError(v) ?? 'Unknown string format'}: ${v}${at}`);
  const ts = parsed.ts;
  offsets?.push(parsed.offset);
  if (ts.ns < NS_MIN || ts.ns > NS_MAX) {
    const d = new Date(Number(ts.ns / 1_000_000n) - (ts.ns % 1_000_000n < 0n ? 1 : 0));
    const p2 = (x: number): string => String(x).padStart(2, '0');
    const text = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    throw new PyError('OutOfBoundsDatetime', `Out of bounds nanosecond timestamp: ${text}${at}`);
  }
  return ts;
}

/** Python `datetime(y, m, d, H, M, S)`'s ValueError for an ISO-shaped text whose fields are out of range (CPython `_datetimemodule.c`). */
function datetimeFieldError(v: string): string | null {
  const m = ISO_SHAPE.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number, number, number];
  if (y < 1 || y > 9999) return `year ${y} is out of range`;
  if (mo < 1 || mo > 12) return 'month must be in 1..12';
  if (d < 1 || d > daysInMonth(BigInt(y), mo)) return 'day is out of range for month';
  if (h > 23) return 'hour must be in 0..23';
  if (mi > 59) return 'minute must be in 0..59';
  if (se > 59) return 'second must be in 0..59';
  return null;
}

const ISO_SHAPE = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?\s*$/;

/**
 * pandas 1.5.3's refusal of a column whose strings carry different UTC offsets, or an offset beside a naive time,
 * once every string has been read (`offsets`: each parsed string's, in row order). tslib.pyx `array_to_datetime`
 * notes each string's offset (`out_tzoffset_vals`, 'naive' for none; 'now'/'today' and NaT note nothing); one offset
 * alone gives UTC times, more than one sends the column down the object path (`_array_to_datetime_object`: each
 * string a `datetime`, aware or naive), and `astype_nansafe` → `to_datetime` reads those datetimes again, where
 * conversion.pyx `convert_timezone` stops at the first that conflicts with the ones before it: an aware one after a
 * naive one, or with another offset than the first aware one → "Tz-aware datetime.datetime cannot be converted to
 * datetime64 unless utc=True"; a naive one after an aware one → "Cannot mix tz-aware with tz-naive values".
 * (Measured with Debian's pandas 1.5.3: `pd.Series(["2024-01-15T10:30:00Z", "2024-01-15"], dtype=object)
 * .astype("datetime64[ns]")`.) Errors of reading (ParserError, out of bounds) come first: they stop the first pass.
 */
export function pandasMixedZones(offsets: readonly (number | 'naive')[]): void {
  if (new Set(offsets).size < 2 || offsets.every((o) => o === 'naive')) return;
  let aware: number | null = null;
  let naive = false;
  for (const o of offsets) {
    if (o === 'naive') {
      if (aware !== null) throw new PyError('ValueError', 'Cannot mix tz-aware with tz-naive values');
      naive = true;
    } else {
      if (naive || (aware !== null && aware !== o)) throw new PyError('ValueError', 'Tz-aware datetime.datetime cannot be converted to datetime64 unless utc=True');
      aware = o;
    }
  }
}
