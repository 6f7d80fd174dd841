/**
 * The recorded differential suite (test/fidelity, docs/fidelity.md): reading the recordings of the real
 * MLflow servers and comparing an answer with a recorded one by the reference's rules — status,
 * Content-Type and body byte for byte, except that in an error body the order of a Python set (and of
 * an "extra inputs" list) and the content of `stack_trace` do not count (its presence does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

export const fidelityDir = join(repoRoot, 'test', 'fixtures', 'fidelity');
/** The held-out suite: requests of a second generator (other seed, other mutation kinds) nobody fixed against. */
export const heldOutDir = join(fidelityDir, 'heldout');
/** The fresh suite: what a data scientist sends (pandas to_json/to_csv output, spellings), written by someone else. */
export const freshDir = join(fidelityDir, 'fresh');
/** The second fresh suite: Azure-shaped bodies, Excel's CSV, numpy tolist(), number tokens … measured before any fix. */
export const fresh2Dir = join(fidelityDir, 'fresh2');
/** The third fresh suite: Python/R client bodies, missing values everywhere, number bounds, CSV quirks … measured before any fix. */
export const fresh3Dir = join(fidelityDir, 'fresh3');
/** The fourth fresh suite: hand-edited bodies, deep nesting, key combinations, wrong JSON types, tensor shapes … measured before any fix. */
export const fresh4Dir = join(fidelityDir, 'fresh4');
export const knownGapsFile = join(fidelityDir, 'known-gaps.json');
export const gapsFileOf = (dir: string): string => join(dir, 'known-gaps.json');
export const VERSIONS = ['2.7.1', '2.12.2'] as const;
/** A recorded MLflow version: the two of the shared recordings, or one of a version's own fixture set (e.g. `2.16.2`). */
export type Version = string;
/** MLflow 2.16.2's own recordings (docs/fidelity.md §7): the main suite here, the others in sub-folders. */
export const fidelity2162Dir = join(fidelityDir, 'mlflow-2.16.2');

export interface RecordedAnswer {
  status: number;
  content_type: string | null;
  body?: string;
  body_b64?: string;
}

export interface RecordedCase {
  id: string;
  cls: string;
  /** GET and POST; the second fresh suite's routes also HEAD, OPTIONS, PUT, PATCH, DELETE (sent without a body). */
  method: 'GET' | 'POST' | 'HEAD' | 'OPTIONS' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  content_type: string | null;
  body?: string;
  body_b64?: string;
  answers: Partial<Record<Version, RecordedAnswer>>;
}

export const bodyBytes = (x: { body?: string; body_b64?: string }): Buffer =>
  x.body_b64 !== undefined ? Buffer.from(x.body_b64, 'base64') : Buffer.from(x.body ?? '', 'utf8');

/** model name → its cases, in recording order. */
export function readRecordings(dir: string = fidelityDir): Map<string, RecordedCase[]> {
  const out = new Map<string, RecordedCase[]>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    const cases = readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as RecordedCase);
    out.set(f.replace(/\.jsonl$/, ''), cases);
  }
  return out;
}

/**
 * Walks `s` from `start`, calling `visit(i, depth)` for each character outside quotes with the bracket depth
 * before it (quotes and backslash escapes skipped); stops when `visit` returns true. Returns where it stopped, or -1.
 */
function walk(s: string, start: number, visit: (i: number, depth: number) => boolean): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < s.length; i++) {
    const ch = s[i]!;
    if (quote !== null) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") { quote = ch; continue; }
    if (visit(i, depth)) return i;
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
  }
  return -1;
}

/** Splits `a, b, (c, d)` at commas outside quotes and brackets. */
function topLevelItems(s: string): string[] {
  const items: string[] = [];
  let start = 0;
  walk(s, 0, (i, depth) => {
    if (s[i] === ',' && depth === 0) {
      items.push(s.slice(start, i).trim());
      start = i + 1;
    }
    return false;
  });
  items.push(s.slice(start).trim());
  return items;
}

/** The end index of the bracket opened at `open` (quotes respected), or -1. */
const closing = (s: string, open: number): number => walk(s, open, (i, depth) => depth === 1 && ')]}'.includes(s[i]!));

/**
 * An un-named tensor schema casts the frame's columns in the order of `set(pdf.columns)`
 * (`cast_df_types_according_to_schema`), and on a frame with no rows every column fails alike (`iloc[0]`): the
 * column the message names is the set's first, a hash order no client can rely on.
 */
const EMPTY_FRAME_CAST = /Failed to convert column .* to type '([^']*)'\. Error: 'IndexError\('single positional indexer is out-of-bounds'\)'/;

/**
 * A message with the order of Python sets (`{a, b}` that are not dicts) and of the "extra inputs: [...]"
 * list made canonical: the real server prints them in hash order, which no client can rely on.
 */
export function canonicalMessage(msg: string): string {
  msg = msg.replace(EMPTY_FRAME_CAST, "Failed to convert column <set order> to type '$1'. Error: 'IndexError('single positional indexer is out-of-bounds')'");
  let out = '';
  let i = 0;
  while (i < msg.length) {
    const ch = msg[i]!;
    const isSet = ch === '{';
    const isExtraList = ch === '[' && /extra inputs: $/.test(msg.slice(Math.max(0, i - 14), i));
    if (isSet || isExtraList) {
      const end = closing(msg, i);
      if (end > 0) {
        const inner = msg.slice(i + 1, end);
        const items = topLevelItems(inner);
        const isDict = isSet && items.some((it) => /^('[^']*'|"[^"]*"|[\w.-]+): /.test(it));
        if (!isDict) {
          out += ch + items.map(canonicalMessage).sort().join(', ') + msg[end];
          i = end + 1;
          continue;
        }
      }
    }
    out += ch;
    i++;
  }
  return out;
}

function errorView(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !('error_code' in v)) return null;
    return v as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Null when `got` is the recorded answer by the reference's rules; else what differs, for the report. */
export function differs(want: RecordedAnswer, got: { status: number; content_type: string | null; body: Buffer }): string | null {
  if (want.status !== got.status) return `status ${got.status}, real ${want.status}`;
  if ((want.content_type ?? null) !== (got.content_type ?? null)) return `content-type ${got.content_type}, real ${want.content_type}`;
  const wantBytes = bodyBytes(want);
  if (wantBytes.equals(got.body)) return null;
  const w = errorView(wantBytes.toString('utf8'));
  const g = errorView(got.body.toString('utf8'));
  if (w !== null && g !== null) {
    const wk = Object.keys(w).sort().join(',');
    const gk = Object.keys(g).sort().join(',');
    if (wk !== gk) return `keys ${gk}, real ${wk}; message ${JSON.stringify(g.message)}, real ${JSON.stringify(w.message)}`;
    if (w.error_code !== g.error_code) return `error_code ${String(g.error_code)}, real ${String(w.error_code)}`;
    if (typeof w.message === 'string' && typeof g.message === 'string' && canonicalMessage(w.message) === canonicalMessage(g.message)) return null;
    return `message ${JSON.stringify(g.message)}, real ${JSON.stringify(w.message)}`;
  }
  if (canonicalPlain(wantBytes.toString('utf8')) === canonicalPlain(got.body.toString('utf8'))) return null;
  return `body ${JSON.stringify(got.body.toString('utf8').slice(0, 300))}, real ${JSON.stringify(wantBytes.toString('utf8').slice(0, 300))}`;
}

/**
 * The 415 for unknown content-type parameters joins `set(parameter_values.keys()).difference({"charset"})` (S1
 * `invocations`): a Python set, printed in hash order — as in an error body's message, that order does not count.
 */
const UNKNOWN_CT_PARAMS = /^(Unrecognized content type parameters: )(.*?)(\. IMPORTANT: )/s;
const canonicalPlain = (text: string): string => text.replace(UNKNOWN_CT_PARAMS, (_, a: string, list: string, b: string) => a + list.split(', ').sort().join(', ') + b);

/** Whether the real server called the model: a prediction, or the model's own failure. */
export function reachedModel(a: RecordedAnswer): boolean {
  // 1.x (docs/fidelity.md §15) writes the predictions bare: a list (or a list of records)
  if (a.status === 200 && (a.body?.startsWith('{"predictions"') || a.body?.startsWith('['))) return true;
  const e = a.body === undefined ? null : errorView(a.body);
  return e !== null && typeof e.message === 'string' && e.message.startsWith('Encountered an unexpected error while evaluating the model');
}

export interface KnownGaps {
  /** "<surface> <version>" → case ids known to disagree (the list may only shrink). */
  [surfaceAndVersion: string]: string[];
}

export function readKnownGaps(file: string = knownGapsFile): KnownGaps {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as KnownGaps;
  } catch {
    return {};
  }
}
