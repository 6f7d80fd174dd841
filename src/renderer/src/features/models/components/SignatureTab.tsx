import type { ColumnSpec, ModelReport, ParamSpec, Schema, TensorSpec } from '@shared/mlflow/model-report';
import { Badge } from '../../../components/ui/Badge';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Table, type Column } from '../../../components/ui/Table';
import { formatCount, formatParamShape, formatTensorShape, formatValue } from '../../../lib/format';

const Unnamed = () => <span className="muted">(unnamed)</span>;

const columnCols: Column<ColumnSpec>[] = [
  { key: 'name', header: 'name', render: (c) => c.name ?? <Unnamed />, mono: true },
  { key: 'type', header: 'type', render: (c) => c.display, mono: true },
  {
    key: 'required',
    header: 'required',
    render: (c) => (c.required ? 'required' : <Badge tone="info" title="A request may omit this column">optional</Badge>),
    width: '8rem',
  },
];

const tensorCols: Column<TensorSpec>[] = [
  { key: 'name', header: 'name', render: (t) => t.name ?? <Unnamed />, mono: true },
  { key: 'dtype', header: 'dtype', render: (t) => t.dtype, mono: true },
  { key: 'shape', header: 'shape', render: (t) => formatTensorShape(t.shape), mono: true },
];

const paramCols: Column<ParamSpec>[] = [
  { key: 'name', header: 'name', render: (p) => p.name, mono: true },
  { key: 'type', header: 'type', render: (p) => p.display, mono: true },
  { key: 'default', header: 'default', render: (p) => formatValue(p.default), mono: true },
  { key: 'shape', header: 'shape', render: (p) => formatParamShape(p.shape), mono: true },
];

/** What a long table's filter finds a row by (stable functions: the table lower-cases them once per schema). */
const columnText = (c: ColumnSpec): string => `${c.name ?? ''} ${c.display}`;
const tensorText = (t: TensorSpec): string => `${t.name ?? ''} ${t.dtype}`;

function SchemaTable({ schema, testId, what }: { schema: Schema | null; testId: string; what: string }) {
  if (!schema) return <EmptyState title={`No ${what} schema`}>The signature does not describe the model's {what}.</EmptyState>;
  return schema.kind === 'columns' ? (
    <Table
      testId={testId}
      caption={<span className="caption">column-based · {formatCount(schema.columns.length)} column(s)</span>}
      columns={columnCols}
      rows={schema.columns}
      rowKey={(c, i) => `${i}:${c.name ?? ''}`}
      rowText={columnText}
      empty="The schema lists no columns."
    />
  ) : (
    <Table
      testId={testId}
      caption={<span className="caption">tensor-based · {formatCount(schema.tensors.length)} tensor(s)</span>}
      columns={tensorCols}
      rows={schema.tensors}
      rowKey={(t, i) => `${i}:${t.name ?? ''}`}
      rowText={tensorText}
      empty="The schema lists no tensors."
    />
  );
}

/** Inputs, outputs and params of the MLmodel signature, plus the raw JSON MLflow wrote. */
export function SignatureTab({ report }: { report: ModelReport }) {
  const sig = report.signature;
  if (!sig || (sig.inputs === null && sig.outputs === null && sig.params === null)) {
    return (
      <EmptyState title="No signature" tone="warning" testId="no-signature">
        MLmodel has no <code>signature</code>, so nothing checks requests before they reach the model, and Azure ML's no-code
        deployment cannot build its request parser from it. Log the model again with a signature (
        <code>mlflow.models.infer_signature(X, y)</code> passed as <code>signature=</code>). The Findings tab says what this means
        for Azure.
      </EmptyState>
    );
  }
  return (
    <div className="stack">
      {report.mlmodel?.isSignatureFromTypeHint ? (
        <div className="callout callout-info">This signature was inferred from Python type hints (MLflow ≥ 2.20).</div>
      ) : null}
      <section className="card">
        <h3>Inputs</h3>
        <SchemaTable schema={sig.inputs} testId="signature-inputs" what="input" />
      </section>
      <section className="card">
        <h3>Outputs</h3>
        <SchemaTable schema={sig.outputs} testId="signature-outputs" what="output" />
      </section>
      <section className="card">
        <h3>Params</h3>
        {sig.params === null ? (
          <EmptyState title="No params schema">Requests' <code>params</code> are dropped before they reach the model.</EmptyState>
        ) : (
          <Table testId="signature-params" columns={paramCols} rows={sig.params} rowKey={(p) => p.name} empty="No params." />
        )}
      </section>
      <details className="card raw">
        <summary>Signature JSON as written in MLmodel</summary>
        {(['inputs', 'outputs', 'params'] as const).map((k) =>
          sig.raw[k] !== null ? <CodeBlock key={k} label={`signature.${k}`} code={prettyRaw(sig.raw[k])} /> : null,
        )}
      </details>
    </div>
  );
}

/** MLmodel stores the schema as one-line JSON strings; indent them when they parse, show them as-is otherwise. */
function prettyRaw(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
