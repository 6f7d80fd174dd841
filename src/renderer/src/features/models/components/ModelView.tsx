import type { ModelReport } from '@shared/mlflow/model-report';
import { Badge } from '../../../components/ui/Badge';
import { TabPanel, Tabs } from '../../../components/ui/Tabs';
import type { ReactNode } from 'react';
import { formatBytes } from '../../../lib/format';
import { useModels } from '../hooks/models-store-context';
import type { ModelTab } from '../store/models-store';
import { findingCounts, modelTabs } from '../store/selectors';
import { EnvironmentTab } from './EnvironmentTab';
import { ExamplesTab } from './ExamplesTab';
import { FilesTab } from './FilesTab';
import { FindingsTab } from './FindingsTab';
import { OnnxTab } from './OnnxTab';
import { OverviewTab } from './OverviewTab';
import { ProblemsTab } from './ProblemsTab';
import { SignatureTab } from './SignatureTab';

/** Tabs whose content other features provide; the app shell composes them (features do not import each other). */
export type WorkTab = Extract<ModelTab, 'playground' | 'batch' | 'package' | 'azure'>;
/** `showTab` lets a work tab lead to another tab of the model (Azure's private-link notice → Package). */
export type RenderWorkTab = (tab: WorkTab, report: ModelReport, showTab: (tab: ModelTab) => void) => ReactNode;

function TabContent({ tab, report, setTab, renderWorkTab }: { tab: ModelTab; report: ModelReport; setTab(t: ModelTab): void; renderWorkTab: RenderWorkTab }) {
  switch (tab) {
    case 'overview':
      return <OverviewTab report={report} onShowFindings={() => setTab('findings')} />;
    case 'signature':
      return <SignatureTab report={report} />;
    case 'examples':
      return <ExamplesTab report={report} />;
    case 'playground':
    case 'batch':
    case 'package':
    case 'azure':
      return renderWorkTab(tab, report, setTab);
    case 'environment':
      return <EnvironmentTab report={report} />;
    case 'onnx':
      return <OnnxTab report={report} />;
    case 'files':
      return <FilesTab report={report} />;
    case 'findings':
      return <FindingsTab report={report} onOpenPackage={() => setTab('package')} />;
    case 'problems':
      return <ProblemsTab report={report} />;
  }
}

/** One inspected model: header with the essentials, then a tab per part of the report. */
export function ModelView({ report, renderWorkTab }: { report: ModelReport; renderWorkTab: RenderWorkTab }) {
  const tab = useModels((s) => s.tab);
  const setTab = useModels((s) => s.setTab);
  const counts = findingCounts(report.findings);
  const flavors = report.mlmodel?.flavors.map((f) => f.name) ?? [];
  return (
    <article className="model" data-testid="model-view" data-model-path={report.path}>
      <header className="model-head">
        <div className="model-title">
          <h2 data-testid="model-name">{report.name}</h2>
          <span className="model-path mono" title={report.path}>
            {report.path}
          </span>
        </div>
        <div className="model-meta">
          {report.kind === 'onnx-file' ? <Badge tone="accent">ONNX file</Badge> : null}
          {flavors.map((f) => (
            <Badge key={f} tone="accent">
              {f}
            </Badge>
          ))}
          {report.mlmodel?.mlflowVersion ? <Badge tone="muted">mlflow {report.mlmodel.mlflowVersion}</Badge> : null}
          <Badge tone="muted">{formatBytes(report.totalBytes)}</Badge>
          <span className="head-sep" />
          {counts.error > 0 ? <Badge tone="error">{counts.error} error{counts.error === 1 ? '' : 's'}</Badge> : null}
          {counts.warning > 0 ? <Badge tone="warning">{counts.warning} warning{counts.warning === 1 ? '' : 's'}</Badge> : null}
          {counts.info > 0 ? <Badge tone="info">{counts.info} note{counts.info === 1 ? '' : 's'}</Badge> : null}
          {report.findings.length === 0 && report.problems.length === 0 ? <Badge tone="ok">ready</Badge> : null}
        </div>
      </header>
      <Tabs label="Model report" tabs={modelTabs(report)} active={tab} onChange={setTab} />
      <TabPanel id={tab}>
        <TabContent tab={tab} report={report} setTab={setTab} renderWorkTab={renderWorkTab} />
      </TabPanel>
    </article>
  );
}
