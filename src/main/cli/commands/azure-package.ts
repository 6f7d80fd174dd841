/**
 * `preflight azure package <package-file|model-dir>`: the In-Azure step of an offline package (issue 9) —
 * verify, register the model, register the offline build context as an environment, run Azure's
 * model-package operation (preview), and with --endpoint deploy the packaged environment.
 */
import { resolve } from 'node:path';
import { isAppError } from '@shared/errors';
import type { PackageAzureProgress, PackageAzureResult } from '@shared/packaging/azure-step';
import { findPackage } from '../../app/package-root';
import type { AzureService } from '../../services/azure/azure-service';
import { PackageInAzure } from '../../services/packaging/azure-step';
import { PackageService } from '../../services/packaging/package-service';
import { CliUsageError, ExitCode, type CliIo } from '../command';
import { parseCommandLine } from '../parse';

export const AZURE_PACKAGE_USAGE = `  package <package-file|model-dir> [--endpoint E [--deployment D] [--instance-type T] [--instance-count N]]
             [--wheels DIR --python 3.x --platform TAG --target online|batch] [--ignore-findings] [--show-build-log]
             the In-Azure step of an offline package: verify it (nothing is sent unless it PASSes), register
             model/, register the package's offline build context (deploy/Dockerfile, environment/, wheels/) as
             an environment, run Azure's model-package operation (api-version 2024-04-01-preview, AzureMLOnline
             or AzureMLBatch, model mode Download) and wait for its image build; with --endpoint, deploy the
             packaged environment (no model/code) with 100 % traffic. A model folder is packaged first
             (--wheels …, as \`preflight package\`). Works in private-link workspaces. --json prints
             {"package","workspace","model","baseEnvironment","environment":{…,"image"},"buildId","buildState",
             "buildLog","deployment":{"endpoint","deployment","scoringUri","state"}|null}`;

type Common = Parameters<typeof parseCommandLine>[1];

function progressPrinter(io: CliIo): (p: PackageAzureProgress) => void {
  let last = '';
  return (p) => {
    // Upload progress only names files; Azure's operation states each get a line.
    const line = p.bytesTotal !== null ? `[${p.step}] ${p.message.replace(/^Uploading .*/, 'uploading')} (${p.bytesDone}/${p.bytesTotal} bytes)` : `[${p.step}] ${p.message}`;
    if (p.bytesTotal !== null && p.bytesDone !== p.bytesTotal && last.startsWith(`[${p.step}] uploading`)) return;
    last = line;
    io.stderr(`${line}\n`);
  };
}

function summary(r: PackageAzureResult): string {
  const lines = [
    `model ${r.model.name}:${r.model.version} registered in ${r.workspace}`,
    `base environment ${r.baseEnvironment.name}:${r.baseEnvironment.version} (offline build context from the package)`,
    `Azure's model package built ${r.environment.name}:${r.environment.version}${r.environment.image ? ` (image ${r.environment.image})` : ''}, build ${r.buildId ?? 'unknown'} ${r.buildState}`,
  ];
  if (r.deployment) lines.push(`deployed to ${r.deployment.endpoint}/${r.deployment.deployment} (${r.deployment.state}); scoring URI ${r.deployment.scoringUri}`);
  else lines.push(`not deployed: pass --endpoint NAME, or use environment azureml:${r.environment.name}:${r.environment.version} in a deployment`);
  return `${lines.join('\n')}\n`;
}

const tail = (text: string, n: number): string => text.trimEnd().split('\n').slice(-n).join('\n');

export async function azurePackageSub(argv: string[], io: CliIo, azure: AzureService, common: Common): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      ...common,
      endpoint: { type: 'string' },
      deployment: { type: 'string' },
      'instance-type': { type: 'string' },
      'instance-count': { type: 'string' },
      wheels: { type: 'string' },
      python: { type: 'string' },
      platform: { type: 'string' },
      target: { type: 'string' },
      'ignore-findings': { type: 'boolean' },
      'show-build-log': { type: 'boolean' },
    },
    { min: 1, max: 1, names: '<package-file|model-dir>' },
  );
  const v = values as Record<string, string | boolean | undefined>;
  const count = v['instance-count'] === undefined ? 1 : Number(v['instance-count']);
  if (!Number.isInteger(count) || count < 1) throw new CliUsageError(`--instance-count must be a whole number ≥ 1, not "${String(v['instance-count'])}".`);
  const target = (v.target as string | undefined) ?? 'online';
  if (target !== 'online' && target !== 'batch') throw new CliUsageError(`--target must be online or batch, got "${target}".`);
  if (v.deployment && !v.endpoint) throw new CliUsageError('--deployment needs --endpoint NAME.');
  const str = (k: string): string | undefined => v[k] as string | undefined;
  const ref = azure.workspaceRef({ subscription: str('subscription'), resourceGroup: str('resource-group'), workspace: str('workspace') });
  const step = new PackageInAzure({ packaging: new PackageService({ toolVersion: findPackage().version }), azure });
  try {
    const r = await step.run(
      {
        source: resolve(io.cwd, positionals[0]!),
        ref,
        endpoint: str('endpoint') ?? null,
        deployment: str('deployment'),
        instanceType: str('instance-type'),
        instanceCount: count,
        ignoreFindings: v['ignore-findings'] === true,
        build: { wheels: str('wheels') ? resolve(io.cwd, str('wheels')!) : null, python: str('python'), platform: str('platform'), deployment: target },
      },
      { signal: io.signal, onProgress: progressPrinter(io) },
    );
    if (v.json) io.stdout(`${JSON.stringify(r, null, 2)}\n`);
    else io.stdout(`${summary(r)}${v['show-build-log'] ? `--- build log ---\n${r.buildLog.trimEnd()}\n` : ''}`);
    return ExitCode.OK;
  } catch (err) {
    const details = isAppError(err) ? (err.details as { step?: string; buildLog?: string } | undefined) : undefined;
    if (details?.buildLog) io.stderr(`--- build log (last 40 lines) ---\n${tail(details.buildLog, 40)}\n`);
    if (isAppError(err) && details?.step === 'verify') {
      io.stderr(`preflight: ${err.message}\n`);
      return ExitCode.INVALID;
    }
    throw err;
  }
}
