import { modelIdentityOf } from '@shared/compare/model-identity';
import type { ModelReport } from '@shared/mlflow/model-report';
import { AzurePanel } from '../features/azure/components/AzurePanel';
import { BatchPanel } from '../features/batch/components/BatchPanel';
import type { RenderWorkTab } from '../features/models/components/ModelView';
import { PackagePanel } from '../features/package/components/PackagePanel';
import { PlaygroundView } from '../features/playground/components/PlaygroundView';
import { PlaygroundRunner } from './playground-runner';

/** Column names from the signature, for the editor's completion (tensor names for tensor signatures). */
function signatureNames(report: ModelReport): string[] {
  const inputs = report.signature?.inputs;
  if (!inputs) return [];
  return inputs.kind === 'columns' ? inputs.columns.map((c) => c.name).filter((n): n is string => typeof n === 'string') : inputs.tensors.map((t) => t.name).filter((n): n is string => typeof n === 'string');
}

/**
 * The model tabs other features fill, composed here so features never import each other: the playground with
 * the local runner (engine, interpreter setting, local server) under it, and batch scoring.
 */
export const renderWorkTab: RenderWorkTab = (tab, report, showTab) => {
  // Register & deploy needs an MLflow folder; a bare .onnx file still gets the workspace view.
  if (tab === 'azure') return <AzurePanel model={report.kind === 'mlflow-folder' ? { path: report.path, name: report.name, findings: report.findings } : null} onOpenPackage={() => showTab('package')} />;
  if (tab === 'batch') return <BatchPanel modelPath={report.path} />;
  if (tab === 'package') return <PackagePanel modelPath={report.path} />;
  return (
    <div className="stack">
      <PlaygroundView modelPath={report.path} columns={signatureNames(report)} identity={modelIdentityOf(report)} />
      <div className="playground-runner">
        <PlaygroundRunner modelPath={report.path} />
      </div>
    </div>
  );
};
