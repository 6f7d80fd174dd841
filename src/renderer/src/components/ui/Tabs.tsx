import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { BadgeTone } from './Badge';
import { formatCount } from '../../lib/format';

export interface TabItem<Id extends string> {
  id: Id;
  label: ReactNode;
  count?: number | null;
  tone?: BadgeTone | null;
}

interface TabsProps<Id extends string> {
  tabs: readonly TabItem<Id>[];
  active: Id;
  onChange(id: Id): void;
  label: string;
}

/** WAI-ARIA tab strip (arrow keys move between tabs); the panel is rendered by the caller. */
export function Tabs<Id extends string>({ tabs, active, onChange, label }: TabsProps<Id>) {
  const refs = useRef(new Map<Id, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent, index: number): void => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    const next = tabs[(index + delta + tabs.length) % tabs.length];
    onChange(next.id);
    refs.current.get(next.id)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          key={tab.id}
          ref={(el) => {
            if (el) refs.current.set(tab.id, el);
            else refs.current.delete(tab.id);
          }}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === active}
          aria-controls={`tabpanel-${tab.id}`}
          tabIndex={tab.id === active ? 0 : -1}
          data-testid={`tab-${tab.id}`}
          className={`tab${tab.id === active ? ' tab-active' : ''}`}
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          <span className="tab-label" data-label={typeof tab.label === 'string' ? tab.label : undefined}>
            {tab.label}
          </span>
          {tab.count !== null && tab.count !== undefined ? (
            <span className={`tab-count tab-count-${tab.tone ?? 'muted'}`}>{formatCount(tab.count)}</span>
          ) : tab.tone ? (
            <span className={`tab-dot tab-count-${tab.tone}`} aria-label={tab.tone} />
          ) : null}
        </button>
      ))}
    </div>
  );
}

/** The panel a tab controls. */
export function TabPanel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div className="tabpanel" role="tabpanel" id={`tabpanel-${id}`} aria-labelledby={`tab-${id}`}>
      {children}
    </div>
  );
}
