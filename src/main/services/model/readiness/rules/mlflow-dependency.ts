import type { Finding } from '@shared/mlflow/model-report';
import { finding, listText, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';
import { compareVersions, deploymentDependencies, minorOf, mlflowRequirement, presentEnvironmentFiles } from '../versions';

/**
 * Azure installs the model's own `mlflow` from its conda file, so that pin decides which MLflow behaviour
 * the endpoint has (payloads.md §10). Azure's start script builds a fresh env from conda.yaml and only
 * adds azureml-inference-server-http (Ref.startScript), so a missing mlflow means the script's
 * `import mlflow` fails; an unpinned one installs whatever is newest, and MLflow 3.x has broken no-code
 * deployments (Ref.mlflow3NoCode).
 */
export function mlflowDependencyRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  const { file, deps } = deploymentDependencies(report);
  // No environment file at all is reported by the conda rule; judging pins there would double up.
  const present = presentEnvironmentFiles(report);
  if (file === null && present.length === 0) return [];
  const logged = report.mlmodel.mlflowVersion;
  const req = mlflowRequirement(deps);
  const where = file ?? listText(present.map((f) => f.file));
  const pinLine = `mlflow==${logged ?? '<the version you trained with>'}`;
  if (!req) {
    return [
      finding({
        code: 'mlflow-missing',
        severity: 'error',
        title: 'mlflow is not in the environment Azure builds',
        evidence: `${where} lists no \`mlflow\` or \`mlflow-skinny\`; Azure replaces its image environment with this one, so the scoring script's \`import mlflow\` fails at start-up.`,
        fix: `Add \`${pinLine}\` under \`dependencies: - pip:\` in ${file ?? 'conda.yaml'}.`,
        file,
        reference: Ref.startScript,
      }),
    ];
  }
  const out: Finding[] = [];
  const raw = req.dep.raw.trim();
  if (!req.pinned) {
    out.push(
      finding({
        code: 'mlflow-unpinned',
        severity: 'warning',
        title: 'mlflow is not pinned: Azure installs whatever version is newest',
        evidence: `${req.dep.file}${req.dep.line ? `:${req.dep.line}` : ''} says \`${raw}\`${logged ? ` while the model was logged with mlflow ${logged}` : ''}. The endpoint's parsing, errors and status codes depend on the installed version, and MLflow 3.x no-code deployments have failed to start (502).`,
        fix: `Pin it: replace \`${raw}\` with \`${pinLine}\` in ${req.dep.file}.`,
        file: req.dep.file,
        reference: `${Ref.versionBehaviour} ${Ref.mlflow3NoCode}`,
      }),
    );
    return out;
  }
  if (logged && compareVersions(req.pinned, logged) !== 0) {
    const sameMinor = minorOf(req.pinned) === minorOf(logged);
    out.push(
      finding({
        code: 'mlflow-pin-mismatch',
        severity: sameMinor ? 'info' : 'warning',
        title: `The environment pins mlflow ${req.pinned} but the model was logged with ${logged}`,
        evidence: `${req.dep.file}: \`${raw}\`; ${mlmodelFile(report)}: \`mlflow_version: ${logged}\`. Azure serves with ${req.pinned}${sameMinor ? ' (same minor release)' : ', whose request handling and error answers differ between minor releases'}.`,
        fix: `Use the same version in both: \`mlflow==${logged}\` in ${req.dep.file}, or re-log the model with mlflow ${req.pinned}.`,
        file: req.dep.file,
        reference: Ref.versionBehaviour,
      }),
    );
  }
  if (compareVersions(req.pinned, '3.0') >= 0) {
    out.push(
      finding({
        code: 'mlflow-3-no-code',
        severity: 'warning',
        title: `mlflow ${req.pinned}: MLflow 3.x has broken Azure no-code deployments`,
        evidence: `${req.dep.file}: \`${raw}\`. Azure's examples had to pin \`mlflow<3\` to get no-code MLflow deployments past 502 start-up failures.`,
        fix: 'Test a deployment before relying on it; if it fails to start, re-log the model with mlflow 2.x (e.g. `mlflow==2.16.2`) and pin that.',
        file: req.dep.file,
        reference: Ref.mlflow3NoCode,
      }),
    );
  }
  return out;
}

/** Signature features and the first MLflow release that reads them (payloads.md §0 milestones table). */
const FEATURES: { what: string; since: string; present: (r: ReportWithoutFindings) => string[] }[] = [
  {
    what: 'optional columns (`required: false`)',
    since: '2.4',
    present: (r) => (r.signature?.inputs?.kind === 'columns'
      ? r.signature.inputs.columns.filter((c) => !c.required && ['array', 'object', 'map', 'any'].indexOf(c.type.type) < 0).map((c) => `\`${c.name ?? '?'}\``)
      : []),
  },
  { what: 'inference params', since: '2.6', present: (r) => (r.signature?.params ?? []).map((p) => `\`${p.name}\``) },
  {
    what: 'Array/Object column types',
    since: '2.10',
    present: (r) => columnsOfType(r, ['array', 'object']),
  },
  { what: 'Map column types', since: '2.12', present: (r) => columnsOfType(r, ['map']) },
  { what: 'AnyType columns', since: '2.19', present: (r) => columnsOfType(r, ['any']) },
  { what: 'type-hint signatures', since: '2.20', present: (r) => (r.mlmodel?.isSignatureFromTypeHint ? ['is_signature_from_type_hint'] : []) },
];

function columnsOfType(r: ReportWithoutFindings, types: string[]): string[] {
  const cols = [r.signature?.inputs, r.signature?.outputs].flatMap((s) => (s?.kind === 'columns' ? s.columns : []));
  return cols.filter((c) => types.includes(c.type.type)).map((c) => `\`${c.name ?? '?'}\``);
}

/** A pinned MLflow older than a signature feature cannot honour it (params ignored, types unreadable). */
export function signatureFeatureVersionRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.signature) return [];
  const req = mlflowRequirement(deploymentDependencies(report).deps);
  if (!req?.pinned) return [];
  const pinned = req.pinned;
  const missing = FEATURES.flatMap((f) => {
    const used = f.present(report);
    return used.length > 0 && compareVersions(pinned, f.since) < 0 ? [`${f.what} (${listText(used, 4)}) need ≥ ${f.since}`] : [];
  });
  if (missing.length === 0) return [];
  return [
    finding({
      code: 'signature-needs-newer-mlflow',
      severity: 'warning',
      title: `The signature uses features mlflow ${pinned} does not have`,
      evidence: `${req.dep.file} pins \`${req.dep.raw.trim()}\` but the signature uses ${missing.join('; ')}. That MLflow ignores or cannot read them.`,
      fix: 'Pin an mlflow at least as new as the newest feature listed (ideally the version in MLmodel `mlflow_version`).',
      file: req.dep.file,
      reference: Ref.milestones,
    }),
  ];
}
