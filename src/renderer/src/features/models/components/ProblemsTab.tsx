import type { ModelReport, Problem } from '@shared/mlflow/model-report';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Table } from '../../../components/ui/Table';

/** Parts of the folder that could not be read; inspection went on without them. */
export function ProblemsTab({ report }: { report: ModelReport }) {
  if (report.problems.length === 0) return <EmptyState title="No problems">Every file Preflight looked at could be read.</EmptyState>;
  return (
    <section className="card">
      <h3>Could not read ({report.problems.length})</h3>
      <p className="muted">Inspection went on without these parts, so other tabs may be incomplete.</p>
      <Table<Problem>
        testId="problems-table"
        columns={[
          { key: 'file', header: 'file', mono: true, render: (p) => p.file, width: '22%' },
          { key: 'code', header: 'code', mono: true, render: (p) => p.code, width: '12rem' },
          { key: 'message', header: 'message', render: (p) => p.message },
        ]}
        rows={report.problems}
        rowKey={(p, i) => `${p.file}:${p.code}:${i}`}
      />
    </section>
  );
}
