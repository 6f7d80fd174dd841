import { useMemo, useState } from 'react';
import { clippedNote, displayText } from '../../lib/display-text';

/** Preformatted JSON/text with a copy button; long content scrolls inside its own box, very long content is shown in part (display-text.ts). */
export function CodeBlock({ code, label, testId }: { code: string; label?: string; testId?: string }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied('done');
    } catch {
      // Clipboard access can be denied (permissions, insecure origin); selecting the text still works.
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 1500);
  };
  const shown = useMemo(() => displayText(code), [code]);
  const note = clippedNote(shown);
  return (
    <div className="codeblock" data-testid={testId}>
      <div className="codeblock-bar">
        <span className="codeblock-label">{label}</span>
        <button type="button" className="btn btn-small" onClick={() => void copy()}>
          {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed — select the text' : 'Copy'}
        </button>
      </div>
      <pre>
        <code>{shown.shown}</code>
      </pre>
      {note ? (
        <p className="muted small" data-testid={testId ? `${testId}-clipped` : undefined}>
          {note}
        </p>
      ) : null}
    </div>
  );
}
