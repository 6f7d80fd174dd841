import { formatValue, isStructured, prettyJson } from '../../../lib/format';

/** A parsed YAML/JSON value in a table cell: scalars inline, nested maps/lists as small JSON blocks. */
export function ValueCell({ value }: { value: unknown }) {
  if (isStructured(value)) return <pre className="inline-json">{prettyJson(value)}</pre>;
  if (value === null) return <span className="muted">null</span>;
  return <span className="mono">{formatValue(value)}</span>;
}

/** A missing field, said explicitly so "absent" is not mistaken for "loading". */
export const NotSet = () => <span className="muted">not set</span>;
