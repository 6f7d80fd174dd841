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

export function parseJsonPath(path: string): PathSegment[] {
  const segs: PathSegment[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[(['"])(.*?)\3\]/g;
  let m: RegExpExecArray | null;
  const body = path.startsWith('$') ? path.slice(1) : path;
  while ((m = re.exec(body)) !== null) {
    if (m[1] !== undefined) segs.push(m[1]);
    else if (m[2] !== undefined) segs.push(Number(m[2]));
    else segs.push(m[4]!);
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
