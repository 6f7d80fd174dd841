/**
 * Where a JSON path from the payload engine (`$.input_data.data[0][2]`, `$.dataframe_records[1].age`) sits in
 * the editor's text, so a warning or error is marked on the value it is about. Tolerant: when the path goes
 * deeper than the text (or the text stops being JSON), the deepest value found is marked instead.
 */

export type PathSegment = string | number;

export interface Span {
  from: number;
  to: number;
  /** False when only a parent of the path was found. */
  exact: boolean;
}

/**
 * The segments of a path as `pathKey` writes them (warnings.ts): `.name`, `[3]`, and `["any key"]` as a JSON string
 * (`['key']` read too). A scan, not a pattern: the path carries the body's own keys, and a lazy `(.*?)` between
 * brackets backtracked over a hostile key (`['` × 50 000: 7.8 s in the renderer).
 */
export function parseJsonPath(path: string): PathSegment[] {
  const segs: PathSegment[] = [];
  const n = path.length;
  let i = path.startsWith('$') ? 1 : 0;
  // Once no `']` is left, no later `['` can close: it is not searched for again (that search made it quadratic).
  let singleCloses = true;
  while (i < n) {
    const c = path[i];
    if (c === '.') {
      let j = i + 1;
      while (j < n && path[j] !== '.' && path[j] !== '[' && path[j] !== ']') j++;
      if (j > i + 1) segs.push(path.slice(i + 1, j));
      i = j;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      while (j < n && path.charCodeAt(j) >= 0x30 && path.charCodeAt(j) <= 0x39) j++;
      if (j > i + 1 && path[j] === ']') {
        segs.push(Number(path.slice(i + 1, j)));
        i = j + 1;
        continue;
      }
      if (path[i + 1] === '"') {
        // a JSON string: to its closing quote, escapes skipped (each scan stops at the next quote: linear overall)
        let k = i + 2;
        while (k < n && path[k] !== '"') k += path[k] === '\\' ? 2 : 1;
        if (k < n && path[k + 1] === ']') {
          const literal = path.slice(i + 1, k + 1);
          let key: string;
          try {
            key = JSON.parse(literal) as string;
          } catch {
            key = literal.slice(1, -1);
          }
          segs.push(key);
          i = k + 2;
          continue;
        }
      } else if (path[i + 1] === "'" && singleCloses) {
        const k = path.indexOf("']", i + 2);
        if (k < 0) singleCloses = false;
        else {
          segs.push(path.slice(i + 2, k));
          i = k + 2;
          continue;
        }
      }
    }
    i++;
  }
  return segs;
}

class Scanner {
  constructor(readonly s: string, public i = 0) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  /** Reads a string starting at a quote; returns its (unescaped enough for keys) text. */
  string(): string | null {
    if (this.s[this.i] !== '"') return null;
    let out = '';
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"') {
      if (this.s[this.i] === '\\') {
        out += this.s[this.i + 1] ?? '';
        this.i += 2;
      } else out += this.s[this.i++];
    }
    this.i++;
    return out;
  }
  /** Skips one value of any kind; false when the text is not JSON here. */
  skip(): boolean {
    this.ws();
    const c = this.s[this.i];
    if (c === '"') return this.string() !== null;
    if (c === '{' || c === '[') {
      let depth = 0;
      while (this.i < this.s.length) {
        const d = this.s[this.i];
        if (d === '"') {
          this.string();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        if (d === '}' || d === ']') depth--;
        this.i++;
        if (depth === 0) return true;
      }
      return false;
    }
    const start = this.i;
    while (this.i < this.s.length && !/[\s,\]}]/.test(this.s[this.i]!)) this.i++;
    return this.i > start;
  }
}

export function locateJsonPath(text: string, path: string): Span | null {
  const segs = parseJsonPath(path);
  const sc = new Scanner(text);
  sc.ws();
  let best: Span | null = null;
  for (let depth = 0; ; depth++) {
    sc.ws();
    const start = sc.i;
    const probe = new Scanner(text, start);
    if (!probe.skip()) return best;
    best = { from: start, to: probe.i, exact: depth === segs.length };
    if (depth === segs.length) return best;
    const seg = segs[depth]!;
    const open = text[sc.i];
    if (open === '{' && typeof seg === 'string') {
      sc.i++;
      let found = false;
      for (;;) {
        sc.ws();
        if (text[sc.i] === '}' || sc.i >= text.length) break;
        const key = sc.string();
        if (key === null) return best;
        sc.ws();
        if (text[sc.i] !== ':') return best;
        sc.i++;
        sc.ws();
        if (key === seg) {
          found = true;
          break;
        }
        if (!sc.skip()) return best;
        sc.ws();
        if (text[sc.i] === ',') sc.i++;
      }
      if (!found) return best;
    } else if (open === '[' && typeof seg === 'number') {
      sc.i++;
      for (let k = 0; k < seg; k++) {
        sc.ws();
        if (text[sc.i] === ']' || !sc.skip()) return best;
        sc.ws();
        if (text[sc.i] !== ',') return best;
        sc.i++;
      }
      sc.ws();
      if (text[sc.i] === ']') return best;
    } else return best;
  }
}

/** Offsets of every object key (for completing column names: the keys already used in the body). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}
