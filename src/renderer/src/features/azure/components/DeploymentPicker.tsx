/** Which of the endpoint's deployments a call targets; the empty choice lets Azure (or the traffic) decide. */
export function DeploymentPicker({ endpoint, label, anyLabel, value, onChange, testId }: { endpoint: { deployments: readonly { name: string }[] }; label: string; anyLabel: string; value: string | null; onChange(d: string | null): void; testId: string }) {
  return (
    <label className="azure-field">
      <span className="azure-label">{label}</span>
      <select className="input" value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} data-testid={testId}>
        <option value="">{anyLabel}</option>
        {endpoint.deployments.map((d) => (
          <option key={d.name} value={d.name}>
            {d.name}
          </option>
        ))}
      </select>
    </label>
  );
}
