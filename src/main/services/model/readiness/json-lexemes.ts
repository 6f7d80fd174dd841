/**
 * A JSON reader that keeps what `JSON.parse` throws away: whether a number was written as an integer
 * (`3`) or not (`3.0`, `1e3`). Python's `json` keeps that difference and pandas turns it into int64 vs
 * float64 columns, which is exactly what decides how Azure casts requests (payloads.md §4). Never throws:
 * anything unreadable (including text truncated for display) gives null and the caller stays silent.
 */
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
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fail = (): never => {
    throw new SyntaxError('bad json');
  };
  const str = (): string => {
    // Only the content of keys matters; escapes are decoded by JSON.parse on the exact slice.
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (depth: number): Lex => {
    if (depth > MAX_DEPTH) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, Lex][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'obj', entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        entries.push([key, value(depth + 1)]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { t: 'obj', entries };
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      const items: Lex[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'arr', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { t: 'arr', items };
        }
        fail();
      }
    }
    if (c === '"') {
      str();
      return { t: 'str' };
    }
    if (text.startsWith('true', i) || text.startsWith('false', i)) {
      i += text[i] === 't' ? 4 : 5;
      return { t: 'bool' };
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return { t: 'null' };
    }
    // Python's json also writes NaN / Infinity; pandas reads them as float64.
    for (const word of ['NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { t: 'float' };
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
    return m![1] !== undefined || m![2] !== undefined ? { t: 'float' } : { t: 'int' };
  };
  try {
    const v = value(0);
    ws();
    return i === text.length ? v : null;
  } catch {
    return null;
  }
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
 * Lexemes of an input example: from its text when the text can be trusted to be the file's own, else from
 * the parsed content. Text identical to `JSON.stringify(content, null, 2)` may be a re-print, so it is
 * treated as untrusted (costs only recall, never a false alarm).
 */
export function exampleLexemes(example: { pretty: string; truncated: boolean; content: unknown }): Lex | null {
  if (example.content === null || example.content === undefined) return null;
  const reprinted = example.pretty === JSON.stringify(example.content, null, 2);
  if (!example.truncated && !reprinted) {
    const lex = parseLexemes(example.pretty);
    if (lex) return lex;
  }
  return lexFromValue(example.content);
}
