/** Display helpers shared by every view. Pure: unit-tested in format.test.ts. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → `1.5 KiB`. Binary units, because model files and disk tools (du -h) count that way. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 0) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** `12345678` → `12,345,678` for exact byte counts next to the rounded ones (shared: main's messages write limits so too). */
export { formatCount } from '@shared/format-count';

/** An MLflow tensor shape; -1 is a variable dimension, spelled out because users read it as an error otherwise. */
export function formatTensorShape(shape: readonly number[]): string {
  if (shape.length === 0) return '[] (scalar)';
  return `[${shape.map((d) => (d === -1 ? '-1 (any)' : String(d))).join(', ')}]`;
}

/** A param's shape: null is a scalar, `[-1]` a list of any length. */
export const formatParamShape = (shape: readonly number[] | null): string =>
  shape === null ? 'scalar' : formatTensorShape(shape);

/** An ONNX shape: numbers are fixed, strings symbolic (`N`), null an anonymous dynamic dimension. */
export function formatOnnxShape(shape: readonly (number | string | null)[] | null): string {
  if (shape === null) return 'unknown rank';
  if (shape.length === 0) return '[] (scalar)';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** ONNX writes the default operator set as an empty domain. */
export const formatOnnxDomain = (domain: string): string => (domain === '' ? 'ai.onnx' : domain);

/** Any parsed YAML/JSON value on one line: strings bare, everything else as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Values that deserve a code block rather than a table cell. */
export const isStructured = (value: unknown): boolean => typeof value === 'object' && value !== null;

/** Pretty JSON for code blocks; never throws (cycles cannot come over IPC, but BigInt-free is not guaranteed). */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export type TextSegment = { code: boolean; text: string };

/**
 * Findings and conflict messages quote values in `backticks` (Markdown habit of the rule authors); split them so
 * the quoted parts render as code. An unmatched backtick stays literal text.
 */
export function splitBackticks(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (open < 0 || close < 0) break;
    if (open > 0) segments.push({ code: false, text: rest.slice(0, open) });
    if (close > open + 1) segments.push({ code: true, text: rest.slice(open + 1, close) });
    rest = rest.slice(close + 1);
  }
  if (rest !== '') segments.push({ code: false, text: rest });
  return segments;
}
