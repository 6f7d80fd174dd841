/**
 * CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII` (Objects/unicodeobject.c), which `float(str)` and
 * `int(str)` run before parsing: ASCII is kept as it is, any other whitespace (`str.isspace`: NBSP, U+2000–U+200A,
 * U+3000 …) becomes a space, any other decimal digit (Unicode category Nd: Arabic-Indic `١٢`, fullwidth `１`,
 * mathematical `𝟙`) becomes its ASCII digit, and the first other character ends the text as `?` (so the parse
 * fails). This is why `float("١٢")` is 12.0 and numpy/pandas `astype(float)` of an object column holding it succeeds.
 */

/** Python's non-ASCII whitespace (`Py_UNICODE_ISSPACE` above U+007F: bidi class WS/B/S or category Zs). */
const PY_SPACE = /[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const DIGIT = /\p{Nd}/u;

/** The value of a decimal digit: Nd characters come in runs of ten from 0 to 9 (a Unicode stability rule). */
function digitValue(cp: number): number {
  let start = cp;
  while (start > 0 && DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Whether every character is below U+007F (what CPython's transformation keeps as it is). */
function isPlainAscii(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) >= 127) return false;
  return true;
}

/** The text `float()`/`int()` parse after CPython's transformation (ASCII only, `?` at the first bad character). */
export function pyNumberText(s: string): string {
  if (isPlainAscii(s)) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 127) out += ch;
    else if (PY_SPACE.test(ch)) out += ' ';
    else if (DIGIT.test(ch)) out += String(digitValue(cp));
    else return out + '?';
  }
  return out;
}
