import { referenceLinks } from '../external-links';
import type { Finding, ModelReport, Schema } from './model-report';
import { readinessVerdict } from './report-verdict';
import { pushAll } from '@shared/arrays';

/**
 * The report as Markdown, for a pull request, a ticket or a chat: verdict first, then what a reviewer needs
 * to judge it (model, signature, dependencies, findings with their links, problems). Shared by the app's
 * Export and `preflight inspect --markdown`, so both say the same thing.
 */
export function reportToMarkdown(report: ModelReport): string {
  const verdict = readinessVerdict(report);
  const out: string[] = [];
  out.push(`# Preflight: ${escapeInline(report.name)}`, '');
  out.push(`**${verdict.ready ? '✅' : '❌'} ${escapeInline(verdict.headline)}**`, '');
  out.push(`- Path: \`${report.path}\``);
  out.push(`- Kind: ${report.kind === 'onnx-file' ? 'ONNX file' : 'MLflow model folder'}`);
  const m = report.mlmodel;
  if (m) {
    out.push(`- Flavors: ${m.flavors.map((f) => `\`${f.name}\``).join(', ') || 'none'}`);
    if (m.mlflowVersion) out.push(`- Logged with MLflow ${m.mlflowVersion}${m.pythonVersion ? `, Python ${m.pythonVersion}` : ''}`);
    if (m.modelUuid) out.push(`- model_uuid: \`${m.modelUuid}\``);
  }
  out.push('');

  out.push('## Findings', '');
  if (report.findings.length === 0) out.push('None of the readiness rules fired.', '');
  for (const f of report.findings) pushAll(out, findingLines(f));

  out.push('## Signature', '');
  if (!report.signature) {
    out.push('No signature.', '');
  } else {
    pushAll(pushAll(out, schemaLines('Inputs', report.signature.inputs)), schemaLines('Outputs', report.signature.outputs));
    const params = report.signature.params ?? [];
    if (params.length > 0) {
      out.push('**Params**', '', '| name | type | default |', '|---|---|---|');
      for (const p of params) out.push(`| ${cell(p.name)} | ${cell(p.display)} | ${cell(JSON.stringify(p.default) ?? '')} |`);
      out.push('');
    }
  }

  const deps = report.environment.dependencies;
  if (deps.length > 0) {
    out.push('## Dependencies', '', '| package | spec | file |', '|---|---|---|');
    for (const d of deps) out.push(`| ${cell(d.name)} | ${cell(d.spec || '(any)')} | ${cell(d.file)} |`);
    out.push('');
  }

  if (report.problems.length > 0) {
    out.push('## Problems (parts that could not be read)', '');
    for (const p of report.problems) out.push(`- \`${p.file || '.'}\`: ${escapeInline(p.message)} (${p.code})`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function findingLines(f: Finding): string[] {
  const lines = [`### ${f.severity.toUpperCase()}: ${escapeInline(f.title)}`, '', `- Code: \`${f.code}\``, `- Evidence: ${f.evidence}`, `- Fix: ${f.fix}`];
  if (f.file) lines.push(`- File: \`${f.file}\``);
  if (f.reference) lines.push(`- Source: ${referenceLinks(f.reference).map((link) => `<${link}>`).join(' ')}`);
  lines.push('');
  return lines;
}

function schemaLines(label: string, schema: Schema | null): string[] {
  if (!schema) return [`**${label}**: none`, ''];
  if (schema.kind === 'columns') {
    return [
      `**${label}** (columns)`, '', '| name | type | required |', '|---|---|---|',
      ...schema.columns.map((c) => `| ${cell(c.name ?? '(unnamed)')} | ${cell(c.display)} | ${c.required ? 'yes' : 'no'} |`), '',
    ];
  }
  return [
    `**${label}** (tensors)`, '', '| name | dtype | shape |', '|---|---|---|',
    ...schema.tensors.map((t) => `| ${cell(t.name ?? '(unnamed)')} | ${cell(t.dtype)} | [${t.shape.join(', ')}] |`), '',
  ];
}

/** A table cell: pipes and newlines would break the row. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Headings and bold text from model files must not start Markdown constructs of their own. */
const escapeInline = (text: string): string => text.replace(/([\\*_[\]<>#])/g, '\\$1').replace(/\r?\n/g, ' ');
