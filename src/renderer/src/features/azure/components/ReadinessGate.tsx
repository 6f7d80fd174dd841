import type { Finding } from '@shared/mlflow/model-report';
import { Badge } from '../../../components/ui/Badge';
import { RichText } from '../../../components/ui/RichText';
import { OVERRIDE_PHRASE, blockingFindings, findingsCleared, unoverridableFindings } from '../store/selectors';

/**
 * The readiness findings of the open model before anything is sent to Azure (online and batch deployments
 * alike): error findings block Next until the user types the override phrase.
 */
export function ReadinessGate({ findings, confirmation, onConfirmation, onNext, what, testId }: { findings: readonly Finding[]; confirmation: string; onConfirmation(text: string): void; onNext(): void; what: string; testId: string }) {
  const blocking = blockingFindings(findings);
  const warnings = findings.filter((f) => f.severity === 'warning');
  const cleared = findingsCleared(findings, confirmation);
  const final = unoverridableFindings(findings);
  return (
    <div data-testid={testId}>
      {blocking.length === 0 ? (
        <p className="azure-ok">No error findings: {what} should accept this model.</p>
      ) : final.length > 0 ? (
        <p className="azure-warn" data-testid="azure-wizard-not-deployable">
          This folder has no MLmodel, so Azure's no-code deployment cannot load it whatever is typed here: save it as an MLflow model (below), then open that folder.
        </p>
      ) : (
        <p className="azure-warn">
          {blocking.length} error finding{blocking.length === 1 ? '' : 's'} would break the deployment. Fix {blocking.length === 1 ? 'it' : 'them'} first, or deploy anyway at your own risk.
        </p>
      )}
      <ul className="azure-findings">
        {[...blocking, ...warnings].map((f) => (
          <li key={`${f.code}-${f.title}`} data-severity={f.severity}>
            <Badge tone={f.severity === 'error' ? 'error' : 'warning'}>{f.severity}</Badge> <strong>
              <RichText text={f.title} />
            </strong>
            <div className="azure-muted">
              <RichText text={f.fix} />
            </div>
          </li>
        ))}
      </ul>
      {blocking.length > 0 && final.length === 0 ? (
        <label className="azure-field azure-confirm">
          <span className="azure-label">
            Type <strong>{OVERRIDE_PHRASE}</strong> to continue despite the errors
          </span>
          <input className="input" value={confirmation} onChange={(e) => onConfirmation(e.target.value)} data-testid="azure-wizard-confirm" autoComplete="off" />
        </label>
      ) : null}
      <div className="azure-actions">
        <button type="button" className="btn btn-primary" disabled={!cleared} onClick={onNext} data-testid="azure-wizard-next">
          Next
        </button>
      </div>
    </div>
  );
}
