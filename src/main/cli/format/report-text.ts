import type { ModelReport, Schema, Severity } from '@shared/mlflow/model-report';
import { referenceLinks } from '@shared/external-links';
import { readinessVerdict } from '@shared/mlflow/report-verdict';
import { formatBytes, plural, show, table, truncate } from './text';
import { pushAll } from '@shared/arrays';

const oneLine = (line: string): string => line.replace(/\r?\n|\r/g, (m) => (m === '\r' ? '\\r' : '\\n'));

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The human-readable form of `preflight inspect`: the same facts as the Models view, section by section. */
export function formatReport(report: ModelReport): string {
  const out: string[] = [];
  const section = (title: string) => out.push('', title, '='.repeat(title.length));

  // The verdict comes first: most people run inspect to learn whether the model can go, not to read MLmodel.
  out.push(readinessVerdict(report).headline, '');
  out.push(`Preflight inspect: ${report.name}`);
  out.push(`Path:   ${report.path}`);
  out.push(`Kind:   ${report.kind === 'onnx-file' ? 'ONNX file' : 'MLflow model folder'}`);
  out.push(`Size:   ${formatBytes(report.totalBytes)} in ${plural(report.files.filter((f) => f.kind === 'file').length, 'file')}`);

  const m = report.mlmodel;
  if (m) {
    section('MLmodel');
    const fields: [string, unknown][] = [
      ['file', m.file],
      ['mlflow_version', m.mlflowVersion],
      ['python_version', m.pythonVersion],
      ['loader_module', m.loaderModule],
      ['model_uuid', m.modelUuid],
      ['run_id', m.runId],
      ['utc_time_created', m.utcTimeCreated],
      ['artifact_path', m.artifactPath],
      ['databricks_runtime', m.databricksRuntime],
      ['model_size_bytes', m.modelSizeBytes],
      ['metadata', m.metadata],
      ['saved_input_example_info', m.savedInputExampleInfo],
    ];
    for (const [k, v] of fields) out.push(`  ${k.padEnd(26)}${truncate(show(v), 100)}`);
    if (m.isSignatureFromTypeHint) out.push('  (signature inferred from type hints)');

    section('Flavors');
    if (m.flavors.length === 0) out.push('  (none)');
    for (const flavor of m.flavors) {
      out.push(`  ${flavor.name}`);
      for (const [k, v] of Object.entries(flavor.settings)) out.push(`    ${k}: ${truncate(show(v), 100)}`);
    }
  }

  section('Signature');
  if (!report.signature) {
    out.push('  No signature: Azure ML cannot build a scoring schema and MLflow will not enforce input types.');
  } else {
    const s = report.signature;
    pushAll(pushAll(out, schemaLines('Inputs', s.inputs)), schemaLines('Outputs', s.outputs));
    if (s.params && s.params.length > 0) {
      out.push('  Params:');
      pushAll(out, table(['NAME', 'TYPE', 'DEFAULT', 'SHAPE'], s.params.map((p) => [p.name, p.display, show(p.default), p.shape ? `[${p.shape.join(', ')}]` : 'scalar']), '    '));
    } else {
      out.push('  Params: none');
    }
  }

  section('Input examples');
  if (report.inputExamples.length === 0) out.push('  (none)');
  for (const ex of report.inputExamples) {
    const notes = [ex.role, ex.form, ex.hasParams ? 'with params' : '', ex.truncated ? 'truncated' : ''].filter(Boolean).join(', ');
    out.push(`  ${ex.file} (${notes})${ex.error ? ` — error: ${ex.error}` : ''}`);
    // One compact line per example; the full text is in --json (`pretty`) and in the app.
    if (!ex.error) out.push(`    ${truncate(ex.content === null ? ex.pretty : show(ex.content), 160)}`);
  }

  section('Environment');
  const env = report.environment;
  for (const f of env.files) out.push(`  ${f.file} (${f.kind}${f.python ? `, python ${f.python}` : ''})${f.error ? ` — error: ${f.error}` : ''}`);
  if (env.files.length === 0) out.push('  No environment files (conda.yaml, python_env.yaml, requirements.txt).');
  if (env.dependencies.length > 0) {
    out.push('', `  Dependencies (${env.dependencies.length}):`);
    pushAll(
      out,
      table(
        ['NAME', 'SPEC', 'INSTALLER', 'SOURCE', 'FILE'],
        env.dependencies.map((d) => [
          d.name,
          d.spec || '(any)',
          d.channel ? `${d.installer} (${d.channel})` : d.installer,
          d.source,
          d.line === null ? d.file : `${d.file}:${d.line}`,
        ]),
        '    ',
      ),
    );
  }
  if (env.conflicts.length > 0) {
    out.push('', `  Conflicts (${env.conflicts.length}):`);
    for (const c of env.conflicts) {
      out.push(`    ${c.name}: ${c.message}`);
      for (const e of c.entries) out.push(`      ${e.file}: ${e.spec || '(any)'}`);
    }
  }
  if (env.indexUrls.length > 0) out.push('', `  Package indexes: ${env.indexUrls.join(', ')}`);

  if (report.onnx.length > 0) {
    section('ONNX');
    for (const o of report.onnx) {
      out.push(`  ${o.file} (${formatBytes(o.fileSize)})`);
      out.push(`    ir_version ${show(o.irVersion)}, producer ${show(o.producerName)} ${o.producerVersion ?? ''}`.trimEnd());
      out.push(`    opsets: ${o.opsetImports.map((op) => `${op.domain || 'ai.onnx'} ${op.version}`).join(', ') || '—'}`);
      out.push(`    ${plural(o.nodeCount, 'node')}, ${plural(o.initializerCount, 'initializer')} (${formatBytes(o.initializerBytes)}), ops: ${truncate(o.opTypes.join(' '), 100)}`);
      if (o.metadataProps.length > 0) out.push(`    metadata: ${truncate(o.metadataProps.map((p) => `${p.key}=${p.value}`).join(', '), 120)}`);
      for (const ext of o.externalData) out.push(`    external data: ${ext.location} ${ext.exists ? formatBytes(ext.bytes ?? 0) : '(missing)'}`);
      pushAll(out, table(['IO', 'NAME', 'TYPE'], [...o.inputs.map((i) => ['input', i.name, i.display]), ...o.outputs.map((i) => ['output', i.name, i.display])], '    '));
    }
  }

  section('Readiness findings');
  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  if (findings.length === 0) out.push('  None: nothing stands in the way of an Azure ML no-code deployment that Preflight can see.');
  for (const f of findings) {
    out.push(`  [${f.severity.toUpperCase()}] ${f.title} (${f.code})`);
    out.push(`    Evidence: ${f.evidence}`);
    out.push(`    Fix:      ${f.fix}`);
    const where = [f.file ? `file ${f.file}` : '', f.reference ? `see ${referenceLinks(f.reference).join(' ')}` : ''].filter(Boolean).join('; ');
    if (where) out.push(`    (${where})`);
  }

  if (report.problems.length > 0) {
    section('Problems (parts that could not be read)');
    for (const p of report.problems) out.push(`  ${p.file}: ${p.message} (${p.code})`);
  }

  const counts = (sev: Severity) => report.findings.filter((f) => f.severity === sev).length;
  out.push('', `Summary: ${plural(counts('error'), 'error')}, ${plural(counts('warning'), 'warning')}, ${counts('info')} info, ${plural(report.problems.length, 'problem')}.`);
  // Each entry is one line of the report; a line break inside one came from the folder (a file or folder name, an
  // MLmodel value, a problem quoting them) and would start a line the report never wrote — "Readiness: Ready" under
  // an error, say. Shown as a visible \n instead (terminalSafe, on a terminal, then neutralises escape sequences).
  return `${out.map(oneLine).join('\n')}\n`;
}

function schemaLines(label: string, schema: Schema | null): string[] {
  if (!schema) return [`  ${label}: none`];
  if (schema.kind === 'columns') {
    return [
      `  ${label} (columns):`,
      ...table(['NAME', 'TYPE', 'REQUIRED'], schema.columns.map((c) => [c.name ?? '(unnamed)', c.display, c.required ? 'yes' : 'no']), '    '),
    ];
  }
  return [
    `  ${label} (tensors):`,
    ...table(['NAME', 'DTYPE', 'SHAPE'], schema.tensors.map((t) => [t.name ?? '(unnamed)', t.dtype, `[${t.shape.join(', ')}]`]), '    '),
  ];
}
