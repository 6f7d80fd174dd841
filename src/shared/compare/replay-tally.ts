/**
 * Adds up a replay (issue 10): each chunk's verdict becomes a class per row — agree, differ, unanswered — and the
 * rows that differ most are kept. Pure, so the per-row rules are unit-tested without a server.
 */
import type { Tolerance } from './cells';
import { formatNumber, formatTolerance } from './cells';
import type { Verdict } from './verdict';
import type { ReplaySummaryData, ReplayWorstRowData } from '../ipc/replay-contract';

export type WorstRow = ReplayWorstRowData;

export type PairTally = ReplaySummaryData['pairs'][number];

/** One chunk as the tally needs it: its rows, where they start, their CSV lines and raw input (for worst rows). */
export interface ChunkRows {
  firstRow: number;
  rows: number;
  lines: readonly number[] | null;
  records: readonly string[] | null;
}

const INPUT_CHARS = 300;
const MAX_SHAPE_NOTES = 5;

const ok = (s: number | null): boolean => s !== null && s >= 200 && s < 300;

/** Ranks worse first: a non-numeric difference (label, NaN on one side) above any numeric one, then by size. */
function worse(a: WorstRow, b: WorstRow): number {
  if (a.diff === null && b.diff === null) return a.row - b.row;
  if (a.diff === null) return -1;
  if (b.diff === null) return 1;
  return b.diff - a.diff || a.row - b.row;
}

export class ReplayTally {
  rows = 0;
  agreeRows = 0;
  differRows = 0;
  unansweredRows = 0;
  private readonly pairs = new Map<string, PairTally>();
  private worst: WorstRow[] = [];

  constructor(private readonly keepWorst: number) {}

  /** Classifies the rows of one chunk by its verdict. */
  add(chunk: ChunkRows, v: Verdict): void {
    const n = chunk.rows;
    const differ = new Set<number>();
    let allUnanswered = false;
    let allDiffer = false;
    for (const p of v.pairs) {
      const key = `${p.reference}\u0000${p.other}`;
      let t = this.pairs.get(key);
      if (!t) {
        t = { reference: p.reference, other: p.other, rowsCompared: 0, differRows: 0, maxDiff: null, shapeNotes: [] };
        this.pairs.set(key, t);
      }
      for (const note of p.shapeNotes) if (t.shapeNotes.length < MAX_SHAPE_NOTES && !t.shapeNotes.includes(note)) t.shapeNotes.push(note);
      const ref = v.targets.find((x) => x.name === p.reference);
      const other = v.targets.find((x) => x.name === p.other);
      // No answer, or both refused (each its own way: Azure's 500, MLflow's 400): no predictions to compare.
      if (p.status === 'no-answer' || p.status === 'no-predictions' || (!ok(ref?.status ?? null) && !ok(other?.status ?? null))) {
        allUnanswered = true;
        continue;
      }
      const bothAnswered = ok(ref?.status ?? null) && ok(other?.status ?? null);
      if (bothAnswered) t.rowsCompared += n;
      if (p.status === 'agree') continue;
      const mismatched = new Set<number>();
      for (const o of p.outputs) {
        if (o.maxDiff !== null) t.maxDiff = Math.max(t.maxDiff ?? 0, o.maxDiff);
        for (const m of o.mismatches) {
          mismatched.add(m.row);
          this.offer({
            row: chunk.firstRow + m.row,
            line: chunk.lines?.[m.row] ?? null,
            reference: p.reference,
            other: p.other,
            output: o.output,
            referenceValue: m.reference,
            otherValue: m.other,
            diff: m.diff,
            why: m.why,
            input: chunk.records?.[m.row]?.slice(0, INPUT_CHARS) ?? null,
          });
        }
      }
      // A refusal against an answer, a different structure (missing output, label vs probabilities, row counts):
      // no row of the chunk can be said to agree.
      const structural = !bothAnswered || mismatched.size === 0 || p.outputs.some((o) => o.rowsCompared !== n);
      if (structural) {
        allDiffer = true;
        t.differRows += n;
      } else {
        t.differRows += mismatched.size;
        for (const r of mismatched) differ.add(r);
      }
    }
    this.rows += n;
    if (allUnanswered) this.unansweredRows += n;
    else if (allDiffer) this.differRows += n;
    else {
      this.differRows += differ.size;
      this.agreeRows += n - differ.size;
    }
  }

  private offer(w: WorstRow): void {
    this.worst.push(w);
    if (this.worst.length > this.keepWorst * 4) this.trim();
  }

  private trim(): void {
    this.worst.sort(worse);
    this.worst.length = Math.min(this.worst.length, this.keepWorst);
  }

  worstRows(): WorstRow[] {
    this.trim();
    return [...this.worst];
  }

  pairTallies(): PairTally[] {
    return [...this.pairs.values()];
  }

  /** The replay in one sentence. */
  sentence(targets: readonly string[], tolerance: Tolerance, requests: number): string {
    const across = `${targets.length} target${targets.length === 1 ? '' : 's'} (${targets.join(', ')})`;
    const reqs = `${requests} request${requests === 1 ? '' : 's'} each`;
    if (this.rows === 0) return `No rows were replayed through ${across}.`;
    if (targets.length < 2) return `${this.rows} rows sent to ${targets[0]} in ${reqs}; add a second target to compare answers.`;
    const pct = (k: number): string => `${formatNumber(Math.round((k / this.rows) * 1000) / 10)}%`;
    if (this.agreeRows === this.rows) return `All ${this.rows} rows agree ${formatTolerance(tolerance)} across ${across}, ${reqs}.`;
    const parts = [`${this.agreeRows} of ${this.rows} rows agree ${formatTolerance(tolerance)} (${pct(this.agreeRows)}) across ${across}, ${reqs}`];
    if (this.differRows) {
      const w = this.worstRows()[0];
      const worst = w ? ` (worst: row ${w.row}${w.diff !== null ? `, off by ${formatNumber(w.diff)}` : `, ${w.why}`})` : '';
      parts.push(`${this.differRows} differ${worst}`);
    }
    if (this.unansweredRows) parts.push(`${this.unansweredRows} got no prediction from some target`);
    return `${parts.join('; ')}.`;
  }
}
