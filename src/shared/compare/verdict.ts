/**
 * The playground's verdict (issue 10): do these targets give the same predictions? Structural and numeric
 * diff with an abs/rel tolerance per output, shape differences explained in words (bare list vs
 * `{"predictions"}`, label vs probabilities, named outputs), the mismatching rows, and one plain sentence on
 * top. Pure: the renderer, the CLI (`preflight compare`) and the compare service share it.
 */
import type { z } from 'zod';
import type { VerdictSchema } from '../ipc/compare-contract';
import { answerShape, describeWrapping, type AnswerShape, type OutputColumn } from './answer-shape';
import { compareCells, formatNumber, formatTolerance, type Tolerance } from './cells';

export type { Tolerance } from './cells';

export interface VerdictTarget {
  /** What the user called it: `local:azureml`, `mlflow:http://127.0.0.1:5000/invocations`. */
  name: string;
  /** HTTP status; null when there was no answer (connection refused, timeout). */
  status: number | null;
  /** The body as JSON (NaN/Infinity as strings), or the text when `json` is false. */
  body: unknown;
  json: boolean;
  /** The root cause when the target failed: its error, Azure's model-error headers, the server log. */
  detail?: string | null;
}

export interface VerdictOptions {
  tolerance: Tolerance;
  /** Tolerances for named outputs, overriding `tolerance`. */
  perOutput?: Readonly<Record<string, Tolerance>>;
  /** Most mismatching rows listed per output (all are counted). Default 100. */
  maxRows?: number;
}

/**
 * The verdict's shapes are those of compare.run's answer (VerdictSchema in compare-contract.ts), declared
 * once there with their meaning; the engine builds exactly what the contract carries.
 */
export type Verdict = z.output<typeof VerdictSchema>;
/** `agree`; `disagree` (predictions or statuses differ); `no-predictions` (all refused alike); `no-answer` (a target did not answer). */
export type PairStatus = Verdict['kind'];
/** Each target after the first compared with the first. */
export type PairComparison = Verdict['pairs'][number];
export type OutputComparison = PairComparison['outputs'][number];
export type RowMismatch = OutputComparison['mismatches'][number];
export type TargetSummary = Verdict['targets'][number];

const ok = (s: number | null): boolean => s !== null && s >= 200 && s < 300;

interface Prepared {
  target: VerdictTarget;
  shape: AnswerShape | null;
}

function prepare(t: VerdictTarget): Prepared {
  return { target: t, shape: ok(t.status) ? answerShape(t.body, { json: t.json }) : null };
}

function failureText(t: VerdictTarget): string {
  if (t.status === null) return `${t.name} gave no answer${t.detail ? ` (${t.detail})` : ''}`;
  return `${t.name} answers ${t.status}${t.detail ? ` (${t.detail})` : ''}`;
}

/** Pairs the outputs of two answers: by name, else (one output each) positionally. */
function pairOutputs(a: AnswerShape, b: AnswerShape): { pairs: [OutputColumn, OutputColumn][]; onlyA: string[]; onlyB: string[] } {
  if (a.outputs.length === 1 && b.outputs.length === 1) return { pairs: [[a.outputs[0]!, b.outputs[0]!]], onlyA: [], onlyB: [] };
  const byName = new Map(b.outputs.map((o) => [o.name, o]));
  const pairs: [OutputColumn, OutputColumn][] = [];
  const onlyA: string[] = [];
  for (const o of a.outputs) {
    const m = byName.get(o.name);
    if (m) {
      pairs.push([o, m]);
      byName.delete(o.name);
    } else onlyA.push(o.name);
  }
  return { pairs, onlyA, onlyB: [...byName.keys()] };
}

/** argmax of each probability row against the label, when labels are class indices. */
function labelAgreement(labels: unknown[], probs: unknown[]): number | null {
  let same = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = probs[i];
    const label = labels[i];
    if (!Array.isArray(row) || typeof label !== 'number') return null;
    let best = 0;
    for (let k = 1; k < row.length; k++) if (Number(row[k]) > Number(row[best])) best = k;
    if (best === label) same++;
  }
  return same;
}

/** "A returns one label per row, B returns 3 values per row (predict vs predict_proba)". */
function kindNote(refName: string, otherName: string, a: OutputColumn, b: OutputColumn): string | null {
  if (a.kind === b.kind && a.width === b.width) return null;
  const per = (o: OutputColumn): string =>
    o.kind === 'vector' ? `${o.width} values per row` : o.kind === 'scalar' ? 'one value per row' : o.kind === 'record' ? 'an object per row' : 'no rows';
  let note = `${refName} returns ${per(a)}, ${otherName} returns ${per(b)}`;
  const labels = a.kind === 'scalar' && b.kind === 'vector' ? [a, b] : b.kind === 'scalar' && a.kind === 'vector' ? [b, a] : null;
  if (labels) {
    note += ' — a label against probabilities, as from predict() vs predict_proba(); Azure no-code serving calls predict()';
    const same = labelAgreement(labels[0]!.rows, labels[1]!.rows);
    if (same !== null) note += `; the most probable class matches the label on ${same} of ${labels[0]!.rows.length} rows`;
  }
  return note;
}

function compareOutput(a: OutputColumn, b: OutputColumn, tol: Tolerance, maxRows: number): OutputComparison {
  const n = Math.min(a.rows.length, b.rows.length);
  const mismatches: RowMismatch[] = [];
  let count = 0;
  let maxDiff: number | null = null;
  for (let r = 0; r < n; r++) {
    const c = compareCells(a.rows[r], b.rows[r], tol);
    if (c.diff !== null) maxDiff = Math.max(maxDiff ?? 0, c.diff);
    if (!c.equal) {
      count++;
      if (mismatches.length < maxRows) mismatches.push({ row: r, reference: a.rows[r], other: b.rows[r], diff: c.diff, why: c.why ?? 'differs' });
    }
  }
  return { output: a.name, otherOutput: b.name, tolerance: tol, rowsCompared: n, mismatchCount: count, mismatches, maxDiff };
}

function comparePair(ref: Prepared, other: Prepared, opts: Required<Pick<VerdictOptions, 'tolerance' | 'maxRows'>> & VerdictOptions): PairComparison {
  const base = { reference: ref.target.name, other: other.target.name, shapeNotes: [] as string[], outputs: [] as OutputComparison[] };
  if (ref.target.status === null || other.target.status === null) {
    const missing = [ref, other].filter((p) => p.target.status === null).map((p) => failureText(p.target));
    return { ...base, status: 'no-answer', summary: `${missing.join('; ')}.` };
  }
  if (!ref.shape || !other.shape) {
    if (ref.target.status === other.target.status) {
      return { ...base, status: 'no-predictions', summary: `Both refuse the request with ${ref.target.status}: no predictions to compare.` };
    }
    return { ...base, status: 'disagree', summary: `${failureText(ref.target)}, but ${failureText(other.target)}.` };
  }
  const a = ref.shape;
  const b = other.shape;
  const notes: string[] = [];
  const wn = wrappingNote(ref, other);
  if (wn) notes.push(wn);
  const { pairs, onlyA, onlyB } = pairOutputs(a, b);
  if (onlyA.length) notes.push(`output${onlyA.length > 1 ? 's' : ''} ${onlyA.map((n) => `'${n}'`).join(', ')} only from ${ref.target.name}`);
  if (onlyB.length) notes.push(`output${onlyB.length > 1 ? 's' : ''} ${onlyB.map((n) => `'${n}'`).join(', ')} only from ${other.target.name}`);
  let structural = onlyA.length > 0 || onlyB.length > 0;
  for (const [oa, ob] of pairs) {
    if (oa.name !== ob.name && pairs.length === 1 && !(oa.name === 'predictions' || ob.name === 'predictions')) {
      notes.push(`the output is called '${oa.name}' by ${ref.target.name} and '${ob.name}' by ${other.target.name}`);
    }
    if (oa.rows.length !== ob.rows.length) {
      notes.push(`${ref.target.name} returns ${oa.rows.length} rows of '${oa.name}', ${other.target.name} returns ${ob.rows.length}`);
      structural = true;
    }
    const kn = kindNote(ref.target.name, other.target.name, oa, ob);
    if (kn) {
      notes.push(kn);
      structural = true;
      continue;
    }
    base.outputs.push(compareOutput(oa, ob, opts.perOutput?.[oa.name] ?? opts.tolerance, opts.maxRows));
  }
  const differing = base.outputs.filter((o) => o.mismatchCount > 0);
  const agree = !structural && differing.length === 0;
  let summary: string;
  if (agree) {
    const rows = base.outputs[0]?.rowsCompared ?? 0;
    summary = `same predictions ${formatTolerance(opts.tolerance)} (${rows} row${rows === 1 ? '' : 's'})`;
  } else if (differing.length > 0) {
    const o = differing[0]!;
    const worst = o.mismatches.reduce<RowMismatch | null>((w, m) => (m.diff !== null && (w === null || w.diff === null || m.diff > w.diff) ? m : w), null) ?? o.mismatches[0]!;
    const where = base.outputs.length > 1 || o.output !== 'predictions' ? ` of '${o.output}'` : '';
    summary =
      `predictions differ: ${o.mismatchCount} of ${o.rowsCompared} row${o.rowsCompared === 1 ? '' : 's'}${where} not ${formatTolerance(o.tolerance)}` +
      ` (row ${worst.row}: ${formatCell(worst.reference)} vs ${formatCell(worst.other)}${worst.diff !== null ? `, off by ${formatNumber(worst.diff)}` : ''})`;
  } else {
    summary = 'the answers have different structure';
  }
  return { ...base, shapeNotes: notes, status: agree ? 'agree' : 'disagree', summary: `${capitalize(summary)}${notes.length ? `; ${notes.join('; ')}` : ''}.` };
}

/** "A returns a bare list, B wraps it in {"predictions": …}" when two answers are wrapped differently, else ''. */
function wrappingNote(ref: Prepared, other: Prepared): string {
  const a = ref.shape;
  const b = other.shape;
  if (!a || !b || (a.wrapping === b.wrapping && a.records === b.records)) return '';
  return `${ref.target.name} ${describeWrapping(a)}, ${other.target.name} ${describeWrapping(b)}`;
}

/** Every target's wrapping, grouped: "A returns a bare list, B and C wrap it in {"predictions": …}"; '' when all alike. */
function wrappingsNote(prepared: Prepared[]): string {
  const groups = new Map<string, string[]>();
  for (const p of prepared) {
    if (!p.shape) continue;
    const d = describeWrapping(p.shape);
    groups.set(d, [...(groups.get(d) ?? []), p.target.name]);
  }
  if (groups.size < 2) return '';
  const plural = (d: string): string => d.replace(/^returns /, 'return ').replace(/^wraps /, 'wrap ');
  return [...groups].map(([d, names]) => `${names.join(' and ')} ${names.length > 1 ? plural(d) : d}`).join(', ');
}

function formatCell(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Compares every target with the first one. */
export function verdict(targets: readonly VerdictTarget[], options: VerdictOptions): Verdict {
  const opts = { maxRows: 100, ...options };
  const prepared = targets.map(prepare);
  const summaries: TargetSummary[] = prepared.map((p) => ({
    name: p.target.name,
    status: p.target.status,
    wrapping: p.shape?.wrapping ?? null,
    rows: p.shape?.rowCount ?? null,
    outputs: p.shape?.outputs.map((o) => o.name) ?? [],
  }));
  if (prepared.length < 2) {
    return { agree: false, kind: 'no-predictions', sentence: 'Add a second target to compare answers.', tolerance: opts.tolerance, targets: summaries, pairs: [] };
  }
  const pairs = prepared.slice(1).map((p) => comparePair(prepared[0]!, p, opts));
  const rank: PairStatus[] = ['no-answer', 'disagree', 'no-predictions', 'agree'];
  const kind = rank.find((k) => pairs.some((p) => p.status === k)) ?? 'agree';
  let sentence: string;
  if (pairs.length === 1) sentence = pairs[0]!.summary;
  else if (kind === 'agree') {
    const notes = [wrappingsNote(prepared), ...pairs.flatMap((p, i) => p.shapeNotes.filter((n) => n !== wrappingNote(prepared[0]!, prepared[i + 1]!)))].filter(Boolean);
    sentence = `All ${targets.length} targets give the same predictions ${formatTolerance(opts.tolerance)}${notes.length ? `; ${notes.join('; ')}` : ''}.`;
  } else {
    const bad = pairs.filter((p) => p.status === kind);
    sentence = bad.map((p) => (kind === 'no-answer' ? p.summary : `${p.other} vs ${p.reference}: ${p.summary}`)).join(' ');
  }
  return { agree: kind === 'agree', kind, sentence, tolerance: opts.tolerance, targets: summaries, pairs };
}
