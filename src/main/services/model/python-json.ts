/**
 * JSON as Python writes it. MLflow saves input examples with `json.dump`, whose default `allow_nan=True`
 * writes bare `NaN`, `Infinity` and `-Infinity` for missing or infinite values: common in real DataFrame
 * examples, and invalid for `JSON.parse`. They are read here as null (JSON has no NaN) and the caller is
 * told so it can say so.
 */

export interface PythonJsonResult {
  value: unknown;
  /** True when NaN/Infinity tokens were replaced by null. */
  nonFiniteReplaced: boolean;
}

/** Replaces bare NaN / Infinity / -Infinity outside strings with null; returns null when there are none. */
function replaceNonFinite(text: string): string | null {
  let out = '';
  let changed = false;
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // Skip the string, honouring escapes.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    const rest = text.startsWith('-Infinity', i) ? '-Infinity' : text.startsWith('Infinity', i) ? 'Infinity' : text.startsWith('NaN', i) ? 'NaN' : null;
    if (rest !== null) {
      out += text.slice(last, i) + 'null';
      i += rest.length;
      last = i;
      changed = true;
      continue;
    }
    i++;
  }
  return changed ? out + text.slice(last) : null;
}

/** Parses JSON, accepting Python's non-finite tokens. Throws the original SyntaxError otherwise. */
export function parsePythonJson(text: string): PythonJsonResult {
  try {
    return { value: JSON.parse(text), nonFiniteReplaced: false };
  } catch (err) {
    const replaced = replaceNonFinite(text);
    if (replaced === null) throw err;
    try {
      return { value: JSON.parse(replaced), nonFiniteReplaced: true };
    } catch {
      throw err;
    }
  }
}
