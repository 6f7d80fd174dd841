import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, isolateHistory } from '@codemirror/commands';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { bracketMatching, foldGutter, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { themedHighlight } from './editor-highlight';

/**
 * The playground's one request editor: CodeMirror 6 (see README "Why CodeMirror 6": it runs in the sandboxed
 * renderer under the strict CSP — no eval, no web workers — and adds ~150 kB where Monaco adds megabytes).
 * Line numbers, JSON syntax errors from the parser, the payload engine's errors and warnings marked where
 * they point, and completion of the signature's column names inside strings.
 */

export interface EngineMark {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

interface Props {
  value: string;
  onChange(value: string): void;
  onSubmit(): void;
  marks: EngineMark[];
  columns: readonly string[];
  /** CSV bodies get no JSON parser errors. */
  json: boolean;
}

const syntax = jsonParseLinter();

/** The app's look inside the shadow root (the app's stylesheets stop at its boundary; CSS variables cross it). */
const editorTheme = EditorView.theme({
  '&': { maxHeight: '420px', minHeight: '180px', fontSize: '12px', background: 'var(--bg)', color: 'var(--fg)', border: '1px solid var(--border)', borderRadius: '4px' },
  '&.cm-focused': { outline: '2px solid var(--accent-soft)' },
  '.cm-scroller': { overflow: 'auto', fontFamily: 'var(--font-mono)' },
  '.cm-gutters': { background: 'var(--bg-alt)', color: 'var(--fg-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { background: 'transparent' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-tooltip': { background: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--border-strong)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { background: 'var(--accent)', color: 'var(--accent-fg)' },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { background: 'var(--accent-soft)', outline: '1px solid var(--border-strong)' },
  '.cm-foldGutter span': { color: 'var(--fg-muted)' },
});

function columnCompletion(columns: () => readonly string[]) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const word = ctx.matchBefore(/"[\w .-]*/);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    const cols = columns();
    if (cols.length === 0) return null;
    return {
      from: word.from,
      options: cols.map((c) => ({ label: `"${c}"`, type: 'property', detail: 'column' })),
      validFor: /^"[\w .-]*$/,
    };
  };
}

export function RequestEditor({ value, onChange, onSubmit, marks, columns, json: isJson }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is built once; these refs let its extensions read the latest props.
  const latest = useRef({ onChange, onSubmit, columns, isJson });
  // Set while text from outside is applied: that is not the user's edit, so it must not come back as onChange (on a
  // model switch it wrote the new model's empty text as its draft before the samples came, which then never filled it).
  const applyingValue = useRef(false);
  useLayoutEffect(() => {
    latest.current = { onChange, onSubmit, columns, isJson };
  });

  useEffect(() => {
    if (!host.current) return;
    // The editor lives in a shadow root: CodeMirror then puts its generated styles in a constructable stylesheet
    // (CSSOM, which the CSP does not govern) instead of a <style> element, which `style-src 'self'` refuses.
    // delegatesFocus: focusing the host (command palette, Ctrl+E) lands in the editor, and Tab reaches the editor in
    // the page's order — a shadow host with tabIndex -1 took its whole tree out of keyboard navigation.
    const shadow = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open', delegatesFocus: true });
    const parent = document.createElement('div');
    shadow.replaceChildren(parent);
    const v = new EditorView({
      root: shadow,
      parent,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          foldGutter(),
          lintGutter(),
          history(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(themedHighlight),
          json(),
          EditorView.lineWrapping,
          editorTheme,
          keymap.of([
            { key: 'Mod-Enter', run: () => (latest.current.onSubmit(), true) },
            ...defaultKeymap,
            ...historyKeymap,
          ]),
          // On each edit: JSON syntax only (the engine's marks are for the previous text; new ones follow its next answer).
          linter((ev) => (latest.current.isJson ? syntax(ev) : []), { delay: 100 }),
          autocompletion({ override: [columnCompletion(() => latest.current.columns)], activateOnTyping: true }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !applyingValue.current) latest.current.onChange(u.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'data-testid': 'playground-editor-content', 'aria-label': 'Request body' }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // Built once per mount; value changes from outside are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Text replaced from outside (fill from example, format switch, an opened request). An undo step of its own, never
  // merged into the user's last typing: Ctrl+Z brings back exactly the text that was replaced (the replace question says so).
  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === value) return;
    applyingValue.current = true;
    try {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value }, annotations: isolateHistory.of('before') });
    } finally {
      applyingValue.current = false;
    }
  }, [value]);

  // New engine marks: shown at once, beside the parser's own syntax errors.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const len = v.state.doc.length;
    const engine: Diagnostic[] = marks.filter((m) => m.to <= len).map((m) => ({ from: m.from, to: m.to, severity: m.severity, message: m.message }));
    v.dispatch(setDiagnostics(v.state, [...(isJson ? syntax(v) : []), ...engine]));
  }, [marks, isJson]);

  // Focusable from outside (command palette, shortcut) through the shadow root's delegatesFocus, which lands on the
  // first focusable element inside (CodeMirror's scroller, tabIndex -1): onFocus moves it on to the text. No tabIndex
  // here: -1 would take the editor out of the Tab order.
  return <div className="pg-editor" ref={host} data-testid="playground-editor" onFocus={() => view.current?.focus()} />;
}
