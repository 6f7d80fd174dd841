import { useMemo, useState } from 'react';
import type { ColumnSpec, ModelReport, ParamSpec, Schema, Signature, TensorSpec } from '@shared/mlflow/model-report';
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
      <RawSignature raw={sig.raw} />
    </div>
  );
}

/** Above this many characters, the raw JSON is built only when its section is opened. */
const RAW_SIGNATURE_EAGER_CHARS = 100_000;

/**
 * The signature's JSON strings as MLmodel holds them, indented. A wide signature's (60 000 columns: 4.6 million
 * characters once indented) is built and put in the page only when the user opens the section: building it took
 * 140 ms and laying it out 300 ms on every visit to the tab, for a section that starts closed. A small one is
 * there from the start, as before, so the browser's find-in-page still reaches it while it is closed.
 */
function RawSignature({ raw }: { raw: Signature['raw'] }) {
  const chars = (raw.inputs?.length ?? 0) + (raw.outputs?.length ?? 0) + (raw.params?.length ?? 0);
  const [opened, setOpened] = useState(false);
  const show = opened || chars <= RAW_SIGNATURE_EAGER_CHARS;
  const blocks = useMemo(
    () =>
      show
        ? (['inputs', 'outputs', 'params'] as const).map((k) => {
            const text = raw[k];
            return text !== null ? <CodeBlock key={k} label={`signature.${k}`} code={prettyRaw(text)} /> : null;
          })
        : null,
    [show, raw],
  );
  return (
    <details className="card raw" data-testid="signature-raw" onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary>Signature JSON as written in MLmodel</summary>
      {blocks}
    </details>
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
