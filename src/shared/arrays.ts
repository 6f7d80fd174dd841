/**
 * Array helpers that hold for any length. `target.push(...items)` and `Math.max(...items)` pass every item
 * as a call argument, on the stack: from about 120 000 items V8 throws "Maximum call stack size exceeded"
 * (a 500 000-line requirements.txt did, in `inspect`). Lint forbids those spreads in src/ (eslint.config.mjs);
 * these are what to write instead.
 */

/** Appends `items` to `target` in order (`target.push(...items)` for any length); returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `empty` when there are none (`Math.max(empty, ...values)` for any length). */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let max = empty;
  for (const v of values) if (v > max || Number.isNaN(v)) max = v;
  return max;
}

/** The smallest of `values`, or `empty` when there are none (`Math.min(empty, ...values)` for any length). */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let min = empty;
  for (const v of values) if (v < min || Number.isNaN(v)) min = v;
  return min;
}
