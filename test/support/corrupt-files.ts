/**
 * Corrupted copies of valid files, for the hostile-file tests (issue 12): truncations, bit flips, byte
 * overwrites, zeroed and duplicated ranges — each chosen by a seeded PRNG, so a failing case is
 * reproduced from its seed. Also a fast-check arbitrary of the same mutations for the fuzz suites.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'truncate'; keep: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'zero'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'cut-middle'; at: number; length: number };

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function applyMutations(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(input);
  for (const m of mutations) {
    const n = b.length;
    if (n === 0) break;
    switch (m.kind) {
      case 'truncate':
        b = b.slice(0, m.keep % (n + 1));
        break;
      case 'flip':
        b[m.at % n]! ^= 1 << (m.bit & 7);
        break;
      case 'set':
        b[m.at % n] = m.value & 0xff;
        break;
      case 'zero':
        b.fill(0, m.at % n, Math.min(n, (m.at % n) + m.length));
        break;
      case 'duplicate': {
        const at = m.at % n;
        const piece = b.slice(at, Math.min(n, at + m.length));
        const out = new Uint8Array(n + piece.length);
        out.set(b.subarray(0, at));
        out.set(piece, at);
        out.set(b.subarray(at), at + piece.length);
        b = out;
        break;
      }
      case 'cut-middle': {
        const at = m.at % n;
        const end = Math.min(n, at + m.length);
        const out = new Uint8Array(n - (end - at));
        out.set(b.subarray(0, at));
        out.set(b.subarray(end), at);
        b = out;
        break;
      }
    }
  }
  return b;
}

/** One to three random mutations of a file of `size` bytes, from `seed`. */
export function mutationsFor(seed: number, size: number): Mutation[] {
  const r = prng(seed);
  const int = (max: number): number => Math.floor(r() * max);
  const count = 1 + int(3);
  const out: Mutation[] = [];
  for (let k = 0; k < count; k++) {
    const at = int(size);
    switch (int(6)) {
      case 0: out.push({ kind: 'truncate', keep: int(size) }); break;
      case 1: out.push({ kind: 'flip', at, bit: int(8) }); break;
      case 2: out.push({ kind: 'set', at, value: int(256) }); break;
      case 3: out.push({ kind: 'zero', at, length: 1 + int(16) }); break;
      case 4: out.push({ kind: 'duplicate', at, length: 1 + int(64) }); break;
      default: out.push({ kind: 'cut-middle', at, length: 1 + int(64) }); break;
    }
  }
  return out;
}

/** `count` corrupted copies of `valid`, deterministic for `baseSeed`. */
export function corruptCorpus(valid: Uint8Array, count: number, baseSeed: number): { seed: number; bytes: Uint8Array; mutations: Mutation[] }[] {
  return Array.from({ length: count }, (_, k) => {
    const seed = baseSeed + k;
    const mutations = mutationsFor(seed, valid.length);
    return { seed, bytes: applyMutations(valid, mutations), mutations };
  });
}

/** fast-check: mutations of a file of `size` bytes (for fuzz suites; fast-check's seed makes runs repeatable). */
export function arbMutations(size: number): fc.Arbitrary<Mutation[]> {
  const at = fc.nat({ max: Math.max(0, size - 1) });
  const one: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat({ max: size }) }),
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at, value: fc.nat({ max: 255 }) }),
    fc.record({ kind: fc.constant('zero' as const), at, length: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('cut-middle' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
  );
  return fc.array(one, { minLength: 1, maxLength: 3 });
}
