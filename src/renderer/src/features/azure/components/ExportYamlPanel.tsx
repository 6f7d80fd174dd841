import { useEffect } from 'react';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { useAzure } from '../hooks/azure-store-context';
import type { ExportTarget } from '../store/batch-export-slice';
import { FolderField } from './FolderField';

/**
 * The endpoint as Azure ML CLI v2 YAML (model, endpoint, deployments — or the batch endpoint and its
 * deployments), for git: one file shown at a time with Copy, and Save writing every file into a folder
 * (atomically, in main; files already there are replaced only after the user says so). No secrets in them.
 */
export function ExportYamlPanel({ target }: { target: ExportTarget }) {
  const current = useAzure((s) => s.exportTarget);
  const files = useAzure((s) => s.exportFiles);
  const selected = useAzure((s) => s.exportSelected);
  const loading = useAzure((s) => s.exportLoading);
  const error = useAzure((s) => s.exportError);
  const folder = useAzure((s) => s.exportFolder);
  const saving = useAzure((s) => s.exportSaving);
  const saved = useAzure((s) => s.exportSaved);
  const confirm = useAzure((s) => s.exportConfirm);
  const load = useAzure((s) => s.loadExport);
  const select = useAzure((s) => s.selectExportFile);
  const setFolder = useAzure((s) => s.setExportFolder);
  const save = useAzure((s) => s.saveExport);
  const dismissConfirm = useAzure((s) => s.dismissExportConfirm);
  const same = current?.kind === target.kind && current.endpoint === target.endpoint;
  useEffect(() => {
    if (!same) void load(target);
  }, [same, load, target]);
  const file = files.find((f) => f.name === selected) ?? null;
  return (
    <div className="azure-export" data-testid="azure-export" data-kind={target.kind} data-endpoint={target.endpoint}>
      <div className="azure-row">
        <span className="azure-muted azure-grow">
          Azure ML CLI v2 YAML for <span className="mono">{target.endpoint}</span>: recreate it with <span className="mono">az ml {target.kind === 'online' ? 'online' : 'batch'}-endpoint create</span> /{' '}
          <span className="mono">{target.kind === 'online' ? 'online' : 'batch'}-deployment create</span>. Keys and tokens are never in it.
        </span>
        <button type="button" className="btn btn-small" onClick={() => void load(target)} disabled={loading} data-testid="azure-export-refresh">
          {loading ? 'Exporting…' : 'Export again'}
        </button>
      </div>
      {error ? <ErrorPanel title="Export failed" error={error} /> : null}
      {files.length > 0 ? (
        <>
          <div className="azure-export-files" role="group" aria-label="Exported files">
            {files.map((f) => (
              <button key={f.name} type="button" className={`azure-step${f.name === selected ? ' azure-step-active' : ''}`} onClick={() => select(f.name)} data-testid="azure-export-file" data-file={f.name} aria-pressed={f.name === selected}>
                {f.name}
              </button>
            ))}
          </div>
          {file ? <CodeBlock code={file.content} label={file.name} testId="azure-export-content" /> : null}
          <div className="azure-row">
            <FolderField label={`Save all ${files.length} files into a folder`} value={folder} onChange={setFolder} field="exportFolder" testId="azure-export-folder" placeholder="/path/to/repo/azureml" />
            <button type="button" className="btn btn-primary" disabled={saving || !folder.trim()} onClick={() => void save()} data-testid="azure-export-save">
              {saving ? 'Saving…' : 'Save files'}
            </button>
          </div>
          {confirm ? (
            <div className="azure-delete-confirm" data-testid="azure-export-confirm">
              <span className="azure-warn">
                {confirm.join(', ')} already {confirm.length === 1 ? 'exists' : 'exist'} in that folder. Replace {confirm.length === 1 ? 'it' : 'them'}?
              </span>
              <button type="button" className="btn btn-small btn-danger" onClick={() => void save(true)} data-testid="azure-export-replace">
                Replace
              </button>
              <button type="button" className="btn btn-small" onClick={dismissConfirm}>
                Keep them
              </button>
            </div>
          ) : null}
          {saved ? (
            <p className="azure-ok" data-testid="azure-export-saved">
              Saved {saved.written.length} file{saved.written.length === 1 ? '' : 's'} in <span className="mono">{saved.folder}</span>.
            </p>
          ) : null}
        </>
      ) : loading ? (
        <p className="azure-note">Reading the endpoint from Azure…</p>
      ) : null}
    </div>
  );
}
