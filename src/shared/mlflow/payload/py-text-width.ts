/**
 * Python's idea of a text's length: `len(str)` counts code points, where a JS string's `length` counts UTF-16
 * units — an emoji or any character past U+FFFF is one to Python and two to JS. pandas 1.5 measures and pads
 * every cell, label and column of a printed frame with `len` / `str.rjust` / `str.ljust` (`TextAdjustment`, the
 * default while `display.unicode.east_asian_width` is off), and numpy 1.24's `array2string` lays out elements and
 * wraps lines with `len` too, so their texts are justified by code points (docs/fidelity.md §2 "Python measures
 * text in code points").
 */
const SURROGATE = /[\uD800-\uDFFF]/;

/** `len(s)`: code points (a lone surrogate, which `json.loads` keeps, is one, as in Python). */
export function pyLen(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `s.rjust(width)`. */
export const pyRjust = (s: string, width: number): string => ' '.repeat(Math.max(0, width - pyLen(s))) + s;

/** `s.ljust(width)`. */
export const pyLjust = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - pyLen(s)));

/** `s[:n]` for n ≥ 0: the first n code points. */
export function pyHead(s: string, n: number): string {
  if (!SURROGATE.test(s)) return s.slice(0, n);
  return [...s].slice(0, n).join('');
}
