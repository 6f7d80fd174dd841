import type { Dependency, Finding } from '@shared/mlflow/model-report';
import { finding, listText, Ref, type ReportWithoutFindings } from '../finding';

/** A path that can only exist on the machine that logged the model. */
function machineLocal(d: Dependency): boolean {
  const s = d.spec.trim();
  return /^(file:\/\/|\/|~|[A-Za-z]:[\\/]|\\\\)/.test(s) || /@\s*file:/.test(d.raw);
}

const WHY: Record<string, string> = {
  vcs: 'a VCS checkout',
  url: 'a download URL',
  'local-path': 'a local path',
  'private-index': 'a private package index',
  option: 'a pip option',
};

/**
 * No-code deployment installs the conda/pip environment when the container starts, which needs internet;
 * workspaces without egress must package the model first (Ref.noEgressDoc), and private feeds are not
 * supported online for no-code MLflow (peers.md §(b) pain 11). Requirements that point at VCS, URLs,
 * private indexes or local paths are what makes such packaging hard, so they are called out by name.
 */
export function networkDependenciesRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder') return [];
  const special = report.environment.dependencies.filter((d) => d.source !== 'index');
  const seen = new Set<string>();
  const unique = special.filter((d) => {
    const key = `${d.file}\u0000${d.raw}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const out: Finding[] = [];
  const local = unique.filter(machineLocal);
  if (local.length > 0) {
    out.push(
      finding({
        code: 'dependency-path-not-in-container',
        severity: 'error',
        title: 'A requirement points at a path on the training machine',
        evidence: `${listText(local.map((d) => `${d.file}${d.line ? `:${d.line}` : ''} \`${d.raw.trim()}\``))}. That path does not exist inside the Azure container, so the environment cannot be built.`,
        fix: 'Build a wheel, put it inside the model folder and reference it relative to the model (`mlflow.models.utils.add_libraries_to_model` does this), or publish the package to an index the workspace can reach.',
        file: local[0]?.file ?? null,
        reference: Ref.startScript,
      }),
    );
  }
  const network = unique.filter((d) => !machineLocal(d));
  const urls = report.environment.indexUrls;
  if (network.length > 0 || urls.length > 0) {
    const items = [
      ...network.map((d) => `${d.file}${d.line ? `:${d.line}` : ''} \`${d.raw.trim()}\` (${WHY[d.source] ?? d.source})`),
      ...urls.filter((u) => !network.some((d) => d.raw.includes(u))).map((u) => `index \`${u}\``),
    ];
    out.push(
      finding({
        code: 'needs-private-link-packaging',
        severity: 'warning',
        title: 'Needs packaging for private-link workspaces: requirements fetched from the network at deploy time',
        evidence: `${listText(items)}. Azure installs these when the container starts; a workspace without public egress cannot reach them, and private feeds are not supported for online no-code MLflow deployments.`,
        fix: 'For private-link workspaces package the model first: `preflight package <model-dir> --out model.tar.gz --wheels <folder of wheels>` (or the Package tab) resolves every requirement offline against wheels you download on a connected machine and writes the wheels, pinned environment and deploy YAML into one archive; `preflight verify model.tar.gz` checks it. Replace VCS/URL/private-index requirements with wheels (or build them into the wheel folder). Azure\'s own route is `az ml online-deployment create --with-package ...` (SDK `with_package=True`).',
        file: network[0]?.file ?? null,
        reference: `${Ref.noEgressDoc} ${Ref.privateLink}`,
      }),
    );
  }
  return out;
}
