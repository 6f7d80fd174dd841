import type { ModelReport, OnnxSummary, OnnxValueInfo } from '@shared/mlflow/model-report';
import { Badge } from '../../../components/ui/Badge';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Table, type Column } from '../../../components/ui/Table';
import { formatBytes, formatCount, formatOnnxDomain, formatOnnxShape } from '../../../lib/format';
import type { OnnxType } from '@shared/mlflow/model-report';

const shapeOf = (t: OnnxType): string =>
  t.kind === 'tensor' || t.kind === 'sparse_tensor' ? formatOnnxShape(t.shape) : '—';

/** What a long inputs/outputs table's filter finds a row by. */
const valueName = (v: OnnxValueInfo): string => v.name;

const ioColumns: Column<OnnxValueInfo>[] = [
  { key: 'name', header: 'name', mono: true, render: (v) => v.name },
  { key: 'type', header: 'type', mono: true, render: (v) => v.display },
  { key: 'shape', header: 'shape', mono: true, render: (v) => shapeOf(v.type) },
  { key: 'doc', header: 'doc', render: (v) => v.docString ?? '' },
];

function OnnxFile({ onnx }: { onnx: OnnxSummary }) {
  const facts: [string, string | null][] = [
    ['ir_version', onnx.irVersion === null ? null : String(onnx.irVersion)],
    ['producer', onnx.producerName === null ? null : `${onnx.producerName}${onnx.producerVersion ? ` ${onnx.producerVersion}` : ''}`],
    ['domain', onnx.domain],
    ['model_version', onnx.modelVersion === null ? null : String(onnx.modelVersion)],
    ['graph', onnx.graphName],
    ['nodes', formatCount(onnx.nodeCount)],
    ['initializers', `${formatCount(onnx.initializerCount)} (${formatBytes(onnx.initializerBytes)} in file)`],
    ['file size', `${formatBytes(onnx.fileSize)} (${formatCount(onnx.fileSize)} bytes)`],
  ];
  return (
    <section className="card" data-testid="onnx-file">
      <h3 className="mono">{onnx.file}</h3>
      <dl className="fields">
        {facts.map(([label, value]) => (
          <div key={label} className="field">
            <dt>{label}</dt>
            <dd className="mono">{value ?? <span className="muted">not set</span>}</dd>
          </div>
        ))}
      </dl>
      {onnx.docString ? <p className="docstring">{onnx.docString}</p> : null}
      <h4>Opset imports</h4>
      <div className="row-gap wrap">
        {onnx.opsetImports.map((o) => (
          <Badge key={`${o.domain}:${o.version}`} tone="accent">
            {formatOnnxDomain(o.domain)} v{o.version}
          </Badge>
        ))}
        {onnx.opsetImports.length === 0 ? <span className="muted">none declared</span> : null}
      </div>
      <h4>Inputs</h4>
      <Table testId="onnx-inputs" columns={ioColumns} rows={onnx.inputs} rowKey={(v) => v.name} rowText={valueName} empty="No graph inputs." />
      <h4>Outputs</h4>
      <Table testId="onnx-outputs" columns={ioColumns} rows={onnx.outputs} rowKey={(v) => v.name} rowText={valueName} empty="No graph outputs." />
      {onnx.metadataProps.length > 0 ? (
        <>
          <h4>metadata_props</h4>
          <Table
            columns={[
              { key: 'k', header: 'key', mono: true, render: (p: { key: string; value: string }) => p.key, width: '30%' },
              { key: 'v', header: 'value', mono: true, render: (p: { key: string; value: string }) => p.value },
            ]}
            rows={onnx.metadataProps}
            rowKey={(p) => p.key}
          />
        </>
      ) : null}
      {onnx.externalData.length > 0 ? (
        <>
          <h4>External data</h4>
          <Table
            columns={[
              { key: 'loc', header: 'location', mono: true, render: (e: OnnxSummary['externalData'][number]) => e.location },
              {
                key: 'bytes',
                header: 'size',
                numeric: true,
                render: (e: OnnxSummary['externalData'][number]) => (e.bytes === null ? '—' : formatBytes(e.bytes)),
              },
              {
                key: 'exists',
                header: 'status',
                render: (e: OnnxSummary['externalData'][number]) =>
                  e.exists ? <Badge tone="ok">present</Badge> : <Badge tone="error">missing</Badge>,
              },
            ]}
            rows={onnx.externalData}
            rowKey={(e) => e.location}
          />
        </>
      ) : null}
      {onnx.opTypes.length > 0 ? (
        <details>
          <summary>Operators used ({onnx.opTypes.length})</summary>
          <div className="row-gap wrap mono small">
            {onnx.opTypes.map((op) => (
              <span key={op} className="chip">
                {op}
              </span>
            ))}
          </div>
        </details>
      ) : null}
    </section>
  );
}

/** Every ONNX graph in the folder: versions, opsets, I/O types and shapes, weights — read without loading them. */
export function OnnxTab({ report }: { report: ModelReport }) {
  if (report.onnx.length === 0)
    return <EmptyState title="No ONNX files">This model has no <code>onnx</code> flavor and no .onnx file.</EmptyState>;
  return (
    <div className="stack">
      {report.onnx.map((o) => (
        <OnnxFile key={o.file} onnx={o} />
      ))}
    </div>
  );
}
