import { useAzure } from '../hooks/azure-store-context';

/**
 * A folder path the user types, with Browse… where the host has a folder dialog (the desktop app). Browser mode
 * has none: the path is typed, and main checks it against the folders this session may write to.
 */
export function FolderField({ label, value, onChange, field, testId, placeholder }: { label: string; value: string; onChange(v: string): void; field: 'exportFolder' | 'jobInput' | 'jobOutDir'; testId: string; placeholder?: string }) {
  const canBrowse = useAzure((s) => s.canPickFolder);
  const browse = useAzure((s) => s.browseFolder);
  return (
    <label className="azure-field azure-grow">
      <span className="azure-label">{label}</span>
      <span className="azure-folder">
        <input className="input mono" value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder ?? '/path/to/folder'} spellCheck={false} data-testid={testId} />
        {canBrowse ? (
          <button type="button" className="btn btn-small" onClick={() => void browse(field)} data-testid={`${testId}-browse`}>
            Browse…
          </button>
        ) : null}
      </span>
    </label>
  );
}
