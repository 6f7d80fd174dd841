import type { SignatureLoadFailure } from './mlflow-2-3-gates';

/**
 * `signatureLoadFailure` in plain words: what the key that stops `ColSpec` (or the type MLflow cannot name) is, and
 * which MLflow writes it. One sentence for the readiness check and the local server's "would not start" warning, so
 * both say the same thing rather than Python's `TypeError` line.
 */
export function signatureLoadKeyText(f: SignatureLoadFailure): string {
  const col = f.column === null ? 'A column of the signature' : `The signature's column \`${f.column}\``;
  if (f.kind === 'type') return `${col} holds a \`${f.key}\`${f.key === 'map' ? ', a type MLflow has from 2.12 on' : ''}`;
  switch (f.key) {
    case 'required': return `${col} carries a \`"required"\` key, which MLflow writes from 2.10.0 on`;
    case 'optional': return `${col} carries an \`"optional"\` key, which MLflow 2.4 to 2.9 write for an optional column`;
    case 'items': return `${col} is an \`array\` (its \`"items"\` key), a type MLflow has from 2.10.0 on`;
    case 'properties': return `${col} is an \`object\` (its \`"properties"\` key), a type MLflow has from 2.10.0 on`;
    case 'values': return `${col} is a \`map\` (its \`"values"\` key), a type MLflow has from 2.12 on`;
    default: return `${col} carries a \`"${f.key}"\` key`;
  }
}
