import type { ModelReport } from '@shared/mlflow/model-report';
import { Badge } from '../../../components/ui/Badge';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Table } from '../../../components/ui/Table';
import { prettyJson } from '../../../lib/format';
import { extraMlmodelKeys, findingCounts, overviewFields, SEVERITIES } from '../store/selectors';
import { NotSet, ValueCell } from './ValueCell';

/** MLmodel at a glance: every field, every flavor with all its settings, metadata, and the findings summary. */
export function OverviewTab({ report, onShowFindings }: { report: ModelReport; onShowFindings(): void }) {
  const counts = findingCounts(report.findings);
  const mlmodel = report.mlmodel;
  const extra = mlmodel ? extraMlmodelKeys(mlmodel) : [];
  return (
    <div className="stack">
      <section className="card" aria-label="Readiness summary" data-testid="readiness-summary">
        <h3>Azure ML readiness</h3>
        <div className="summary-row">
          {SEVERITIES.map((s) => (
            <button key={s} type="button" className={`summary-chip summary-${s}`} onClick={onShowFindings} data-testid={`summary-${s}`}>
              <span className="summary-count">{counts[s]}</span> {s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note'}
              {counts[s] === 1 ? '' : 's'}
            </button>
          ))}
          {report.problems.length > 0 ? (
            <Badge tone="error">{report.problems.length} part(s) of the folder could not be read — see Problems</Badge>
          ) : null}
          {report.findings.length === 0 ? <span className="muted">No findings: nothing stands in the way of a no-code deployment.</span> : null}
        </div>
      </section>

      <section className="card">
        <h3>MLmodel</h3>
        <dl className="fields" data-testid="overview-fields">
          {overviewFields(report).map((f) => (
            <div key={f.label} className="field">
              <dt>{f.label}</dt>
              <dd className={f.mono ? 'mono' : undefined}>{f.value ?? <NotSet />}</dd>
            </div>
          ))}
          {mlmodel?.isSignatureFromTypeHint ? (
            <div className="field">
              <dt>is_signature_from_type_hint</dt>
              <dd className="mono">true</dd>
            </div>
          ) : null}
        </dl>
        {report.kind === 'onnx-file' ? (
          <p className="muted">
            A bare ONNX file has no MLmodel: the ONNX tab shows its graph. To deploy it to Azure ML as an MLflow model, log it with
            <code> mlflow.onnx.log_model</code> first.
          </p>
        ) : null}
      </section>

      {mlmodel ? (
        <section className="card">
          <h3>Flavors</h3>
          {mlmodel.flavors.length === 0 ? (
            <EmptyState title="No flavors" tone="warning">
              MLmodel has an empty <code>flavors</code> block; MLflow cannot load this model.
            </EmptyState>
          ) : (
            <div className="flavors">
              {mlmodel.flavors.map((flavor) => (
                <div key={flavor.name} className="flavor" data-testid={`flavor-${flavor.name}`}>
                  <div className="flavor-name mono">{flavor.name}</div>
                  <Table
                    columns={[
                      { key: 'k', header: 'setting', render: ([k]) => k, mono: true, width: '30%' },
                      { key: 'v', header: 'value', render: ([, v]) => <ValueCell value={v} /> },
                    ]}
                    rows={Object.entries(flavor.settings)}
                    rowKey={([k]) => k}
                    empty="No settings."
                  />
                </div>
              ))}
            </div>
          )}
        </section>
      ) : null}

      {mlmodel ? (
        <section className="card">
          <h3>metadata</h3>
          {mlmodel.metadata ? <CodeBlock code={prettyJson(mlmodel.metadata)} label="metadata" /> : <NotSet />}
        </section>
      ) : null}

      {extra.length > 0 ? (
        <section className="card">
          <h3>Other MLmodel keys</h3>
          <Table
            columns={[
              { key: 'k', header: 'key', render: ([k]) => k, mono: true, width: '30%' },
              { key: 'v', header: 'value', render: ([, v]) => <ValueCell value={v} /> },
            ]}
            rows={extra}
            rowKey={([k]) => k}
          />
        </section>
      ) : null}
    </div>
  );
}
