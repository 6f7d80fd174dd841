import { useMemo, useState } from 'react';
import type { ModelReport } from '@shared/mlflow/model-report';
import { Badge } from '../../../components/ui/Badge';
import { formatBytes, formatCount } from '../../../lib/format';
import { fileRows } from '../store/selectors';

// Rendering tens of thousands of rows freezes the window; a model folder that big is browsed by collapsing folders.
const MAX_ROWS = 3000;

/** The folder as a tree with sizes; symlinks show their target and whether it leaves the folder. */
export function FilesTab({ report }: { report: ModelReport }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => fileRows(report.files, collapsed), [report.files, collapsed]);
  const toggle = (path: string): void =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  return (
    <section className="card">
      <h3>
        Files <span className="muted small">{formatBytes(report.totalBytes)} in total ({formatCount(report.totalBytes)} bytes)</span>
      </h3>
      <div className="table-wrap">
        <table className="table tree" data-testid="file-tree">
          <thead>
            <tr>
              <th>name</th>
              <th className="num">size</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={2} className="table-empty">
                  The folder is empty.
                </td>
              </tr>
            ) : null}
            {rows.slice(0, MAX_ROWS).map((r) => (
              <tr key={r.path} data-testid="file-row" className={r.outside ? 'row-conflict' : undefined}>
                <td className="mono">
                  <span style={{ paddingLeft: `${r.depth * 1.1}rem` }} className="tree-name">
                    {r.kind === 'dir' ? (
                      <button type="button" className="tree-toggle" onClick={() => toggle(r.path)} aria-expanded={!collapsed.has(r.path)}>
                        {collapsed.has(r.path) ? '▸' : '▾'} {r.name}/
                      </button>
                    ) : (
                      <span className="tree-leaf">{r.name}</span>
                    )}
                    {r.kind === 'symlink' ? (
                      <>
                        {' '}
                        <Badge tone={r.outside ? 'error' : 'info'} title={r.outside ? 'Points outside the model folder: Azure ML will not upload the target' : 'Symbolic link'}>
                          symlink{r.outside ? ' → outside' : ''}
                        </Badge>{' '}
                        <span className="muted">→ {r.target ?? '?'}</span>
                      </>
                    ) : null}
                  </span>
                </td>
                <td className="num mono" title={`${formatCount(r.size)} bytes`}>
                  {formatBytes(r.size)}
                </td>
              </tr>
            ))}
            {rows.length > MAX_ROWS ? (
              <tr>
                <td colSpan={2} className="table-empty">
                  {formatCount(rows.length - MAX_ROWS)} more rows not shown — collapse folders to see the rest.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
