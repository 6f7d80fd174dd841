/**
 * Correctly rounded decimal → double conversion for the literals JSON bodies are made of, without
 * building a string per number (the parser's hot path: a 10 000-row body holds 100 000 of them, and
 * `Number(text.slice(…))` costs an allocation plus the engine's general strtod each).
 *
 * Exact cases (Clinger's fast path): a mantissa below 2^53 times or divided by 10^e with e ≤ 22 is
 * one correctly rounded IEEE operation on two exact operands. Longer mantissas (16–19 significant
 * digits, e.g. every 17-digit shortest repr a Python or JS client writes) are not exact as doubles, so
 * a candidate is computed and then *proved* to be the nearest double: the residual between the
 * decimal and the candidate is evaluated with error-free transformations (Dekker's TwoProduct,
 * Knuth's TwoSum) to ~2^-100 relative accuracy and compared with half a unit in the last place. When
 * the residual lies within a (generous) error margin of that half — a near-tie — or anything else is
 * out of the proved range, the function answers NaN and the caller uses the engine's own conversion.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Largest exponent of ten that is exact as a double (5^22 < 2^53). */
export const MAX_EXACT_POW10 = 22;

// Bits of a double, to read its exponent (ulp) without Math.log2. The byte order is checked once.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
const HI = u32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** Veltkamp's splitter for 53-bit doubles (2^27 + 1). */
const SPLIT = 134217729;

/** The error of `a * b` (exact: a*b = fl(a*b) + twoProductErr), Dekker's algorithm; no overflow in our range. */
function twoProductErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/**
 * ulp of a positive normal double that is not a power of two, or 0 when the candidate is outside the
 * proved range (subnormal, infinite, or a power of two, whose lower neighbour is only half an ulp away).
 */
function ulpOf(q: number): number {
  f64[0] = q;
  const hi = u32[HI]!;
  const exp = (hi >>> 20) & 0x7ff;
  if (exp <= 53 || exp === 0x7ff) return 0;
  if ((hi & 0xfffff) === 0 && u32[LO] === 0) return 0;
  // 2^(exp - 1075): a double whose exponent field is exp - 52 and whose mantissa is 0.
  u32[HI] = (exp - 52) << 20;
  u32[LO] = 0;
  return f64[0]!;
}

/** Margin (relative to half an ulp) inside which the residual's computed sign is not trusted. */
const MARGIN = 2 ** -40;

/**
 * The double nearest to `(a·10^nb + b)·10^e10`, or NaN when not proved here. Requires integers
 * 0 ≤ a < 2^53, 0 ≤ b < 10^nb, 0 ≤ nb ≤ 4 (so at most 15 + 4 significant digits) and |e10| ≤ 22.
 */
export function decimalToDouble(a: number, b: number, nb: number, e10: number): number {
  if (nb === 0) {
    // The mantissa is exact: one correctly rounded operation.
    return e10 >= 0 ? a * POW10[e10]! : a / POW10[-e10]!;
  }
  // M = a·10^nb + b as an unevaluated sum mh + ml (|ml| ≤ ulp(mh)), exact up to ~2^-106 of M.
  const s = POW10[nb]!;
  const p = a * s;
  const pe = twoProductErr(a, s, p);
  const mh = p + b;
  const bb = mh - p;
  const ml = (p - (mh - bb)) + (b - bb) + pe;
  if (mh === 0) return 0;
  let q: number;
  if (e10 >= 0) {
    const m = POW10[e10]!;
    const ph = mh * m;
    const tail = twoProductErr(mh, m, ph) + ml * m;
    q = ph + tail;
    for (let round = 0; round < 2; round++) {
      const ulp = ulpOf(q);
      if (ulp === 0) return NaN;
      // r = M·10^e − q; ph − q is exact (Sterbenz), the rest are tiny terms.
      const r = (ph - q) + tail;
      const half = ulp / 2;
      const d = Math.abs(r) - half;
      if (Math.abs(d) <= half * MARGIN) return NaN;
      if (d < 0) return q;
      q = r > 0 ? q + ulp : q - ulp;
    }
    return NaN;
  }
  const dv = POW10[-e10]!;
  q = mh / dv;
  for (let round = 0; round < 2; round++) {
    const ulp = ulpOf(q);
    if (ulp === 0) return NaN;
    // r = M − q·10^k, to compare with half an ulp scaled by the same 10^k (exact: a power of two times dv).
    const qd = q * dv;
    const r = ((mh - qd) - twoProductErr(q, dv, qd)) + ml;
    const half = (ulp / 2) * dv;
    const d = Math.abs(r) - half;
    if (Math.abs(d) <= half * MARGIN) return NaN;
    if (d < 0) return q;
    q = r > 0 ? q + ulp : q - ulp;
  }
  return NaN;
}
