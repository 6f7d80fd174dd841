import { useModels } from '../hooks/models-store-context';

/** Recently opened models, newest first: click to reopen, × to forget. */
export function RecentList() {
  const recent = useModels((s) => s.recent);
  const recentError = useModels((s) => s.recentError);
  const open = useModels((s) => s.open);
  const forgetRecent = useModels((s) => s.forgetRecent);
  const currentPath = useModels((s) => (s.view.status === 'loaded' ? s.view.report.path : null));

  return (
    <nav className="recent" aria-label="Recent models" data-testid="recent-list">
      <div className="sidebar-heading">Recent</div>
      {recentError ? <div className="recent-error">{recentError}</div> : null}
      {recent.length === 0 && !recentError ? <div className="recent-empty">Models you open appear here.</div> : null}
      <ul>
        {recent.map((item) => (
          <li key={item.path} className={item.path === currentPath ? 'recent-item recent-current' : 'recent-item'} data-testid="recent-item">
            <button
              type="button"
              className="recent-open"
              title={`${item.path}\nopened ${new Date(item.openedAt).toLocaleString()}`}
              onClick={() => void open(item.path)}
            >
              <span className="recent-name">{item.name}</span>
              {/* RTL + <bdi>: long paths lose their start, not the folder name at the end. */}
              <span className="recent-path mono">
                <bdi>{item.path}</bdi>
              </span>
            </button>
            <button
              type="button"
              className="icon-btn recent-forget"
              aria-label={`Forget ${item.name}`}
              title="Remove from the recent list (the folder is not touched)"
              onClick={() => void forgetRecent(item.path)}
              data-testid="recent-forget"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
