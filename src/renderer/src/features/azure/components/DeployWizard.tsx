import type { Finding } from '@shared/mlflow/model-report';
import { useAzure } from '../hooks/azure-store-context';
import type { WizardStep } from '../store/azure-store';
import type { AzureWorkspace } from '../store/azure-types';
import { blockingFindings, findingsCleared, wizardProblems } from '../store/selectors';
import { EndpointChoice } from './EndpointChoice';
import { ReadinessGate } from './ReadinessGate';

/** The model the wizard deploys (the open one; the shell passes it in). */
export interface DeployModel {
  path: string;
  name: string;
  findings: readonly Finding[];
}

/** Managed online endpoint VM sizes a no-code MLflow model commonly uses; any other size can be typed. */
const INSTANCE_TYPES = ['Standard_DS1_v2', 'Standard_DS2_v2', 'Standard_DS3_v2', 'Standard_DS4_v2', 'Standard_F4s_v2', 'Standard_E4s_v3', 'Standard_NC6s_v3'];

const STEPS: { id: WizardStep; label: string }[] = [
  { id: 'findings', label: '1 · Readiness' },
  { id: 'target', label: '2 · Target' },
  { id: 'review', label: '3 · Review' },
];

function FindingsStep({ model }: { model: DeployModel }) {
  const confirmation = useAzure((s) => s.confirmation);
  const setConfirmation = useAzure((s) => s.setConfirmation);
  const setStep = useAzure((s) => s.setWizardStep);
  return <ReadinessGate findings={model.findings} confirmation={confirmation} onConfirmation={setConfirmation} onNext={() => setStep('target')} what="Azure ML's no-code deployment" testId="azure-wizard-findings" />;
}

function TargetStep({ workspace, onOpenPackage }: { workspace: AzureWorkspace | null; onOpenPackage(): void }) {
  const form = useAzure((s) => s.wizard);
  const setWizard = useAzure((s) => s.setWizard);
  const setStep = useAzure((s) => s.setWizardStep);
  const endpoints = useAzure((s) => s.endpoints);
  const problems = wizardProblems(form, endpoints, workspace);
  const existing = endpoints.find((e) => e.name === form.endpoint.trim());
  const problem = (field: keyof typeof problems) =>
    problems[field] ? (
      <span className="azure-problem" data-testid={`azure-problem-${field}`}>
        {problems[field]}
      </span>
    ) : null;
  return (
    <div className="azure-form" data-testid="azure-wizard-target">
      <div className="azure-field">
        <span className="azure-label">Workspace (choose in the tree on the left)</span>
        <span className="mono">{workspace ? `${workspace.name} · ${workspace.resourceGroup} · ${workspace.location}` : '—'}</span>
        {problem('workspace')}
        {workspace?.privateLink ? (
          <button type="button" className="btn btn-small" onClick={onOpenPackage} data-testid="azure-open-package">
            Open the Package tab
          </button>
        ) : null}
      </div>
      <div className="azure-row">
        <EndpointChoice
          kind="Endpoint"
          mode={form.endpointMode}
          name={form.endpoint}
          existing={endpoints.map((e) => ({ name: e.name, label: `${e.name} (${e.authMode === 'AADToken' ? 'Entra' : 'key'})` }))}
          onChange={setWizard}
          testId="azure-wizard-endpoint"
        />
        <label className="azure-field">
          <span className="azure-label">Authentication</span>
          <select className="input" value={form.authMode} onChange={(e) => setWizard({ authMode: e.target.value as 'Key' | 'AADToken' })} data-testid="azure-wizard-auth">
            <option value="Key">Key</option>
            <option value="AADToken">Entra token</option>
          </select>
        </label>
      </div>
      {problem('endpoint')}
      {existing && existing.authMode !== form.authMode ? <span className="azure-warn">Endpoint {existing.name} uses {existing.authMode === 'AADToken' ? 'Entra' : 'key'} authentication; deploying changes it for every caller.</span> : null}
      <div className="azure-row">
        <label className="azure-field azure-grow">
          <span className="azure-label">Deployment name</span>
          <input className="input mono" value={form.deployment} onChange={(e) => setWizard({ deployment: e.target.value })} data-testid="azure-wizard-deployment" spellCheck={false} />
        </label>
        <label className="azure-field azure-grow">
          <span className="azure-label">Instance type</span>
          <input className="input mono" list="azure-instance-types" value={form.instanceType} onChange={(e) => setWizard({ instanceType: e.target.value })} data-testid="azure-wizard-instance-type" spellCheck={false} />
          <datalist id="azure-instance-types">
            {INSTANCE_TYPES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label className="azure-field">
          <span className="azure-label">Instances</span>
          <input className="input" type="number" min={1} max={100} value={form.instanceCount} onChange={(e) => setWizard({ instanceCount: Number(e.target.value) })} data-testid="azure-wizard-instance-count" />
        </label>
      </div>
      {problem('deployment')}
      {problem('instanceType')}
      {problem('instanceCount')}
      <div className="azure-actions">
        <button type="button" className="btn btn-primary" disabled={Object.keys(problems).length > 0} onClick={() => setStep('review')} data-testid="azure-wizard-next">
          Next
        </button>
      </div>
    </div>
  );
}

function ReviewStep({ model, workspace }: { model: DeployModel; workspace: AzureWorkspace | null }) {
  const form = useAzure((s) => s.wizard);
  const confirmation = useAzure((s) => s.confirmation);
  const deploy = useAzure((s) => s.deploy);
  const ignore = blockingFindings(model.findings).length > 0 && findingsCleared(model.findings, confirmation);
  return (
    <div data-testid="azure-wizard-review">
      <dl className="azure-review">
        <dt>Model</dt>
        <dd className="mono">{model.path}</dd>
        <dt>Workspace</dt>
        <dd>{workspace?.name}</dd>
        <dt>Endpoint</dt>
        <dd>
          {form.endpoint.trim()} ({form.endpointMode === 'new' ? 'new' : 'existing'}, {form.authMode === 'Key' ? 'key' : 'Entra token'} auth)
        </dd>
        <dt>Deployment</dt>
        <dd>
          {form.deployment.trim()} · {form.instanceCount} × {form.instanceType.trim()} · gets 100 % of the traffic
        </dd>
      </dl>
      <p className="azure-note">
        Preflight uploads the folder to the workspace's default datastore (nothing when the same content was uploaded before), registers it as an MLflow model version, creates or updates the endpoint
        and the no-code deployment, then sets the traffic. Azure bills the instances while the deployment exists.
        {ignore ? ' The error findings are overridden, as you confirmed.' : ''}
      </p>
      <div className="azure-actions">
        <button type="button" className="btn btn-primary" onClick={() => void deploy(model.path, ignore)} data-testid="azure-wizard-deploy">
          Register &amp; deploy
        </button>
      </div>
    </div>
  );
}

/** Register & deploy the open model: readiness findings first, then the target, then a review. */
export function DeployWizard({ model, workspace, onOpenPackage }: { model: DeployModel; workspace: AzureWorkspace | null; onOpenPackage(): void }) {
  const step = useAzure((s) => s.wizardStep);
  const setStep = useAzure((s) => s.setWizardStep);
  const close = useAzure((s) => s.closeWizard);
  const confirmation = useAzure((s) => s.confirmation);
  const cleared = findingsCleared(model.findings, confirmation);
  const at = STEPS.findIndex((s) => s.id === step);
  return (
    <section className="azure-card azure-wizard" data-testid="azure-wizard" data-step={step}>
      <header className="azure-wizard-head">
        <h4>
          Register &amp; deploy <span className="mono">{model.name}</span>
        </h4>
        <ol className="azure-steps">
          {STEPS.map((s, i) => (
            <li key={s.id}>
              <button type="button" className={`azure-step${s.id === step ? ' azure-step-active' : i < at ? ' azure-step-done' : ''}`} disabled={i > at || (i > 0 && !cleared)} onClick={() => setStep(s.id)}>
                {s.label}
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="btn btn-small azure-push-right" onClick={close} data-testid="azure-wizard-close">
          Close
        </button>
      </header>
      {step === 'findings' ? <FindingsStep model={model} /> : step === 'target' ? <TargetStep workspace={workspace} onOpenPackage={onOpenPackage} /> : <ReviewStep model={model} workspace={workspace} />}
    </section>
  );
}
