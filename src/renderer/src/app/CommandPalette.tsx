import { useEffect, useRef, useState } from 'react';
import type { ModelsStore } from '../features/models/store/models-store';
import { MODEL_TABS } from '../features/models/store/models-store';
import { modelTabs } from '../features/models/store/selectors';
import { fillLabelOf, formatsOf, type PlaygroundStore } from '../features/playground/store/playground-store';

interface Command {
  id: string;
  label: string;
  keys?: string;
  run(): void;
}

/**
 * The commands, built from the stores the shell owns (features do not know each other; the shell does) when the
 * palette opens: the formats are the ones the Playground's switch offers for the MLflow emulated (no 1.x forms for a
 * 2.x model, nor the reverse), the tabs the ones the open model shows, by the names on them.
 */
export function commandsFor(models: ModelsStore, playground: PlaygroundStore): Command[] {
  const inPlayground = (then: () => void) => () => {
    models.getState().setTab('playground');
    then();
  };
  const pg = playground.getState;
  return [
    { id: 'open', label: 'Open a model folder…', keys: 'Ctrl/⌘+O', run: () => focusAndSelect(document.querySelector<HTMLInputElement>('[data-testid="open-path-input"]')) },
    { id: 'send', label: 'Playground: send to targets', keys: 'Ctrl/⌘+Enter', run: inPlayground(() => void pg().send()) },
    { id: 'next-format', label: 'Playground: switch to the next format', keys: 'Ctrl/⌘+Shift+F', run: inPlayground(() => void pg().switchToNextFormat()) },
    { id: 'fill', label: `Playground: ${fillLabelOf(pg().samples).toLowerCase()}`, run: inPlayground(() => void pg().fillFromExample()) },
    {
      id: 'focus',
      label: 'Playground: focus the request editor',
      keys: 'Ctrl/⌘+E',
      run: inPlayground(() => setTimeout(() => document.querySelector<HTMLElement>('[data-testid="playground-editor"]')?.focus(), 0)),
    },
    ...formatsOf(pg()).map((f) => ({ id: `format-${f.id}`, label: `Playground: switch format to ${f.label}`, run: inPlayground(() => void pg().switchFormat(f.id)) })),
    ...tabsFor(models).map((t) => ({
      id: `tab-${t.id}`,
      label: `Go to tab: ${t.label}`,
      run: () => models.getState().setTab(t.id),
    })),
  ];
}

/** The open model's tabs by their names; no model open: every tab by its id. */
function tabsFor(models: ModelsStore): { id: (typeof MODEL_TABS)[number]; label: string }[] {
  const view = models.getState().view;
  if (view.status === 'loaded') return modelTabs(view.report).map((t) => ({ id: t.id, label: t.label }));
  return MODEL_TABS.map((id) => ({ id, label: id }));
}

const focusAndSelect = (el: HTMLInputElement | null): void => {
  el?.focus();
  el?.select();
};

/**
 * The app's shortcuts (issue 10), each running a palette command. Ctrl/⌘+Enter inside the editor is the editor's
 * own (it sends, then marks the key handled), so this one serves the rest of the Playground tab.
 */
const SHORTCUTS: { command: string; matches(e: KeyboardEvent): boolean }[] = [
  { command: 'open', matches: (e) => (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'o' },
  { command: 'send', matches: (e) => (e.ctrlKey || e.metaKey) && !e.shiftKey && e.key === 'Enter' },
  { command: 'next-format', matches: (e) => (e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'f' },
  { command: 'focus', matches: (e) => (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'e' },
];

/** Every word of the query appears in the label (case-insensitive). */
export function matches(label: string, query: string): boolean {
  const l = label.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => l.includes(w));
}

/**
 * Ctrl/⌘+Shift+P opens a palette of the app's commands (type to filter, ↑/↓, Enter, Esc); the shortcuts above run
 * the same commands.
 */
export function CommandPalette({ models, playground }: { models: ModelsStore; playground: PlaygroundStore }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  // built at each render (the palette renders when it opens and as it is typed in): the formats and tabs follow the
  // open model and the MLflow emulated
  const commands = commandsFor(models, playground);
  const shown = commands.filter((c) => matches(c.label, query));

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.shiftKey && e.key.toLowerCase() === 'p') {
        e.preventDefault();
        setQuery('');
        setActive(0);
        setOpen(true);
        return;
      }
      const shortcut = SHORTCUTS.find((k) => k.matches(e));
      if (shortcut?.command === 'send' && models.getState().tab !== 'playground') return;
      if (shortcut && !e.defaultPrevented) {
        e.preventDefault();
        commands.find((c) => c.id === shortcut.command)?.run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [commands, models]);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  if (!open) return null;
  const runAt = (i: number): void => {
    const c = shown[i];
    setOpen(false);
    c?.run();
  };
  return (
    <div className="palette-backdrop" onMouseDown={() => setOpen(false)}>
      <div className="palette card" role="dialog" aria-label="Command palette" data-testid="command-palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          className="input"
          data-testid="command-palette-input"
          placeholder="Type a command…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
            else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, shown.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter') runAt(active);
            else return;
            e.preventDefault();
          }}
        />
        <ul className="plain-list palette-list" role="listbox">
          {shown.map((c, i) => (
            <li key={c.id} role="option" aria-selected={i === active} className={i === active ? 'palette-active' : undefined} data-testid="command" onMouseDown={() => runAt(i)}>
              {c.label}
              {c.keys ? <span className="muted small"> {c.keys}</span> : null}
            </li>
          ))}
          {shown.length === 0 ? <li className="muted">No command matches.</li> : null}
        </ul>
      </div>
    </div>
  );
}
