import type { ColumnSpec } from '../model-report';

/** Per column list (a signature's, alive as long as its model): the first spec of each name. */
const firstByName = new WeakMap<readonly ColumnSpec[], Map<string | null, ColumnSpec>>();

/**
 * The first spec of each name (a string, or null for unnamed columns): what `specs.find((s) => s.name === name)` finds,
 * as one lookup. Built once per column list, so matching a request's columns to a wide signature stays linear.
 */
export function specsByName(specs: readonly ColumnSpec[]): Map<string | null, ColumnSpec> {
  let index = firstByName.get(specs);
  if (!index) {
    index = new Map();
    for (const s of specs) if (!index.has(s.name)) index.set(s.name, s);
    firstByName.set(specs, index);
  }
  return index;
}
