import { usePlayground } from '../hooks/playground-store-context';
import type { Losing } from '../store/unsaved';
import '../../../styles/trust-dialog.css';

/** "a", "a and b", "a, b and c". */
function joined(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** The parts a replacement takes away, in the dialog's words: "text", "targets", "headers". */
function partsOf(l: Pick<Losing, 'targets' | 'headers'> & { text?: boolean }): string[] {
  return [...(l.text ? ['text'] : []), ...(l.targets.length ? ['targets'] : []), ...(l.headers.length ? ['headers'] : [])];
}

/**
 * The playground's one "replace what you have not saved?" question (the store's guard asks it for every action that
 * would take away text, targets or headers the user has not saved or sent). It names only what differs; keeping is the
 * default (focused, and what Escape does), so a stray Enter loses nothing.
 */
export function ReplaceDialog() {
  const ask = usePlayground((s) => s.replaceAsk);
  const answer = usePlayground((s) => s.answerReplace);
  if (!ask) return null;
  const { losing } = ask;
  const setup = losing.targets.length > 0 || losing.headers.length > 0;
  const back = [
    ...(losing.text ? ['Ctrl+Z (⌘+Z) in the editor brings your text back'] : []),
    ...(setup ? [`Undo replace, in the note shown after, brings your ${joined(partsOf({ ...losing, text: false }))} back`] : []),
  ];
  return (
    <div className="modal-backdrop" data-testid="replace-dialog" onKeyDown={(e) => e.key === 'Escape' && answer(false)}>
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="pg-replace-title" aria-describedby="pg-replace-why">
        <h2 id="pg-replace-title" data-testid="replace-title">
          {setup ? `Replace your ${joined(partsOf(losing))}?` : 'Replace the text in the editor?'}
        </h2>
        <div id="pg-replace-why">
          <p>
            <strong data-testid="replace-what">{ask.what}</strong> puts its own in place of what you have not saved or sent:
          </p>
          <ul className="pg-replace-parts" data-testid="replace-parts">
            {losing.text ? <li data-testid="replace-part-text">the text in the editor</li> : null}
            {losing.targets.length ? (
              <li data-testid="replace-part-targets">
                targets you changed: <span className="mono">{losing.targets.join(', ')}</span>
              </li>
            ) : null}
            {losing.headers.length ? (
              <li data-testid="replace-part-headers">
                headers you typed: <span className="mono">{losing.headers.join(', ')}</span>
              </li>
            ) : null}
          </ul>
          <p>After replacing, {joined(back)}.</p>
        </div>
        <div className="modal-actions">
          <button type="button" className="btn" data-testid="replace-keep" onClick={() => answer(false)} autoFocus>
            Keep mine
          </button>
          <button type="button" className="btn btn-primary" data-testid="replace-confirm" onClick={() => answer(true)}>
            Replace
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * After a replacement took away targets or headers the user had changed: what went, and *Undo replace* to put them
 * back (the editor's text has Ctrl/⌘+Z). Kept at the bottom of the window while the playground scrolls, so it is seen
 * from the panel the action was in (saved requests, history, curl).
 */
export function ReplacedNote() {
  const replaced = usePlayground((s) => s.replaced);
  const undo = usePlayground((s) => s.undoReplace);
  const dismiss = usePlayground((s) => s.dismissReplaced);
  if (!replaced) return null;
  const what = [
    ...(replaced.targets.length ? [`targets (${replaced.targets.join(', ')})`] : []),
    ...(replaced.headers.length ? [`headers (${replaced.headers.join(', ')})`] : []),
  ];
  return (
    <div className="callout callout-info pg-replaced-note" data-testid="replaced-note" role="status">
      <span data-testid="replaced-text">
        {replaced.what} replaced your {joined(what)}.
      </span>
      <button type="button" className="btn btn-small" data-testid="replace-undo" onClick={undo}>
        Undo replace
      </button>
      <button type="button" className="btn btn-small" aria-label="Dismiss" data-testid="replaced-dismiss" onClick={dismiss}>
        ✕
      </button>
    </div>
  );
}
