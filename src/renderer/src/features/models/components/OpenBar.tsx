import type { FormEvent } from 'react';
import { useModels } from '../hooks/models-store-context';

/** Path field + Open + Browse…: the keyboard-first way in, and the only one in browser mode. */
export function OpenBar({ canPickFolder }: { canPickFolder: boolean }) {
  const pathInput = useModels((s) => s.pathInput);
  const setPathInput = useModels((s) => s.setPathInput);
  const open = useModels((s) => s.open);
  const pickFolder = useModels((s) => s.pickFolder);
  const loading = useModels((s) => s.view.status === 'loading');
  const notice = useModels((s) => s.notice);
  const setNotice = useModels((s) => s.setNotice);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void open(pathInput);
  };

  return (
    <div className="openbar-wrap">
      <form className="openbar" onSubmit={submit} role="search" aria-label="Open a model">
        <input
          className="input mono"
          type="text"
          value={pathInput}
          onChange={(e) => setPathInput(e.target.value)}
          placeholder="/path/to/mlflow-model-folder  or  model.onnx"
          spellCheck={false}
          autoComplete="off"
          aria-label="Model folder path"
          data-testid="open-path-input"
        />
        <button type="submit" className="btn btn-primary" disabled={loading} data-testid="open-button">
          Open
        </button>
        {canPickFolder ? (
          <button type="button" className="btn" onClick={() => void pickFolder()} disabled={loading} data-testid="browse-button">
            Browse…
          </button>
        ) : null}
      </form>
      {notice ? (
        <div className="notice" role="status" data-testid="open-notice">
          <span>{notice}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
