import { isPair, isScalar, visit, type Document, type LineCounter, type Node } from 'yaml';
import type { YamlDuplicateKey } from './model-report';

/** PyYAML keeps the last of two equal keys without a word (pyyaml#165); these are the repeats, for an info finding. */
export type { YamlDuplicateKey };

/** At most this many per file: a generated file may repeat thousands of keys, and a few name the problem. */
export const MAX_DUPLICATE_KEYS_PER_FILE = 20;

const keyText = (key: unknown): string | null => {
  if (!isScalar(key)) return null;
  // PyYAML compares keys by value and type: `1` and "1" are two keys.
  return `${typeof key.value}:${String(key.value)}`;
};

/** Every key given twice or more in one mapping of `doc` (the last occurrence against the first), in document order. */
export function duplicateYamlKeys(doc: Document.Parsed, lineCounter: LineCounter, file: string): YamlDuplicateKey[] {
  const found: YamlDuplicateKey[] = [];
  const lineOf = (node: unknown): number => {
    const offset = (node as Node | null)?.range?.[0];
    return typeof offset === 'number' ? lineCounter.linePos(offset).line : 0;
  };
  visit(doc, {
    Map(_, map, path) {
      if (found.length >= MAX_DUPLICATE_KEYS_PER_FILE) return visit.BREAK;
      const first = new Map<string, unknown>();
      const last = new Map<string, unknown>();
      for (const item of map.items) {
        const k = keyText(item.key);
        if (k === null) continue;
        if (!first.has(k)) first.set(k, item.key);
        else last.set(k, item.key);
      }
      if (last.size === 0) return undefined;
      const prefix = path
        .filter(isPair)
        .map((p) => (isScalar(p.key) ? String(p.key.value) : '?'))
        .join('.');
      for (const [k, node] of last) {
        if (found.length >= MAX_DUPLICATE_KEYS_PER_FILE) break;
        const name = k.slice(k.indexOf(':') + 1);
        found.push({ file, key: prefix ? `${prefix}.${name}` : name, line: lineOf(node), firstLine: lineOf(first.get(k)) });
      }
      return undefined;
    },
  });
  return found;
}
