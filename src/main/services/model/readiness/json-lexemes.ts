/**
 * The shape of a JSON text with what `JSON.parse` throws away: whether a number was written as an
 * integer (`3`) or not (`3.0`, `1e3`) — read by the payload engine's Python-exact parser. Python's
 * `json` keeps that difference and pandas turns it into int64 vs float64 columns, which is exactly what
 * decides how Azure casts requests (payloads.md §4). Never throws:
 * anything unreadable (including text truncated for display) gives null and the caller stays silent.
 */
import { isPyInt, parsePyJson, type PyValue } from '@shared/mlflow/payload/py-json';

export type Lex =
  | { t: 'int' }
  | { t: 'float' }
  /** An integral number whose lexeme is unknown (`3` may have been `3.0`): only from `lexFromValue`. */
  | { t: 'num' }
  | { t: 'str' }
  | { t: 'bool' }
  | { t: 'null' }
  | { t: 'arr'; items: Lex[] }
  | { t: 'obj'; entries: [string, Lex][] };

const MAX_DEPTH = 200;

export function parseLexemes(text: string): Lex | null {
  let value: PyValue;
  try {
    // The payload engine's reader already keeps int vs float apart (PyFloat), exactly as Python reads it.
    value = parsePyJson(text, { maxDepth: MAX_DEPTH });
  } catch {
    return null;
  }
  const lex = (v: PyValue): Lex => {
    if (v === null) return { t: 'null' };
    if (typeof v === 'boolean') return { t: 'bool' };
    if (typeof v === 'string') return { t: 'str' };
    if (Array.isArray(v)) return { t: 'arr', items: v.map(lex) };
    if (v instanceof Map) return { t: 'obj', entries: [...v].map(([k, x]): [string, Lex] => [k, lex(x)]) };
    return isPyInt(v) ? { t: 'int' } : { t: 'float' };
  };
  return lex(value);
}

/** Looks a key up in a parsed object. */
export function lexGet(v: Lex | null | undefined, key: string): Lex | undefined {
  if (!v || v.t !== 'obj') return undefined;
  return v.entries.find(([k]) => k === key)?.[1];
}

/**
 * The same tree from an already parsed value, for when the text is not trustworthy (truncated, or
 * re-printed by JSON.stringify so `3.0` became `3`): integral numbers are marked ambiguous (`num`).
 */
export function lexFromValue(v: unknown, depth = 0): Lex {
  if (depth > MAX_DEPTH) return { t: 'null' };
  if (v === null || v === undefined) return { t: 'null' };
  if (typeof v === 'boolean') return { t: 'bool' };
  if (typeof v === 'string') return { t: 'str' };
  if (typeof v === 'number') return Number.isInteger(v) ? { t: 'num' } : { t: 'float' };
  if (Array.isArray(v)) return { t: 'arr', items: v.map((x) => lexFromValue(x, depth + 1)) };
  if (typeof v === 'object') {
    return { t: 'obj', entries: Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, lexFromValue(x, depth + 1)]) };
  }
  return { t: 'null' };
}

/**
 * Lexemes of an input example: from its text (input-examples.ts re-prints the file with Python's own lexemes,
 * so `1.0` stays a float and `1` an int — even when the text happens to equal `JSON.stringify`'s), else, when
 * the text was cut short, from the parsed content (where 1.0 and 1 are the same number: ints only as `num`).
 */
export function exampleLexemes(example: { pretty: string; truncated: boolean; content: unknown }): Lex | null {
  if (example.content === null || example.content === undefined) return null;
  if (!example.truncated) {
    const lex = parseLexemes(example.pretty);
    if (lex) return lex;
  }
  return lexFromValue(example.content);
}
