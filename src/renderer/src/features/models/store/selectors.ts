import type {
  Dependency,
  DependencyConflict,
  Environment,
  FileEntry,
  Finding,
  MLmodelInfo,
  ModelReport,
  Severity,
} from '@shared/mlflow/model-report';
import { formatBytes } from '../../../lib/format';
import type { ModelTab, ModelView } from './models-store';

/** Pure derivations of a ModelReport for the Models view; no React, no store access (unit-tested). */

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export type SeverityCounts = Record<Severity, number>;

export function findingCounts(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** Errors first, then warnings, then info; stable within a severity so the rules' own order is kept. */
export const sortFindings = (findings: readonly Finding[]): Finding[] =>
  findings
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => severityRank[a.severity] - severityRank[b.severity] || i - j)
    .map(([f]) => f);

/** The worst severity present, for colouring a tab or header; null when there is nothing. */
export function worstSeverity(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || severityRank[f.severity] < severityRank[worst]) worst = f.severity;
  return worst;
}

// ---- environment -------------------------------------------------------------------------------

export interface DependencyRow extends Dependency {
  /** The conflict this package is part of (files disagree about it), or null. */
  conflict: DependencyConflict | null;
}

/** PEP 503 normalisation, so `scikit_learn` in one file matches `scikit-learn` in a conflict entry. */
const normaliseName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/** The dependency table's rows, each carrying its conflict so the row itself can be flagged. */
export function dependencyRows(env: Environment): DependencyRow[] {
  const conflicts = new Map(env.conflicts.map((c) => [normaliseName(c.name), c]));
  return env.dependencies.map((d) => ({ ...d, conflict: conflicts.get(normaliseName(d.name)) ?? null }));
}

/** How a dependency gets installed, as one short cell: `pip`, `conda (conda-forge)`. */
export const installerLabel = (d: Dependency): string => (d.channel ? `${d.installer} (${d.channel})` : d.installer);

/** Sources a private-link workspace cannot install from without packaging. */
export const needsNetworkSource = (source: Dependency['source']): boolean =>
  source === 'vcs' || source === 'url' || source === 'local-path' || source === 'private-index';

// ---- files -------------------------------------------------------------------------------------

export interface FileRow {
  path: string;
  name: string;
  depth: number;
  kind: FileEntry['kind'];
  size: number;
  target: string | null;
  outside: boolean;
  hasChildren: boolean;
}

interface TreeNode {
  entry: FileEntry;
  children: Map<string, TreeNode>;
}

/**
 * The flat file list as visible tree rows: folders first, then by name; children of collapsed folders hidden.
 * Parents missing from the list (a capped walk) are synthesised so nothing floats at the wrong depth.
 */
export function fileRows(files: readonly FileEntry[], collapsed: ReadonlySet<string> = new Set()): FileRow[] {
  const root: TreeNode = { entry: { path: '', kind: 'dir', size: 0, target: null, outside: false }, children: new Map() };
  const ensureDir = (parts: string[]): TreeNode => {
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      let child = node.children.get(parts[i]);
      if (!child) {
        const path = parts.slice(0, i + 1).join('/');
        child = { entry: { path, kind: 'dir', size: 0, target: null, outside: false }, children: new Map() };
        node.children.set(parts[i], child);
      }
      node = child;
    }
    return node;
  };
  for (const entry of files) {
    const parts = entry.path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0) continue;
    const parent = ensureDir(parts.slice(0, -1));
    const name = parts[parts.length - 1];
    const existing = parent.children.get(name);
    if (existing) existing.entry = entry;
    else parent.children.set(name, { entry, children: new Map() });
  }
  // Synthesised folders get the sum of what is under them, as the host does for real ones.
  const listed = new Set(files);
  const sizeOf = (node: TreeNode): number => {
    if (node.entry.kind !== 'dir') return node.entry.size;
    let sum = 0;
    for (const child of node.children.values()) sum += sizeOf(child);
    if (!listed.has(node.entry)) node.entry = { ...node.entry, size: sum };
    return node.entry.size;
  };
  sizeOf(root);

  const rows: FileRow[] = [];
  const walk = (node: TreeNode, depth: number): void => {
    const children = [...node.children.entries()].sort(([an, a], [bn, b]) => {
      const ad = a.entry.kind === 'dir' ? 0 : 1;
      const bd = b.entry.kind === 'dir' ? 0 : 1;
      return ad - bd || an.localeCompare(bn);
    });
    for (const [name, child] of children) {
      const { entry } = child;
      rows.push({
        path: entry.path,
        name,
        depth,
        kind: entry.kind,
        size: entry.size,
        target: entry.target,
        outside: entry.outside,
        hasChildren: child.children.size > 0,
      });
      if (!collapsed.has(entry.path)) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

// ---- tabs, overview ------------------------------------------------------------------------------

export type Tone = 'error' | 'warning' | 'info' | 'ok' | 'muted';

export interface TabInfo {
  id: ModelTab;
  label: string;
  /** Shown as a small count badge; null for none. */
  count: number | null;
  tone: Tone | null;
}

function schemaSize(schema: NonNullable<ModelReport['signature']>['inputs']): number {
  if (!schema) return 0;
  return schema.kind === 'columns' ? schema.columns.length : schema.tensors.length;
}

/** The tab strip with counts, coloured where something needs attention. */
export function modelTabs(report: ModelReport): TabInfo[] {
  const worst = worstSeverity(report.findings);
  const hasSignature = report.signature !== null && (report.signature.inputs !== null || report.signature.outputs !== null);
  return [
    { id: 'overview', label: 'Overview', count: null, tone: null },
    {
      id: 'signature',
      label: 'Signature',
      count: hasSignature ? schemaSize(report.signature!.inputs) : null,
      tone: hasSignature ? null : 'warning',
    },
    { id: 'examples', label: 'Input examples', count: report.inputExamples.length, tone: null },
    // One request validated as you type, sent to local runner profiles and URLs side by side, with a verdict;
    // the local runner's engine, interpreter and scoring server live here too.
    { id: 'playground', label: 'Playground', count: null, tone: null },
    // Score CSV/parquet files offline the way an Azure ML batch deployment would (payloads.md §7).
    { id: 'batch', label: 'Batch', count: null, tone: null },
    // Offline package for private-link workspaces (issue 9): MLflow folders only.
    ...(report.kind === 'mlflow-folder' ? [{ id: 'package' as const, label: 'Package', count: null, tone: null }] : []),
    // Register & deploy to Azure ML, and the workspace's endpoints (issue 8); composed by the shell.
    { id: 'azure', label: 'Azure', count: null, tone: null },
    {
      id: 'environment',
      label: 'Environment',
      count: report.environment.dependencies.length,
      tone: report.environment.conflicts.length > 0 ? 'warning' : null,
    },
    { id: 'onnx', label: 'ONNX', count: report.onnx.length, tone: null },
    { id: 'files', label: 'Files', count: report.files.filter((f) => f.kind !== 'dir').length, tone: null },
    { id: 'findings', label: 'Findings', count: report.findings.length, tone: worst },
    { id: 'problems', label: 'Problems', count: report.problems.length, tone: report.problems.length > 0 ? 'error' : null },
  ];
}

export interface Field {
  label: string;
  /** null renders as a muted "not set": absent fields are information too. */
  value: string | null;
  mono: boolean;
}

/** The MLmodel's scalar fields in the order MLflow writes them; flavors and metadata render separately. */
export function overviewFields(report: ModelReport): Field[] {
  const m = report.mlmodel;
  const f = (label: string, value: string | number | null | undefined, mono = true): Field => ({
    label,
    value: value === null || value === undefined ? null : String(value),
    mono,
  });
  const size = m?.modelSizeBytes;
  return [
    f('Path', report.path),
    f('Kind', report.kind === 'onnx-file' ? 'bare ONNX file (no MLmodel)' : 'MLflow model folder', false),
    f('MLmodel', m?.file ?? null),
    f('loader_module', m?.loaderModule),
    f('python_version', m?.pythonVersion),
    f('mlflow_version', m?.mlflowVersion),
    f('model_uuid', m?.modelUuid),
    f('run_id', m?.runId),
    f('utc_time_created', m?.utcTimeCreated),
    f('artifact_path', m?.artifactPath),
    f('databricks_runtime', m?.databricksRuntime),
    f('model_size_bytes', size === null || size === undefined ? null : `${size} (${formatBytes(size)})`),
    f('Files on disk', `${report.files.filter((e) => e.kind !== 'dir').length} files, ${formatBytes(report.totalBytes)}`, false),
  ];
}

const KNOWN_MLMODEL_KEYS = new Set([
  'artifact_path',
  'flavors',
  'model_uuid',
  'run_id',
  'utc_time_created',
  'mlflow_version',
  'signature',
  'saved_input_example_info',
  'databricks_runtime',
  'model_size_bytes',
  'metadata',
  'is_signature_from_type_hint',
]);

/** MLmodel keys the overview has no named row for, so nothing in the file is hidden from the user. */
export const extraMlmodelKeys = (mlmodel: MLmodelInfo): [string, unknown][] =>
  Object.entries(mlmodel.raw).filter(([key]) => !KNOWN_MLMODEL_KEYS.has(key));

/** The `data-app-state` signal E2E tests wait on. */
export function appStateOf(view: ModelView): 'ready' | 'loading' | 'error' {
  switch (view.status) {
    case 'loading':
      return 'loading';
    case 'error':
      return 'error';
    default:
      return 'ready';
  }
}

/** One line of advice per error code, under the host's own message (which already says what and where). */
export function errorHint(code: string): string | null {
  switch (code) {
    case 'E_NOT_FOUND':
      return 'Paths are resolved by the Preflight host: in browser mode that is the machine that ran `npm start`, which may not be the one running this browser.';
    case 'E_NOT_A_MODEL':
      return 'An MLflow model folder holds a file named MLmodel (no extension); for a run artifact it is usually …/artifacts/<model name>.';
    case 'E_INVALID_FILE':
      return 'Fix the file named above (or log the model again with MLflow) and reopen it.';
    case 'E_UNREADABLE':
      return 'Check the file permissions and that the disk or network share is reachable.';
    case 'E_OUTSIDE_FOLDER':
      return 'Copy the linked file into the model folder: Azure ML uploads only what is inside it.';
    case 'E_ENVIRONMENT':
      return 'Something this machine or host lacks; the message says what.';
    case 'E_INVALID_INPUT':
      return 'The request was rejected before it reached the model service; this is probably a bug in Preflight.';
    case 'E_INTERNAL':
      return 'Unexpected failure inside Preflight; the host log has the details.';
    default:
      return null;
  }
}
