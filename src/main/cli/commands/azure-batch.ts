/**
 * `preflight azure batch <deploy|invoke|endpoints|delete>`: Azure ML batch endpoints from a terminal — the path
 * for data that outgrows `preflight batch`. Same flags, sign-in and workspace defaults as the other
 * `preflight azure` subcommands (it runs inside them).
 */
import { resolve } from 'node:path';
import { ErrorCodes, isAppError } from '@shared/errors';
import type { AzureService } from '../../services/azure/azure-service';
import { CliUsageError, ExitCode, type CliIo } from '../command';
import { parseCommandLine } from '../parse';
import { COMMON, print, progressLine, workspaceFlags } from './azure-cli-common';

export const BATCH_USAGE = `  batch deploy <model-dir> --endpoint E [--deployment D] [--compute C] [--instance-type T]
             [--instance-count N] [--mini-batch-size N] [--model-name N] [--ignore-findings]
             register the folder, create the compute cluster C when missing (default cpu-cluster, VM
             size T, scales to 0 when idle), the batch endpoint (Entra auth) and an MLflow model batch
             deployment D (default "default"; no scoring script), make D the endpoint's default; --json
             prints {"endpoint","deployment","scoringUri","model":{"name","version"},"compute","state"}
  batch invoke --endpoint E <input-dir> --out DIR [--deployment D] [--overwrite]
             upload the folder of .csv/.parquet files to the default datastore (LocalUpload/<hash>/…),
             start a job, follow it to its end, download predictions.csv into DIR; --json prints
             {"job","status","endpoint","deployment","inputUri","outputUri","predictionsPath"}.
             Ctrl+C stops waiting; the job goes on in Azure (the message says how to follow it)
  batch endpoints               list batch endpoints with their deployments and default
  batch delete --endpoint E     delete the batch endpoint and its deployments (waits until done)`;

const SUBS = ['deploy', 'invoke', 'endpoints', 'delete'] as const;

function wholeNumber(flag: string, value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`--${flag} must be a whole number ≥ 1, not "${value}".`);
  return n;
}

export async function runAzureBatch(argv: string[], io: CliIo, azure: AzureService): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || !(SUBS as readonly string[]).includes(sub)) throw new CliUsageError(sub ? `unknown batch subcommand "${sub}" (deploy, invoke, endpoints, delete).` : 'batch needs a subcommand: deploy, invoke, endpoints or delete.');
  const ws = (v: Parameters<typeof workspaceFlags>[0]) => azure.workspaceRef(workspaceFlags(v));
  const batch = await azure.batch();
  try {
    switch (sub as (typeof SUBS)[number]) {
      case 'deploy': {
        const { values, positionals } = parseCommandLine(
          rest,
          { ...COMMON, endpoint: { type: 'string' }, deployment: { type: 'string' }, compute: { type: 'string' }, 'instance-type': { type: 'string' }, 'instance-count': { type: 'string' }, 'mini-batch-size': { type: 'string' }, 'model-name': { type: 'string' }, 'ignore-findings': { type: 'boolean' } },
          { min: 1, max: 1, names: '<model-dir>' },
        );
        if (!values.endpoint) throw new CliUsageError('batch deploy needs --endpoint NAME.');
        const r = await batch.deploy(ws(values), {
          modelDir: resolve(io.cwd, positionals[0]!),
          endpoint: values.endpoint,
          deployment: values.deployment,
          compute: values.compute,
          instanceType: values['instance-type'],
          instanceCount: wholeNumber('instance-count', values['instance-count'], 1),
          miniBatchSize: wholeNumber('mini-batch-size', values['mini-batch-size'], undefined),
          modelName: values['model-name'],
          ignoreFindings: values['ignore-findings'],
          onProgress: progressLine(io),
          signal: io.signal,
        });
        print(io, !!values.json, r, `deployed ${r.model.name}:${r.model.version} to batch endpoint ${r.endpoint}/${r.deployment} on ${r.compute} (${r.state}); invocation URI ${r.scoringUri}`);
        return ExitCode.OK;
      }
      case 'invoke': {
        const { values, positionals } = parseCommandLine(rest, { ...COMMON, endpoint: { type: 'string' }, deployment: { type: 'string' }, out: { type: 'string' }, overwrite: { type: 'boolean' } }, { min: 1, max: 1, names: '<input-dir>' });
        if (!values.endpoint) throw new CliUsageError('batch invoke needs --endpoint NAME.');
        if (!values.out) throw new CliUsageError('batch invoke needs --out DIR (where predictions.csv is downloaded).');
        const r = await batch.invoke(ws(values), { endpoint: values.endpoint, deployment: values.deployment ?? null, input: resolve(io.cwd, positionals[0]!), outDir: resolve(io.cwd, values.out), overwrite: values.overwrite, onProgress: progressLine(io), signal: io.signal });
        const out = { job: r.job, status: r.status, endpoint: r.endpoint, deployment: r.deployment, inputUri: r.inputUri, outputUri: r.outputUri, predictionsPath: r.predictionsPath };
        print(io, !!values.json, out, `batch job ${r.job} ${r.status}; predictions in ${r.predictionsPath}`);
        return ExitCode.OK;
      }
      case 'endpoints': {
        const { values } = parseCommandLine(rest, COMMON, { min: 0, max: 0, names: '(no arguments)' });
        const list = await batch.endpoints(ws(values));
        print(io, !!values.json, list, list.map((e) => `${e.name}\t${e.state}\tdefault ${e.defaultDeployment ?? '-'}\t${e.scoringUri ?? ''}\n${e.deployments.map((d) => `  ${d.name}\t${d.state}\t${d.compute ?? ''}`).join('\n')}`).join('\n') || '(no batch endpoints)');
        return ExitCode.OK;
      }
      case 'delete': {
        const { values } = parseCommandLine(rest, { ...COMMON, endpoint: { type: 'string' } }, { min: 0, max: 0, names: '(no arguments)' });
        if (!values.endpoint) throw new CliUsageError('batch delete needs --endpoint NAME.');
        const r = await batch.deleteEndpoint(ws(values), values.endpoint, progressLine(io), io.signal);
        print(io, !!values.json, { endpoint: values.endpoint, ...r }, r.deleted ? `deleted batch endpoint ${values.endpoint}` : `batch endpoint ${values.endpoint} did not exist`);
        return ExitCode.OK;
      }
    }
  } catch (err) {
    if (isAppError(err) && err.code === ErrorCodes.OUTPUT_EXISTS) {
      io.stderr(`preflight: ${err.message}\n`);
      return ExitCode.USAGE;
    }
    // A job that ran and failed is Azure's answer about the model and data (exit 1), not an environment error.
    if (isAppError(err) && (err.details as { job?: string; status?: string } | undefined)?.status === 'Failed') {
      io.stderr(`preflight: ${err.message}\n`);
      return ExitCode.INVALID;
    }
    throw err;
  }
}
