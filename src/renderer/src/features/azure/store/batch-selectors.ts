/** Pure views for the Batch tab of the Azure view: the create form's checks and a job's outcome in words. No React, no API. */
import type { BatchEndpoint } from './azure-types';
import type { BatchForm } from './batch-export-slice';
import { nameProblem } from './selectors';

/** Every reason the batch form's target step cannot go on, keyed by field. */
export function batchFormProblems(form: BatchForm, endpoints: readonly BatchEndpoint[]): Partial<Record<keyof BatchForm, string>> {
  const problems: Partial<Record<keyof BatchForm, string>> = {};
  const name = form.endpoint.trim();
  const existing = endpoints.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (form.endpointMode === 'existing') {
    if (!existing) problems.endpoint = "Choose one of the workspace's batch endpoints.";
  } else {
    const p = nameProblem('Endpoint', name);
    if (p) problems.endpoint = p;
    else if (existing) problems.endpoint = `Batch endpoint ${existing.name} exists already: choose "Existing endpoint" to add a deployment to it.`;
  }
  const d = nameProblem('Deployment', form.deployment);
  if (d) problems.deployment = d;
  // Azure ML compute names: 2 to 16 characters, letters, digits and hyphens, starting with a letter.
  if (!/^[A-Za-z][A-Za-z0-9-]{1,15}$/.test(form.compute.trim())) problems.compute = 'Compute cluster name is 2 to 16 letters, digits or hyphens, starting with a letter (e.g. cpu-cluster).';
  if (!/^[A-Za-z][A-Za-z0-9_]+$/.test(form.instanceType.trim())) problems.instanceType = 'Instance type is an Azure VM size such as Standard_DS3_v2.';
  if (!Number.isInteger(form.instanceCount) || form.instanceCount < 1 || form.instanceCount > 100) problems.instanceCount = 'Instance count is a whole number from 1 to 100.';
  if (!Number.isInteger(form.miniBatchSize) || form.miniBatchSize < 1 || form.miniBatchSize > 100_000) problems.miniBatchSize = 'Mini-batch size (files per mini-batch) is a whole number from 1 to 100000.';
  return problems;
}

/** The status word a job card shows, from Preflight's view of it (Azure's own word when the job ended). */
export function jobStatusLabel(status: 'running' | 'succeeded' | 'failed' | 'cancelled', azureStatus: string | null): string {
  if (azureStatus) return azureStatus;
  return status === 'running' ? 'Running' : status === 'succeeded' ? 'Completed' : status === 'cancelled' ? 'Stopped waiting' : 'Failed';
}
