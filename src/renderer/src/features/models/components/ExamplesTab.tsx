import type { ModelReport } from '@shared/mlflow/model-report';
import { Badge } from '../../../components/ui/Badge';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Table } from '../../../components/ui/Table';
import { ValueCell } from './ValueCell';

/** `saved_input_example_info` from MLmodel and every example file found, pretty-printed. */
export function ExamplesTab({ report }: { report: ModelReport }) {
  const info = report.mlmodel?.savedInputExampleInfo ?? null;
  return (
    <div className="stack">
      <section className="card">
        <h3>saved_input_example_info</h3>
        {info ? (
          <Table
            columns={[
              { key: 'k', header: 'key', render: ([k]) => k, mono: true, width: '30%' },
              { key: 'v', header: 'value', render: ([, v]) => <ValueCell value={v} /> },
            ]}
            rows={Object.entries(info)}
            rowKey={([k]) => k}
          />
        ) : (
          <span className="muted">Not set in MLmodel.</span>
        )}
      </section>
      {report.inputExamples.length === 0 ? (
        <EmptyState title="No input example" testId="no-input-example">
          The folder has no <code>input_example.json</code> or <code>serving_input_example.json</code>. Log the model with{' '}
          <code>input_example=</code> so users (and Azure ML) have a request that is known to work.
        </EmptyState>
      ) : (
        report.inputExamples.map((ex) => (
          <section key={ex.file} className="card" data-testid="input-example">
            <h3 className="row-gap">
              <span className="mono">{ex.file}</span>
              <Badge tone="accent" title="role">
                {ex.role === 'serving_input_example' ? 'serving input example' : 'input example'}
              </Badge>
              <Badge tone="muted" title="Detected form">
                {ex.form}
              </Badge>
              {ex.hasParams ? <Badge tone="info">has params</Badge> : null}
              {ex.truncated ? <Badge tone="warning">shown truncated (200 kB)</Badge> : null}
            </h3>
            {ex.error ? (
              <div className="callout callout-error" role="alert">
                {ex.error}
              </div>
            ) : null}
            <CodeBlock code={ex.pretty} label={ex.error ? 'raw text' : 'JSON'} />
          </section>
        ))
      )}
    </div>
  );
}
