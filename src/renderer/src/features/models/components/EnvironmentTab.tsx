import { useMemo } from 'react';
import type { Dependency, EnvFile, ModelReport } from '@shared/mlflow/model-report';
import { Badge, type BadgeTone } from '../../../components/ui/Badge';
import { EmptyState } from '../../../components/ui/EmptyState';
import { RichText } from '../../../components/ui/RichText';
import { Table, type Column } from '../../../components/ui/Table';
import { dependencyRows, installerLabel, needsNetworkSource, type DependencyRow } from '../store/selectors';

const sourceTitle: Record<Dependency['source'], string> = {
  index: 'Installed from the public package index',
  vcs: 'Cloned from a version-control URL at deploy time (needs network; private-link workspaces need packaging)',
  url: 'Downloaded from a URL at deploy time (needs network; private-link workspaces need packaging)',
  'local-path': 'A path on the machine that logged the model; it does not exist on Azure',
  'private-index': 'From a private package index; the deployment must be able to reach it',
  option: 'A pip option line, not a package',
};

const sourceTone = (source: Dependency['source']): BadgeTone =>
  needsNetworkSource(source) ? 'warning' : source === 'option' ? 'muted' : 'ok';

const depColumns: Column<DependencyRow>[] = [
  {
    key: 'name',
    header: 'name',
    mono: true,
    render: (d) => (
      <>
        {d.name}
        {d.conflict ? (
          <>
            {' '}
            <Badge tone="warning" title={d.conflict.message}>
              conflict
            </Badge>
          </>
        ) : null}
      </>
    ),
  },
  { key: 'spec', header: 'spec', mono: true, render: (d) => (d.spec === '' ? <span className="muted">any version</span> : d.spec) },
  { key: 'file', header: 'file', mono: true, render: (d) => (d.line === null ? d.file : `${d.file}:${d.line}`) },
  { key: 'installer', header: 'installer / channel', mono: true, render: installerLabel },
  {
    key: 'source',
    header: 'source',
    render: (d) => (
      <Badge tone={sourceTone(d.source)} title={sourceTitle[d.source]}>
        {d.source}
      </Badge>
    ),
  },
];

const fileColumns: Column<EnvFile>[] = [
  { key: 'file', header: 'file', mono: true, render: (f) => f.file },
  { key: 'kind', header: 'kind', render: (f) => f.kind },
  { key: 'python', header: 'python', mono: true, render: (f) => f.python ?? <span className="muted">—</span> },
  {
    key: 'error',
    header: 'status',
    render: (f) => (f.error ? <span className="text-error">{f.error}</span> : <Badge tone="ok">parsed</Badge>),
  },
];

/** conda.yaml, python_env.yaml, requirements.txt and constraints.txt as one dependency table, disagreements flagged. */
/** What the dependency table's filter finds a row by. */
const dependencyText = (d: DependencyRow): string => `${d.name} ${d.raw} ${d.file}`;

export function EnvironmentTab({ report }: { report: ModelReport }) {
  const env = report.environment;
  // one array per report: the table's filter lower-cases its rows' text once per array
  const rows = useMemo(() => dependencyRows(env), [env]);
  return (
    <div className="stack">
      {env.conflicts.length > 0 ? (
        <section className="card card-warning" data-testid="conflict-list">
          <h3>Files disagree ({env.conflicts.length})</h3>
          <ul className="conflicts">
            {env.conflicts.map((c) => (
              <li key={c.name}>
                {/* Hosts usually start the message with the package name; do not say it twice. */}
                {c.message.startsWith(c.name) ? null : <span className="mono strong">{c.name}: </span>}
                <RichText text={c.message} />
                <ul>
                  {c.entries.map((e, i) => (
                    <li key={i} className="mono">
                      {e.file}: {e.spec === '' ? '(any version)' : e.spec}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card">
        <h3>Dependencies</h3>
        {env.files.length === 0 ? (
          <EmptyState title="No environment files" tone="warning">
            No conda.yaml, python_env.yaml or requirements.txt: Azure ML cannot build an environment for this model.
          </EmptyState>
        ) : (
          <Table
            testId="dependency-table"
            columns={depColumns}
            rows={rows}
            rowKey={(d, i) => `${d.file}:${d.line ?? i}:${d.name}`}
            rowClassName={(d) => (d.conflict ? 'row-conflict' : undefined)}
            rowTestId={(d) => `dep-${d.name}`}
            rowText={dependencyText}
            empty="The environment files list no packages."
          />
        )}
      </section>
      <section className="card">
        <h3>Environment files</h3>
        <Table columns={fileColumns} rows={env.files} rowKey={(f) => f.file} empty="None found." />
      </section>
      {env.indexUrls.length > 0 ? (
        <section className="card">
          <h3>Package indexes</h3>
          <ul className="mono plain-list">
            {env.indexUrls.map((u) => (
              <li key={u}>{u}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
