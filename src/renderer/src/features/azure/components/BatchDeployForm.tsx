import { useAzure } from '../hooks/azure-store-context';
import { batchFormProblems } from '../store/batch-selectors';
import { blockingFindings, findingsCleared } from '../store/selectors';
import type { DeployModel } from './DeployWizard';
import { EndpointChoice } from './EndpointChoice';
import { ReadinessGate } from './ReadinessGate';

const STEPS = [
  { id: 'findings', label: '1 · Readiness' },
  { id: 'target', label: '2 · Batch endpoint' },
] as const;

/** Create (or add to) a batch endpoint with an MLflow model deployment of the open model: findings first, then the target. */
export function BatchDeployForm({ model }: { model: DeployModel }) {
  const step = useAzure((s) => s.batchFormStep);
  const setStep = useAzure((s) => s.setBatchFormStep);
  const confirmation = useAzure((s) => s.batchConfirmation);
  const setConfirmation = useAzure((s) => s.setBatchConfirmation);
  const form = useAzure((s) => s.batchForm);
  const setForm = useAzure((s) => s.setBatchForm);
  const endpoints = useAzure((s) => s.batchEndpoints);
  const close = useAzure((s) => s.closeBatchForm);
  const deploy = useAzure((s) => s.batchDeploy);
  const cleared = findingsCleared(model.findings, confirmation);
  const ignore = blockingFindings(model.findings).length > 0 && cleared;
  const problems = batchFormProblems(form, endpoints);
  const problem = (field: keyof typeof problems) =>
    problems[field] ? (
      <span className="azure-problem" data-testid={`azure-batch-problem-${field}`}>
        {problems[field]}
      </span>
    ) : null;
  return (
    <section className="azure-card azure-wizard" data-testid="azure-batch-form" data-step={step}>
      <header className="azure-wizard-head">
        <h4>
          Batch deployment of <span className="mono">{model.name}</span>
        </h4>
        <ol className="azure-steps">
          {STEPS.map((s, i) => (
            <li key={s.id}>
              <button type="button" className={`azure-step${s.id === step ? ' azure-step-active' : i === 0 && step === 'target' ? ' azure-step-done' : ''}`} disabled={i > 0 && !cleared} onClick={() => setStep(s.id)}>
                {s.label}
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="btn btn-small azure-push-right" onClick={close} data-testid="azure-batch-form-close">
          Close
        </button>
      </header>
      {step === 'findings' ? (
        <ReadinessGate findings={model.findings} confirmation={confirmation} onConfirmation={setConfirmation} onNext={() => setStep('target')} what="Azure ML's MLflow batch deployment" testId="azure-wizard-findings" />
      ) : (
        <div className="azure-form" data-testid="azure-batch-target">
          <div className="azure-row">
            <EndpointChoice kind="Batch endpoint" mode={form.endpointMode} name={form.endpoint} existing={endpoints.map((e) => ({ name: e.name, label: e.name }))} onChange={setForm} testId="azure-batch-endpoint" />
            <label className="azure-field azure-grow">
              <span className="azure-label">Deployment name</span>
              <input className="input mono" value={form.deployment} onChange={(e) => setForm({ deployment: e.target.value })} data-testid="azure-batch-deployment" spellCheck={false} />
            </label>
          </div>
          {problem('endpoint')}
          {problem('deployment')}
          <div className="azure-row">
            <label className="azure-field azure-grow">
              <span className="azure-label">Compute cluster (created when missing, scales to 0)</span>
              <input className="input mono" value={form.compute} onChange={(e) => setForm({ compute: e.target.value })} data-testid="azure-batch-compute" spellCheck={false} />
            </label>
            <label className="azure-field azure-grow">
              <span className="azure-label">VM size of a new cluster</span>
              <input className="input mono" value={form.instanceType} onChange={(e) => setForm({ instanceType: e.target.value })} data-testid="azure-batch-instance-type" spellCheck={false} />
            </label>
            <label className="azure-field">
              <span className="azure-label">Instances</span>
              <input className="input" type="number" min={1} max={100} value={form.instanceCount} onChange={(e) => setForm({ instanceCount: Number(e.target.value) })} data-testid="azure-batch-instance-count" />
            </label>
            <label className="azure-field">
              <span className="azure-label">Files per mini-batch</span>
              <input className="input" type="number" min={1} max={100000} value={form.miniBatchSize} onChange={(e) => setForm({ miniBatchSize: Number(e.target.value) })} data-testid="azure-batch-mini-batch" />
            </label>
          </div>
          {problem('compute')}
          {problem('instanceType')}
          {problem('instanceCount')}
          {problem('miniBatchSize')}
          <p className="azure-note">
            Preflight registers the folder as an MLflow model version (nothing is uploaded when the same content was before), creates the cluster when missing, the batch endpoint (Entra token auth)
            and a deployment without scoring script or environment — Azure builds both from the MLmodel — and makes it the endpoint's default. Nodes are billed only while jobs run.
            {ignore ? ' The error findings are overridden, as you confirmed.' : ''}
          </p>
          <div className="azure-actions">
            <button type="button" className="btn btn-primary" disabled={Object.keys(problems).length > 0} onClick={() => void deploy(model.path, ignore)} data-testid="azure-batch-create">
              Create batch deployment
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
