/** An endpoint's deployments as chips in a list row (online: with traffic; batch: the default marked), or "none". */
export function DeploymentChips({ chips }: { chips: readonly { name: string; text: string; title: string }[] }) {
  if (chips.length === 0) return <span className="azure-muted">none</span>;
  return (
    <>
      {chips.map((c) => (
        <span key={c.name} className="azure-deployment-chip" title={c.title}>
          {c.text}
        </span>
      ))}
    </>
  );
}
