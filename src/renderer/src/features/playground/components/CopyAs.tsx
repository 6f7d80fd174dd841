import { useState } from 'react';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { snippetFor, snippetKindsFor, type SnippetKind, type SnippetRequest } from '../store/snippets';

const LABELS: Record<SnippetKind, string> = { curl: 'curl', python: 'Python requests', az: 'az ml online-endpoint invoke' };

/**
 * The request a URL or Azure target got, as a command to run elsewhere; keys become an environment variable the note
 * names. `server`: whose protocol the target speaks (the az CLI only for Azure ML's).
 */
export function CopyAs({ request, server }: { request: SnippetRequest; server: 'azureml' | 'mlflow' }) {
  const [chosen, setKind] = useState<SnippetKind>('curl');
  const kinds = snippetKindsFor(server);
  // the same card may come back speaking another protocol (a URL slot switched from Azure to MLflow): no az then
  const kind = kinds.includes(chosen) ? chosen : 'curl';
  const s = snippetFor(kind, request);
  return (
    <div className="pg-copy-as" data-testid="copy-as">
      <div className="pg-target-row" role="radiogroup" aria-label="Copy as">
        <span className="pg-label">Copy as</span>
        {kinds.map((k) => (
          <button key={k} type="button" role="radio" aria-checked={kind === k} className={`btn btn-small${kind === k ? ' btn-primary' : ''}`} data-testid={`copy-as-${k}`} onClick={() => setKind(k)}>
            {LABELS[k]}
          </button>
        ))}
      </div>
      <CodeBlock code={s.text} label={LABELS[kind]} testId="copy-as-text" />
      {s.note ? (
        <p className="muted small" data-testid="copy-as-note">
          {s.note}
        </p>
      ) : null}
    </div>
  );
}
