/**
 * One prediction cell against another with a numeric tolerance. Bodies arrive as `bodyView` gives them:
 * NaN/Infinity/-Infinity are the strings "NaN", "Infinity", "-Infinity", so those strings count as numbers
 * when the other side is a number too.
 */

export interface Tolerance {
  /** Largest absolute difference still counted as equal. */
  abs: number;
  /** Largest difference relative to the larger magnitude of the two values. */
  rel: number;
}

export interface CellComparison {
  equal: boolean;
  /** Largest absolute numeric difference found (NaN/∞ mismatches and non-numbers: null). */
  diff: number | null;
  /** Why they differ, in words, when they do. */
  why: string | null;
}

const SPECIAL: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v in SPECIAL) return SPECIAL[v]!;
  return null;
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'object' : typeof v);

/** Equal when |a−b| ≤ abs or |a−b| ≤ rel·max(|a|,|b|) — numpy.isclose made symmetric, so the order of targets does not matter. */
export function withinTolerance(a: number, b: number, tol: Tolerance): CellComparison {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    const both = Number.isNaN(a) && Number.isNaN(b);
    return { equal: both, diff: null, why: both ? null : 'NaN on one side only' };
  }
  if (a === b) return { equal: true, diff: 0, why: null };
  if (!Number.isFinite(a) || !Number.isFinite(b)) return { equal: false, diff: null, why: 'infinite on one side only' };
  const d = Math.abs(a - b);
  const equal = d <= tol.abs || d <= tol.rel * Math.max(Math.abs(a), Math.abs(b));
  return { equal, diff: d, why: equal ? null : `differs by ${formatNumber(d)}` };
}

/** Deep comparison of two cells (scalars, lists of probabilities, nested objects). */
export function compareCells(a: unknown, b: unknown, tol: Tolerance): CellComparison {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null && nb !== null) return withinTolerance(na, nb, tol);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return { equal: false, diff: null, why: `${a.length} values vs ${b.length}` };
    let worst: CellComparison = { equal: true, diff: 0, why: null };
    for (let i = 0; i < a.length; i++) {
      const c = compareCells(a[i], b[i], tol);
      if (!c.equal && worst.equal) worst = { ...c, why: `[${i}] ${c.why ?? 'differs'}` };
      if (c.diff !== null && worst.diff !== null && c.diff > worst.diff) worst = { ...worst, diff: c.diff };
      if (c.diff === null && !c.equal) worst = { ...worst, diff: null };
    }
    return worst;
  }
  if (typeof a === 'object' && a !== null && !Array.isArray(a) && typeof b === 'object' && b !== null && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join('\u0000') !== kb.join('\u0000')) return { equal: false, diff: null, why: `keys ${ka.join(', ')} vs ${kb.join(', ')}` };
    return compareCells(
      ka.map((k) => (a as Record<string, unknown>)[k]),
      kb.map((k) => (b as Record<string, unknown>)[k]),
      tol,
    );
  }
  if (a === b) return { equal: true, diff: null, why: null };
  if (typeName(a) !== typeName(b)) return { equal: false, diff: null, why: `${typeName(a)} vs ${typeName(b)}` };
  return { equal: false, diff: null, why: 'different values' };
}

/** Short, exact-enough number text for sentences: 1e-6, 0.52, 12345.7. */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  const m = Math.abs(v);
  if (m < 1e-3 || m >= 1e7) return v.toExponential(m.toExponential().includes('.') ? 2 : 0).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}

export function formatTolerance(t: Tolerance): string {
  if (t.abs === t.rel) return t.abs === 0 ? 'exactly' : `within ${formatNumber(t.abs)}`;
  return `within abs ${formatNumber(t.abs)} / rel ${formatNumber(t.rel)}`;
}
