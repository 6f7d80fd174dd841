import { describe, expect, it } from 'vitest';
import type { FileEntry } from '@shared/mlflow/model-report';
import {
  appStateOf,
  dependencyRows,
  errorHint,
  extraMlmodelKeys,
  fileRows,
  findingCounts,
  installerLabel,
  modelTabs,
  overviewFields,
  sortFindings,
  worstSeverity,
} from './selectors';
import { heartReport } from './test-support';

describe('findings', () => {
  const report = heartReport();

  it('counts findings per severity for the summary chips', () => {
    expect(findingCounts(report.findings)).toEqual({ error: 1, warning: 1, info: 1 });
  });

  it('lists errors first, then warnings, then notes, keeping the rules order within one severity', () => {
    const twoWarnings = [...report.findings, { ...report.findings[0], code: 'second-warning' }];
    expect(sortFindings(twoWarnings).map((f) => f.code)).toEqual(['no-mlflow-version', 'mlflow-unpinned', 'second-warning', 'python-version']);
  });

  it('colours by the worst severity present', () => {
    expect(worstSeverity(report.findings)).toBe('error');
    expect(worstSeverity(report.findings.filter((f) => f.severity === 'info'))).toBe('info');
    expect(worstSeverity([])).toBeNull();
  });
});

describe('dependencyRows', () => {
  it('flags every row of a package the files disagree about, and only those', () => {
    const rows = dependencyRows(heartReport().environment);
    const flagged = rows.filter((r) => r.conflict).map((r) => `${r.file}:${r.name}${r.spec}`);
    expect(flagged).toEqual(['conda.yaml:xgboost==1.3.3', 'requirements.txt:xgboost==1.4.2']);
    expect(rows.find((r) => r.name === 'mlflow')?.conflict).toBeNull();
  });

  it('matches conflicts across PEP 503 spellings', () => {
    const env = heartReport().environment;
    const rows = dependencyRows({
      ...env,
      dependencies: [{ ...env.dependencies[2], name: 'scikit-learn' }],
      conflicts: [{ name: 'Scikit_Learn', entries: [], message: 'differs' }],
    });
    expect(rows[0].conflict?.message).toBe('differs');
  });

  it('shows the conda channel next to the installer', () => {
    const [python, mlflow] = heartReport().environment.dependencies;
    expect(installerLabel(python)).toBe('conda (conda-forge)');
    expect(installerLabel(mlflow)).toBe('pip');
  });
});

describe('fileRows', () => {
  const files: FileEntry[] = [
    { path: 'model.onnx', kind: 'file', size: 2048, target: null, outside: false },
    { path: 'MLmodel', kind: 'file', size: 100, target: null, outside: false },
    { path: 'code', kind: 'dir', size: 30, target: null, outside: false },
    { path: 'code/b.py', kind: 'file', size: 20, target: null, outside: false },
    { path: 'code/a.py', kind: 'file', size: 10, target: null, outside: false },
    { path: 'weights', kind: 'symlink', size: 0, target: '/data/weights.bin', outside: true },
    // A capped walk can list a file whose folder entry is missing.
    { path: 'artifacts/tok/vocab.txt', kind: 'file', size: 7, target: null, outside: false },
  ];

  it('lays the flat list out as a tree, folders first, with depths', () => {
    expect(fileRows(files).map((r) => `${'  '.repeat(r.depth)}${r.name}`)).toEqual([
      'artifacts',
      '  tok',
      '    vocab.txt',
      'code',
      '  a.py',
      '  b.py',
      'MLmodel',
      'model.onnx',
      'weights',
    ]);
  });

  it('gives synthesised folders the size of their contents and keeps symlink targets', () => {
    const rows = fileRows(files);
    expect(rows.find((r) => r.path === 'artifacts')).toMatchObject({ kind: 'dir', size: 7, hasChildren: true });
    expect(rows.find((r) => r.path === 'code')?.size).toBe(30);
    expect(rows.find((r) => r.name === 'weights')).toMatchObject({ kind: 'symlink', target: '/data/weights.bin', outside: true });
  });

  it('hides the children of collapsed folders', () => {
    const names = fileRows(files, new Set(['code', 'artifacts'])).map((r) => r.name);
    expect(names).toEqual(['artifacts', 'code', 'MLmodel', 'model.onnx', 'weights']);
  });
});

describe('modelTabs', () => {
  it('counts what each tab holds and colours the ones needing attention', () => {
    const tabs = Object.fromEntries(modelTabs(heartReport()).map((t) => [t.id, t]));
    expect(tabs.signature).toMatchObject({ count: 3, tone: null });
    expect(tabs.environment).toMatchObject({ count: 5, tone: 'warning' });
    expect(tabs.findings).toMatchObject({ count: 3, tone: 'error' });
    expect(tabs.files.count).toBe(4);
    expect(tabs.problems).toMatchObject({ count: 0, tone: null });
  });

  it('marks a model without signature on the Signature tab', () => {
    const tabs = modelTabs(heartReport({ signature: null }));
    expect(tabs.find((t) => t.id === 'signature')).toMatchObject({ count: null, tone: 'warning' });
  });
});

describe('overview', () => {
  it('lists every MLmodel field, null ones included, with model_size_bytes made readable', () => {
    const report = heartReport();
    const fields = Object.fromEntries(overviewFields(report).map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({
      loader_module: 'mlflow.sklearn',
      python_version: '3.8.5',
      mlflow_version: null,
      run_id: '22874b7e-b069-43f0-b90c-1c57793c7854',
      artifact_path: 'pipeline',
      databricks_runtime: null,
      model_size_bytes: null,
    });
    const sized = heartReport({ mlmodel: { ...report.mlmodel!, modelSizeBytes: 2_097_152 } });
    expect(overviewFields(sized).find((f) => f.label === 'model_size_bytes')?.value).toBe('2097152 (2.00 MiB)');
  });

  it('surfaces MLmodel keys that have no named row', () => {
    expect(extraMlmodelKeys(heartReport().mlmodel!)).toEqual([['custom_key', 7]]);
  });
});

describe('appStateOf', () => {
  it('maps the view to the data-app-state signal', () => {
    expect(appStateOf({ status: 'loading', path: '/m' })).toBe('loading');
    expect(appStateOf({ status: 'error', path: '/m', error: { code: 'E_NOT_FOUND', message: 'x' } })).toBe('error');
    expect(appStateOf({ status: 'loaded', report: heartReport() })).toBe('ready');
    expect(appStateOf({ status: 'idle' })).toBe('ready');
  });
});

describe('errorHint', () => {
  it('adds advice for the codes model.inspect documents', () => {
    for (const code of ['E_NOT_FOUND', 'E_NOT_A_MODEL', 'E_INVALID_FILE', 'E_UNREADABLE']) expect(errorHint(code)).toBeTruthy();
    expect(errorHint('E_SOMETHING_NEW')).toBeNull();
  });
});
