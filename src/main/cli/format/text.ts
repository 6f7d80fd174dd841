import { maxOf } from '@shared/arrays';
import type { CallOutput } from '@shared/ipc/contract';
/** Plain-text layout helpers for terminal output: aligned tables, sizes, truncation. No colour, so logs stay clean. */

export function truncate(text: string, max: number): string {
  // Each blank run holding a line break becomes one ` ⏎ ` (what /\s*\n\s*/g did; that pattern re-scanned a long
  // blank run without a break from each of its characters: quadratic on an MLmodel value).
  const oneLine = text.replace(/\s+/g, (blank) => (blank.includes('\n') ? ' ⏎ ' : blank));
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Left-aligned columns separated by two spaces; cells longer than `maxCell` are cut with an ellipsis. */
export function table(headers: string[], rows: string[][], indent = '  ', maxCell = 60): string[] {
  const cells = [headers, ...rows].map((row) => row.map((c) => truncate(c, maxCell)));
  const widths = headers.map((_, i) => maxOf(cells.map((r) => (r[i] ?? '').length)));
  const line = (row: string[]) => `${indent}${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd();
  return [line(cells[0]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A scalar or small object on one line (JSON for objects). */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One payload-engine warning on one line, as `validate`, `predict` and `convert` all print it: the code, the message,
 * and where it points unless that is the whole body (`$`).
 */
export function warningText(w: CallOutput<'payload', 'validate'>['warnings'][number]): string {
  return `[${w.code}] ${w.message}${w.path && w.path !== '$' ? ` (at ${w.path})` : ''}`;
}
