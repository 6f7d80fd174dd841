import { isAllowedExternalUrl, referenceLinks } from '@shared/external-links';
import type { Finding, ModelReport } from '@shared/mlflow/model-report';
import { readinessVerdict } from '@shared/mlflow/report-verdict';
import { Badge } from '../../../components/ui/Badge';
import { EmptyState } from '../../../components/ui/EmptyState';
import { RichText } from '../../../components/ui/RichText';
import { sortFindings } from '../store/selectors';
import { ReportExport } from './ReportExport';

/** Findings whose fix is the offline package: they get a button that opens the Package tab. */
const PACKAGE_FINDINGS = new Set(['needs-private-link-packaging']);

function FindingItem({ finding, onOpenPackage }: { finding: Finding; onOpenPackage?: () => void }) {
  return (
    <li className={`finding finding-${finding.severity}`} data-testid={`finding-${finding.code}`} data-severity={finding.severity}>
      <div className="finding-head">
        <Badge tone={finding.severity}>{finding.severity}</Badge>
        <span className="finding-title">{finding.title}</span>
        <code className="finding-code">{finding.code}</code>
      </div>
      <dl className="finding-body">
        <dt>Evidence</dt>
        <dd>
          <RichText text={finding.evidence} />
        </dd>
        <dt>Fix</dt>
        <dd>
          <RichText text={finding.fix} />
          {onOpenPackage && PACKAGE_FINDINGS.has(finding.code) ? (
            <div>
              <button type="button" className="btn" data-testid="finding-open-package" onClick={onOpenPackage}>
                Open the Package tab
              </button>
            </div>
          ) : null}
        </dd>
        {finding.file ? (
          <>
            <dt>File</dt>
            <dd className="mono">{finding.file}</dd>
          </>
        ) : null}
        {finding.reference ? (
          <>
            <dt>Source</dt>
            <dd className="finding-sources">
              {referenceLinks(finding.reference).map((link) =>
                isAllowedExternalUrl(link) ? (
                  // Electron hands allowlisted https links to the user's browser (setWindowOpenHandler).
                  <a key={link} href={link} target="_blank" rel="noopener noreferrer" className="mono" data-testid="finding-source">
                    {link}
                  </a>
                ) : (
                  <span key={link} className="mono">
                    {link}
                  </span>
                ),
              )}
            </dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}

/** Azure ML no-code deployment readiness: what will go wrong, the evidence, and the fix. Errors first. */
export function FindingsTab({ report, onOpenPackage }: { report: ModelReport; onOpenPackage?: () => void }) {
  const verdict = readinessVerdict(report);
  return (
    <>
      <div className={`verdict ${verdict.ready ? 'verdict-ready' : 'verdict-blocked'}`} data-testid="findings-verdict" data-ready={verdict.ready}>
        <span>{verdict.headline}</span>
        <ReportExport report={report} />
      </div>
      {report.findings.length === 0 ? (
        <EmptyState title="No findings" testId="findings-list">
          None of Preflight's readiness rules fired for this model.
        </EmptyState>
      ) : (
        <ul className="findings" data-testid="findings-list">
          {sortFindings(report.findings).map((f, i) => (
            <FindingItem key={`${f.code}:${i}`} finding={f} onOpenPackage={onOpenPackage} />
          ))}
        </ul>
      )}
    </>
  );
}
