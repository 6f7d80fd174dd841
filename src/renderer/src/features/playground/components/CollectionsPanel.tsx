import { useState } from 'react';
import { useStore } from 'zustand';
import { savedForNote } from '@shared/compare/model-identity';
import { usePlayground } from '../hooks/playground-store-context';

/** Beside a saved request made for another model: its folder, the whole story on hover (the same note Open shows). */
function OtherModelTag({ note, folder }: { note: string | null; folder: string | undefined }) {
  if (note === null) return null;
  return (
    <span className="text-warning small" data-testid="collection-other-model" title={note}>
      (saved for {folder}){' '}
    </span>
  );
}

/**
 * Saved requests (issue 10): a folder of plain `*.request.json` files (git-friendly, never a secret inside) to open,
 * save and rename; and "import from curl" into the editor and the targets.
 */
export function CollectionsPanel() {
  const store = usePlayground((s) => s.collections);
  const toSaved = usePlayground((s) => s.toSaved);
  const openSaved = usePlayground((s) => s.openSaved);
  const saveRequest = usePlayground((s) => s.saveRequest);
  const importCurl = usePlayground((s) => s.importCurl);
  const identity = usePlayground((s) => s.modelIdentity);
  const folder = useStore(store, (s) => s.folder);
  const entries = useStore(store, (s) => s.entries);
  const problems = useStore(store, (s) => s.problems);
  const message = useStore(store, (s) => s.message);
  const { setFolder, load, rename } = store.getState();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ file: string; name: string } | null>(null);
  const [curl, setCurl] = useState('');
  const [curlNote, setCurlNote] = useState<{ ok: boolean; message: string } | null>(null);
  const [replace, setReplace] = useState(false);
  const saved = toSaved(name.trim() || 'request');
  return (
    <details className="card pg-collections" data-testid="collections">
      <summary>Saved requests and import from curl</summary>
      <div className="pg-target-row">
        <input className="input mono pg-url" data-testid="collection-folder" aria-label="Collection folder" placeholder="/path/to/folder (e.g. inside your git repository)" value={folder} onChange={(e) => setFolder(e.target.value)} spellCheck={false} />
        <button type="button" className="btn btn-small" data-testid="collection-load" disabled={!folder.trim()} onClick={() => void load()}>
          Open folder
        </button>
      </div>
      <div className="pg-target-row">
        <input className="input" data-testid="collection-name" aria-label="Request name" placeholder="Name of this request" value={name} onChange={(e) => setName(e.target.value)} />
        <label className="pg-check small">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> replace a file of that name
        </label>
        <button type="button" className="btn btn-small" data-testid="collection-save" disabled={!folder.trim() || !name.trim() || saved === null} onClick={() => void saveRequest(name.trim(), replace)}>
          Save request
        </button>
      </div>
      {message ? (
        <p className={`small ${message.tone === 'error' ? 'text-error' : message.tone === 'warning' ? 'text-warning' : 'muted'}`} data-testid="collection-message" role={message.tone === 'info' ? undefined : 'status'}>
          {message.text}
        </p>
      ) : null}
      {entries.length > 0 ? (
        <ul className="plain-list pg-history-list">
          {entries.map((e) => (
            <li key={e.file} className="pg-history-entry" data-testid="collection-entry" data-file={e.file}>
              {renaming?.file === e.file ? (
                <>
                  <input className="input" aria-label="New name" data-testid="collection-rename-input" value={renaming.name} onChange={(ev) => setRenaming({ file: e.file, name: ev.target.value })} />
                  <button type="button" className="btn btn-small" data-testid="collection-rename-ok" onClick={() => void rename(e.file, renaming.name).then(() => setRenaming(null))}>
                    OK
                  </button>
                </>
              ) : (
                <>
                  <span>{e.name}</span> <span className="muted small mono">{e.file} · {e.targets} targets</span>{' '}
                  <OtherModelTag note={savedForNote(e.model, identity)} folder={e.model?.folder} />
                  <button type="button" className="btn btn-small" data-testid="collection-open" onClick={() => void openSaved(e.file)}>
                    Open
                  </button>{' '}
                  <button type="button" className="btn btn-small" data-testid="collection-rename" onClick={() => setRenaming({ file: e.file, name: e.name })}>
                    Rename
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {problems.map((p) => (
        <p key={p} className="text-warning small">
          {p}
        </p>
      ))}
      <h4>Import from curl</h4>
      <textarea className="input mono pg-curl" data-testid="curl-input" aria-label="curl command" rows={4} placeholder="curl -X POST 'https://…/score' -H 'Content-Type: application/json' -d '{…}'" value={curl} onChange={(e) => setCurl(e.target.value)} spellCheck={false} />
      <div className="pg-target-row">
        <button type="button" className="btn btn-small" data-testid="curl-import" disabled={!curl.trim()} onClick={() => void importCurl(curl).then(setCurlNote)}>
          Import
        </button>
        {curlNote ? (
          <span className={`small ${curlNote.ok ? 'muted' : 'text-error'}`} data-testid="curl-note">
            {curlNote.message}
          </span>
        ) : null}
      </div>
    </details>
  );
}
