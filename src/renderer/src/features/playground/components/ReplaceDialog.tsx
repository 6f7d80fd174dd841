import { usePlayground } from '../hooks/playground-store-context';
import '../../../styles/trust-dialog.css';

/**
 * The playground's one "replace the editor's text?" question (the store's guard asks it for every action that would
 * lose text the user has not saved or sent). The same modal as the trust question; keeping the text is the default
 * (focused, and what Escape does), so a stray Enter loses nothing.
 */
export function ReplaceDialog() {
  const ask = usePlayground((s) => s.replaceAsk);
  const answer = usePlayground((s) => s.answerReplace);
  if (!ask) return null;
  return (
    <div className="modal-backdrop" data-testid="replace-dialog" onKeyDown={(e) => e.key === 'Escape' && answer(false)}>
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="pg-replace-title" aria-describedby="pg-replace-why">
        <h2 id="pg-replace-title">Replace the text in the editor?</h2>
        <p id="pg-replace-why">
          The editor holds text you have not saved or sent. <strong data-testid="replace-what">{ask.what}</strong> puts other text in its place. After
          replacing, Ctrl+Z (⌘+Z) in the editor brings your text back.
        </p>
        <div className="modal-actions">
          <button type="button" className="btn" data-testid="replace-keep" onClick={() => answer(false)} autoFocus>
            Keep my text
          </button>
          <button type="button" className="btn btn-primary" data-testid="replace-confirm" onClick={() => answer(true)}>
            Replace
          </button>
        </div>
      </div>
    </div>
  );
}
