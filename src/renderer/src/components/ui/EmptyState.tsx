import type { ReactNode } from 'react';

/** "Nothing here" — said explicitly, with why it matters when it does (tone warning). */
export function EmptyState({
  title,
  tone = 'muted',
  testId,
  children,
}: {
  title: ReactNode;
  tone?: 'muted' | 'warning' | 'error';
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`empty empty-${tone}`} data-testid={testId} role={tone === 'muted' ? undefined : 'note'}>
      <div className="empty-title">{title}</div>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}
