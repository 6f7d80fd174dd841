import { useState } from 'react';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { snippetFor, type SnippetKind, type SnippetRequest } from '../store/snippets';

const KINDS: { id: SnippetKind; label: string }[] = [
  { id: 'curl', label: 'curl' },
  { id: 'python', label: 'Python requests' },
  { id: 'az', label: 'az ml online-endpoint invoke' },
];

/** The request a URL target got, as a command to run elsewhere; keys become an environment variable the note names. */
export function CopyAs({ request }: { request: SnippetRequest }) {
  const [kind, setKind] = useState<SnippetKind>('curl');
  const s = snippetFor(kind, request);
  return (
    <div className="pg-copy-as" data-testid="copy-as">
      <div className="pg-target-row" role="radiogroup" aria-label="Copy as">
        <span className="pg-label">Copy as</span>
        {KINDS.map((k) => (
          <button key={k.id} type="button" role="radio" aria-checked={kind === k.id} className={`btn btn-small${kind === k.id ? ' btn-primary' : ''}`} data-testid={`copy-as-${k.id}`} onClick={() => setKind(k.id)}>
            {k.label}
          </button>
        ))}
      </div>
      <CodeBlock code={s.text} label={KINDS.find((k) => k.id === kind)!.label} testId="copy-as-text" />
      {s.note ? (
        <p className="muted small" data-testid="copy-as-note">
          {s.note}
        </p>
      ) : null}
    </div>
  );
}
