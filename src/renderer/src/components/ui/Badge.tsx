import type { ReactNode } from 'react';

export type BadgeTone = 'error' | 'warning' | 'info' | 'ok' | 'muted' | 'accent';

/** A small pill for severities, sources and flags. */
export function Badge({ tone = 'muted', title, children }: { tone?: BadgeTone; title?: string; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
