/**
 * New or existing endpoint, then its name (typed) or which one (picked) — the same choice in Register & deploy and
 * in the batch deployment form. `testId` prefixes `-mode`, the name field (`testId` itself) and `-existing`.
 */
export function EndpointChoice({
  kind,
  mode,
  name,
  existing,
  onChange,
  testId,
}: {
  kind: string;
  mode: 'new' | 'existing';
  name: string;
  existing: readonly { name: string; label: string }[];
  onChange(patch: { endpointMode?: 'new' | 'existing'; endpoint?: string }): void;
  testId: string;
}) {
  return (
    <>
      <label className="azure-field">
        <span className="azure-label">{kind}</span>
        <select className="input" value={mode} onChange={(e) => onChange({ endpointMode: e.target.value as 'new' | 'existing', endpoint: e.target.value === 'existing' ? (existing[0]?.name ?? '') : '' })} data-testid={`${testId}-mode`}>
          <option value="new">New {kind.toLowerCase()}</option>
          <option value="existing" disabled={existing.length === 0}>
            Existing {kind.toLowerCase()}
          </option>
        </select>
      </label>
      {mode === 'new' ? (
        <label className="azure-field azure-grow">
          <span className="azure-label">Endpoint name (3–32: letters, digits, hyphens; unique in the region)</span>
          <input className="input mono" value={name} onChange={(e) => onChange({ endpoint: e.target.value })} data-testid={testId} spellCheck={false} />
        </label>
      ) : (
        <label className="azure-field azure-grow">
          <span className="azure-label">Endpoint</span>
          <select className="input" value={name} onChange={(e) => onChange({ endpoint: e.target.value })} data-testid={`${testId}-existing`}>
            {existing.map((e) => (
              <option key={e.name} value={e.name}>
                {e.label}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  );
}
