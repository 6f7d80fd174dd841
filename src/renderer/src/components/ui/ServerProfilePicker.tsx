import { SERVER_PROFILES, type Server } from '../../lib/server-profiles';

/** Azure ML / MLflow as a radio group of buttons; `testIdPrefix` + server id names each button for tests. */
export function ServerProfilePicker({
  value,
  onChange,
  testIdPrefix,
  className,
  labelledBy,
}: {
  value: Server;
  onChange(server: Server): void;
  testIdPrefix: string;
  className: string;
  /** id of a visible label; without one the group is labelled "Server profile". */
  labelledBy?: string;
}) {
  return (
    <div className={className} role="radiogroup" aria-labelledby={labelledBy} aria-label={labelledBy ? undefined : 'Server profile'}>
      {SERVER_PROFILES.map((s) => (
        <button
          key={s.id}
          type="button"
          role="radio"
          aria-checked={value === s.id}
          className={`btn${value === s.id ? ' btn-primary' : ''}`}
          data-testid={`${testIdPrefix}${s.id}`}
          title={s.detail}
          onClick={() => onChange(s.id)}
        >
          {s.label}
        </button>
      ))}
    </div>
  );
}
