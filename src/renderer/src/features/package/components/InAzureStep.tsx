import { useEffect } from 'react';
import type { AzureStep } from '@shared/packaging/azure-step';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { formatBytes } from '../../../lib/format';
import { usePackage } from '../hooks/package-store-context';

const STEPS: { id: AzureStep; label: string }[] = [
  { id: 'verify', label: 'Verify the package' },
  { id: 'register-model', label: 'Register the model' },
  { id: 'environment', label: 'Register the offline environment' },
  { id: 'package', label: "Azure's model package (image build)" },
  { id: 'deploy', label: 'Deploy the packaged environment' },
];

/**
 * "In Azure" (issue 9): from a verified package, register the model and the package's offline build context,
 * run Azure's model-package operation with its build log, and deploy the packaged environment. Sign-in and
 * the workspace are the Azure service's; when they are missing, the step says how to get them.
 */
export function InAzureStep() {
  const a = usePackage((s) => s.inAzure);
  const setField = usePackage((s) => s.setInAzureField);
  const refresh = usePackage((s) => s.refreshAzureStatus);
  const run = usePackage((s) => s.runInAzure);
  const cancel = usePackage((s) => s.cancelInAzure);
  useEffect(() => void refresh(), [refresh]);
  const running = a.operationId !== null;
  const ws = a.status?.defaults;
  const workspace = ws?.workspace ? `${ws.workspace} (resource group ${ws.resourceGroup ?? '?'})` : null;
  const ready = a.status?.signedIn === true && workspace !== null;
  const last = a.progress.at(-1) ?? null;
  const reached = new Set(a.progress.map((p) => p.step));
  const stepState = (id: AzureStep): string => {
    if (a.result) return id === 'deploy' && !a.result.deployment ? 'pending' : 'done';
    if (!reached.has(id)) return 'pending';
    const current = last?.step === id;
    if (current && a.error) return 'failed';
    return current && running ? 'active' : current ? 'failed' : 'done';
  };
  const buildLog = a.result?.buildLog ?? (a.error?.details as { buildLog?: string } | undefined)?.buildLog ?? '';

  return (
    <section className="package-azure" data-testid="package-azure" aria-label="In Azure">
      <h3 className="package-heading">In Azure</h3>
      <p className="package-note">
        Registers the model, registers the package&apos;s offline build context (Dockerfile, pinned requirements, wheels) as an environment, runs Azure&apos;s
        model-package operation (preview, model mode Download) and deploys the packaged environment — nothing in the image build needs the internet, so it
        works in a private-link workspace. Your computer must reach the workspace and its storage (VPN or a machine in the network).
      </p>
      <p data-testid="package-azure-signin" data-signed-in={a.status?.signedIn === true}>
        {a.statusError ? (
          <>Azure sign-in state unknown: {a.statusError.message}</>
        ) : a.status === null ? (
          'Checking the Azure sign-in…'
        ) : !a.status.signedIn ? (
          <>
            Not signed in to Azure. Sign in on the Azure tab, then press Refresh.
          </>
        ) : workspace === null ? (
          <>
            Signed in as {a.status.account ?? 'unknown'}, but no workspace is chosen: pick one on the Azure tab, then press Refresh.
          </>
        ) : (
          <>
            Signed in as {a.status.account ?? 'unknown'} · workspace <strong>{workspace}</strong>
          </>
        )}{' '}
        <button type="button" className="btn" data-testid="package-azure-refresh" onClick={() => void refresh()} disabled={running}>
          Refresh
        </button>
      </p>
      <div className="package-row">
        <label className="package-field">
          <span className="package-label">Package file (or model folder: packaged first with the wheel folder above)</span>
          <input className="input" data-testid="package-azure-source" value={a.source} onChange={(e) => setField('source', e.target.value)} disabled={running} spellCheck={false} />
        </label>
        <label className="package-field">
          <span className="package-label">Online endpoint (empty: package only)</span>
          <input className="input" data-testid="package-azure-endpoint" value={a.endpoint} onChange={(e) => setField('endpoint', e.target.value)} disabled={running} spellCheck={false} />
        </label>
        <label className="package-field">
          <span className="package-label">Deployment</span>
          <input className="input" data-testid="package-azure-deployment" value={a.deployment} onChange={(e) => setField('deployment', e.target.value)} disabled={running} spellCheck={false} />
        </label>
      </div>
      <div className="package-actions">
        <button type="button" className="btn" data-testid="package-azure-run" disabled={!ready || running || a.source.trim() === ''} onClick={() => void run()}>
          Run in Azure
        </button>
        <button type="button" className="btn" data-testid="package-azure-cancel" disabled={!running} onClick={() => void cancel()}>
          Stop waiting
        </button>
      </div>
      <ol className="package-steps" data-testid="package-azure-steps">
        {STEPS.map((s) => (
          <li key={s.id} data-azure-step={s.id} data-state={stepState(s.id)} className={`package-step package-step-${stepState(s.id)}`}>
            {s.label}
          </li>
        ))}
      </ol>
      {running && last ? (
        <p role="status" data-testid="package-azure-progress">
          {last.message}
          {last.bytesTotal ? ` · ${formatBytes(last.bytesDone ?? 0)} / ${formatBytes(last.bytesTotal)}` : ''}
        </p>
      ) : null}
      {a.error ? <ErrorPanel title="The In-Azure step stopped" error={a.error} /> : null}
      {a.result ? (
        <div className="package-summary" data-testid="package-azure-result">
          <p>
            Model <code>{a.result.model.name}:{a.result.model.version}</code> · offline environment{' '}
            <code>
              {a.result.baseEnvironment.name}:{a.result.baseEnvironment.version}
            </code>{' '}
            · packaged environment{' '}
            <code data-testid="package-azure-environment">
              {a.result.environment.name}:{a.result.environment.version}
            </code>{' '}
            (build {a.result.buildId ?? 'unknown'}, {a.result.buildState})
          </p>
          {a.result.deployment ? (
            <p data-testid="package-azure-deployment-result">
              Deployed to {a.result.deployment.endpoint}/{a.result.deployment.deployment} ({a.result.deployment.state}) · <code>{a.result.deployment.scoringUri}</code>
            </p>
          ) : (
            <p className="package-note">
              Not deployed. Use <code>environment: azureml:{a.result.environment.name}:{a.result.environment.version}</code> in a deployment, or name an endpoint above.
            </p>
          )}
        </div>
      ) : null}
      {buildLog ? (
        <details className="package-log-details" data-testid="package-azure-log" open={!!a.error}>
          <summary>Image build log</summary>
          <pre className="package-log">{buildLog}</pre>
        </details>
      ) : null}
    </section>
  );
}
