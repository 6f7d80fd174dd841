/**
 * Preflight's own warnings (no server sends these): every silent coercion or dropped value a server will
 * do without saying so (issue 3 "Warnings"). Each points at a JSON path, row and column.
 */
export type { PayloadWarning } from './answers';
import type { PayloadWarning } from './answers';

/** How many warnings of one code are listed one by one before they are summarised. */
const PER_CODE_LIMIT = 20;

/** Collects warnings, capping each code so a 100 000-row body cannot produce 100 000 entries. */
export class WarningSink {
  private readonly list: PayloadWarning[] = [];
  private readonly counts = new Map<string, number>();

  add(code: string, message: string, path: string): void {
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    if (count <= PER_CODE_LIMIT) this.list.push({ code, message, path });
  }

  /** True when `code` was already reported `PER_CODE_LIMIT` times (callers may skip building messages). */
  saturated(code: string): boolean {
    return (this.counts.get(code) ?? 0) >= PER_CODE_LIMIT;
  }

  /** Appends the warnings of another sink (used when a tentative parse is kept). */
  merge(other: WarningSink): void {
    for (const w of other.list) this.add(w.code, w.message, w.path);
    for (const [code, count] of other.counts) {
      const listed = Math.min(count, PER_CODE_LIMIT);
      if (count > listed) this.counts.set(code, (this.counts.get(code) ?? 0) + count - listed);
    }
  }

  toArray(): PayloadWarning[] {
    const out = [...this.list];
    for (const [code, count] of this.counts) {
      if (count > PER_CODE_LIMIT)
        out.push({ code, message: `… and ${count - PER_CODE_LIMIT} more '${code}' warnings like the ones above.`, path: '$' });
    }
    return out;
  }
}

/** JSON path segment for a key: `.name` when it is an identifier, else `["…"]`. */
export const pathKey = (base: string, key: string | number): string =>
  typeof key === 'number' ? `${base}[${key}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
