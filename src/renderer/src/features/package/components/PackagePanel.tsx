import { useEffect, useState } from 'react';
import type { PackageBuildSummary, PackageVerifyReport } from '@shared/packaging/package-report';
import { DEFAULT_PLATFORM, DEFAULT_PYTHON } from '@shared/packaging/target-defaults';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { formatBytes } from '../../../lib/format';
import { usePackage } from '../hooks/package-store-context';
import { InAzureStep } from './InAzureStep';
import { STEPS, stepStates } from '../store/package-steps';
import '../package.css';

function Proof({ summary }: { summary: PackageBuildSummary }) {
  const proof = summary.proof;
  if (!proof) return null;
  const skipped = proof.requirements.filter((r) => r.status === 'excluded-by-marker');
  return (
    <div className="package-proof" data-testid="package-proof" data-ok={proof.ok}>
      <p className="package-heading">
        Offline resolution for CPython {proof.target.python} on <code>{proof.target.platform}</code>:{' '}
        {proof.ok ? 'every requirement has a wheel in the package' : `${proof.gaps.length} gap${proof.gaps.length === 1 ? '' : 's'}`}
      </p>
      {proof.gaps.length > 0 ? (
        <ul className="package-gaps" data-testid="package-gaps">
          {proof.gaps.map((g, i) => (
            <li key={i} data-kind={g.kind}>
              <strong>{g.requirement}</strong>: {g.message}
              <div className="package-chain">needed by {g.chain.join(' → ')}</div>
              {g.rejected.map((r) => (
                <div key={r.wheel} className="package-chain">
                  refused <code>{r.wheel}</code>: {r.reason}
                </div>
              ))}
            </li>
          ))}
        </ul>
      ) : null}
      {proof.packages.length > 0 ? (
        <table className="package-table" data-testid="package-lock">
          <thead>
            <tr>
              <th>Package</th>
              <th>Version</th>
              <th>Wheel</th>
              <th>Needed by</th>
            </tr>
          </thead>
          <tbody>
            {proof.packages.map((p) => (
              <tr key={p.project}>
                <td>{p.project}</td>
                <td>{p.version}</td>
                <td className="mono">{p.wheel}</td>
                <td>{p.requiredBy[0]?.join(' → ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {skipped.length > 0 ? (
        <p className="package-note">
          Not needed on the target (marker false): {skipped.map((r) => r.requirement).join(', ')}
        </p>
      ) : null}
      {proof.notes.map((n) => (
        <p key={n} className="package-note">
          {n}
        </p>
      ))}
    </div>
  );
}

function Verdict({ report }: { report: PackageVerifyReport }) {
  return (
    <div className={`package-verdict package-verdict-${report.verdict.toLowerCase()}`} data-testid="package-verdict" data-verdict={report.verdict}>
      <p className="package-heading">
        <span className="package-verdict-word">{report.verdict}</span> <code>{report.package}</code>
      </p>
      <ul>
        {report.checks.map((c) => (
          <li key={c.name} data-ok={c.ok}>
            {c.ok ? '✓' : '✗'} <strong>{c.name}</strong>: {c.detail}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The Package view (issue 9): build an offline package for a private-link workspace — steps, progress,
 * Cancel — then verify it (PASS/FAIL). "Verify a package" checks any package file, e.g. one from a colleague.
 */
export function PackagePanel({ modelPath }: { modelPath: string }) {
  const form = usePackage((s) => s.form);
  const operationId = usePackage((s) => s.operationId);
  const progress = usePackage((s) => s.progress);
  const summary = usePackage((s) => s.summary);
  const verifying = usePackage((s) => s.verifying);
  const verify = usePackage((s) => s.verify);
  const error = usePackage((s) => s.error);
  const setField = usePackage((s) => s.setField);
  const selectModel = usePackage((s) => s.selectModel);
  const build = usePackage((s) => s.build);
  const cancel = usePackage((s) => s.cancel);
  const verifyPackage = usePackage((s) => s.verifyPackage);
  const openPackage = usePackage((s) => s.openPackage);
  // The file dialog is the same host dialog port as the folder one (app.info canPickFolder: dialogs.available).
  const canBrowse = usePackage((s) => s.canBrowse);
  const [verifyPath, setVerifyPath] = useState('');
  useEffect(() => selectModel(modelPath), [selectModel, modelPath]);
  const running = operationId !== null;
  const states = stepStates({ operationId, progress, summary, verifying, verify });
  const fraction = progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : 0;

  return (
    <section className="card package-panel" data-testid="package-panel" aria-label="Offline package">
      <h3>Offline package</h3>
      <p>
        Packages the model for a workspace without public network access: every dependency Azure's no-code build would install is resolved here,
        against wheels you provide, and shipped inside the archive with the deploy YAML. Nothing in it needs the internet.
      </p>
      <ol className="package-steps" data-testid="package-steps">
        {STEPS.map((s) => (
          <li key={s.id} data-step={s.id} data-state={states[s.id]} className={`package-step package-step-${states[s.id]}`}>
            {s.label}
          </li>
        ))}
      </ol>
      <div className="package-form">
        <label className="package-field">
          {/* The hint spells the target as the Python and Platform fields below hold it, and follows them as they change. */}
          <span className="package-label" data-testid="package-wheels-hint">
            Wheel folder (e.g. filled with{' '}
            <code>
              pip download -r requirements.txt --only-binary=:all: --python-version {form.python.trim() || DEFAULT_PYTHON} --platform {form.platform.trim() || DEFAULT_PLATFORM} -d{' '}
              {form.wheels.trim() || 'wheels'}
            </code>
            )
          </span>
          <input className="input" data-testid="package-wheels" value={form.wheels} onChange={(e) => setField('wheels', e.target.value)} disabled={running} spellCheck={false} />
        </label>
        <label className="package-check">
          <input type="checkbox" data-testid="package-download" checked={form.download} onChange={(e) => setField('download', e.target.checked)} disabled={running} /> Download what the folder lacks with
          this computer&apos;s pip, for the target Python and platform (needs pip and network)
        </label>
        <label className="package-field">
          <span className="package-label">Package file to write (.tar.gz or .zip)</span>
          <input className="input" data-testid="package-out" value={form.out} onChange={(e) => setField('out', e.target.value)} disabled={running} spellCheck={false} />
        </label>
        <div className="package-row">
          <label className="package-field">
            <span className="package-label">Python</span>
            <input className="input" data-testid="package-python" value={form.python} onChange={(e) => setField('python', e.target.value)} disabled={running} />
          </label>
          <label className="package-field">
            <span className="package-label">Platform</span>
            <input className="input" data-testid="package-platform" value={form.platform} onChange={(e) => setField('platform', e.target.value)} disabled={running} />
          </label>
          <label className="package-field">
            <span className="package-label">Deployment</span>
            <select className="input" data-testid="package-deployment" value={form.deployment} onChange={(e) => setField('deployment', e.target.value as 'online' | 'batch')} disabled={running}>
              <option value="online">online endpoint</option>
              <option value="batch">batch endpoint</option>
            </select>
          </label>
          <label className="package-field">
            <span className="package-label">Format</span>
            <select className="input" data-testid="package-format" value={form.format} onChange={(e) => setField('format', e.target.value as 'tar.gz' | 'zip')} disabled={running}>
              <option value="tar.gz">.tar.gz</option>
              <option value="zip">.zip</option>
            </select>
          </label>
        </div>
      </div>
      <div className="package-actions">
        <button type="button" className="btn" data-testid="package-build" disabled={running || form.out.trim() === ''} onClick={() => void build()}>
          Build package
        </button>
        <button type="button" className="btn" data-testid="package-cancel" disabled={!running} onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
      {running ? (
        <div className="package-progress" data-testid="package-progress">
          <progress max={1} value={fraction} />
          <span>
            {progress?.step === 'write' ? `${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}${progress.file ? ` · ${progress.file}` : ''}` : `${progress?.step ?? 'inspect'}…`}
          </span>
        </div>
      ) : null}
      {error ? <ErrorPanel title="The package could not be built or verified" error={error} /> : null}
      {summary ? (
        <div className="package-summary" data-testid="package-summary" data-status={summary.status}>
          <p>
            {summary.status === 'succeeded'
              ? `Wrote ${summary.out} (${summary.format}, ${summary.files} files, ${formatBytes(summary.bytes)}) in ${(summary.ms / 1000).toFixed(1)} s.`
              : summary.error}
          </p>
          <Proof summary={summary} />
        </div>
      ) : null}
      {verify ? <Verdict report={verify} /> : verifying ? <p role="status">Verifying…</p> : null}
      <details className="package-open" data-testid="package-open">
        <summary>Open package (verify a package file)</summary>
        <div className="package-row">
          {canBrowse ? (
            <button type="button" className="btn" data-testid="package-open-browse" disabled={verifying} onClick={() => void openPackage().then((p) => p && setVerifyPath(p))}>
              Open package…
            </button>
          ) : null}
          <input className="input" data-testid="package-verify-path" placeholder="/path/to/package.tar.gz" value={verifyPath} onChange={(e) => setVerifyPath(e.target.value)} spellCheck={false} />
          <button type="button" className="btn" data-testid="package-verify" disabled={verifying || verifyPath.trim() === ''} onClick={() => void verifyPackage(verifyPath)}>
            Verify
          </button>
        </div>
        {canBrowse ? null : (
          <p className="muted small" data-testid="package-open-typed">
            Browser mode has no file dialog: type the package file's path (as the host sees it) and press Verify.
          </p>
        )}
      </details>
      <InAzureStep />
    </section>
  );
}
