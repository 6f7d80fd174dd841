/**
 * Pure views over the Azure store: the workspace tree, the wizard's checks, the operation's phases and an
 * endpoint's answer. No React, no API: unit-tested beside this file.
 */
import type { Finding } from '@shared/mlflow/model-report';
import type { AzureEndpoint, AzureOperation, AzureSubscription, AzureWorkspace, InvokeAnswer, WizardForm, WorkspaceRef } from './azure-types';
import { PRETTY_MAX_CHARS } from '../../../lib/display-text';

/** What the user types to deploy a model whose readiness report has errors (the service's ignoreFindings). */
export const OVERRIDE_PHRASE = 'deploy anyway';

export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

/** Error findings block the wizard unless the user typed the phrase (case and outer spaces ignored). */
/** Error findings no confirmation can override: main refuses the deployment whatever is typed (no MLmodel to load). */
export const NOT_OVERRIDABLE: ReadonlySet<string> = new Set(['not-an-mlflow-model']);

export function unoverridableFindings(findings: readonly Finding[]): Finding[] {
  return blockingFindings(findings).filter((f) => NOT_OVERRIDABLE.has(f.code));
}

export function findingsCleared(findings: readonly Finding[], confirmation: string): boolean {
  if (unoverridableFindings(findings).length > 0) return false;
  return blockingFindings(findings).length === 0 || confirmation.trim().toLowerCase() === OVERRIDE_PHRASE;
}

export interface SubscriptionNode {
  subscriptionId: string;
  displayName: string;
  workspaces: AzureWorkspace[];
}

/** Subscription → workspaces, in name order; subscriptions that only appear through a workspace keep their id as name. */
export function workspaceTree(subscriptions: readonly AzureSubscription[], workspaces: readonly AzureWorkspace[]): SubscriptionNode[] {
  const nodes = new Map<string, SubscriptionNode>();
  for (const s of subscriptions) nodes.set(s.subscriptionId, { subscriptionId: s.subscriptionId, displayName: s.displayName || s.subscriptionId, workspaces: [] });
  for (const w of workspaces) {
    let node = nodes.get(w.subscription);
    if (!node) nodes.set(w.subscription, (node = { subscriptionId: w.subscription, displayName: w.subscription, workspaces: [] }));
    node.workspaces.push(w);
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return [...nodes.values()].map((n) => ({ ...n, workspaces: [...n.workspaces].sort(byName) })).sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export function sameWorkspace(a: WorkspaceRef | null, w: Pick<AzureWorkspace, 'subscription' | 'resourceGroup' | 'name'>): boolean {
  return a !== null && a.subscription === w.subscription && a.resourceGroup === w.resourceGroup && a.workspace === w.name;
}

/**
 * Azure ML's naming rule for online endpoints and deployments: 3–32 characters, letters, digits and hyphens,
 * starting with a letter and not ending with a hyphen (endpoint names are also unique per region).
 */
export function nameProblem(kind: 'Endpoint' | 'Deployment', name: string): string | null {
  const n = name.trim();
  if (n.length === 0) return `${kind} name is required.`;
  if (n.length < 3 || n.length > 32) return `${kind} name must be 3 to 32 characters (it has ${n.length}).`;
  if (!/^[A-Za-z]/.test(n)) return `${kind} name must start with a letter.`;
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(n)) return `${kind} name may hold only letters, digits and hyphens ("${n}").`;
  if (n.endsWith('-')) return `${kind} name must not end with a hyphen.`;
  return null;
}

/** Every reason the wizard's target step cannot go on, keyed by field. */
export function wizardProblems(form: WizardForm, endpoints: readonly AzureEndpoint[], workspace: AzureWorkspace | null): Partial<Record<keyof WizardForm | 'workspace', string>> {
  const problems: Partial<Record<keyof WizardForm | 'workspace', string>> = {};
  if (!workspace) problems.workspace = 'Choose a workspace in the tree.';
  else if (workspace.privateLink) problems.workspace = `${workspace.name} has public network access disabled (private link): a no-code deployment cannot install packages there. Build an offline package in the Package tab instead.`;
  const endpointName = form.endpoint.trim();
  const existing = endpoints.find((e) => e.name === endpointName);
  if (form.endpointMode === 'existing' && !existing) problems.endpoint = 'Choose one of the workspace\'s endpoints.';
  else if (form.endpointMode === 'new') {
    const p = nameProblem('Endpoint', endpointName);
    if (p) problems.endpoint = p;
    else if (existing) problems.endpoint = `Endpoint ${endpointName} exists already: choose "Existing endpoint" to add a deployment to it.`;
  }
  const d = nameProblem('Deployment', form.deployment);
  if (d) problems.deployment = d;
  if (!/^[A-Za-z][A-Za-z0-9_]+$/.test(form.instanceType.trim())) problems.instanceType = 'Instance type is an Azure VM size such as Standard_DS3_v2.';
  if (!Number.isInteger(form.instanceCount) || form.instanceCount < 1 || form.instanceCount > 100) problems.instanceCount = 'Instance count is a whole number from 1 to 100.';
  return problems;
}

export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

export interface PhaseRow {
  what: string;
  state: string;
  elapsedMs: number;
  tone: 'active' | 'done' | 'failed';
}

const DONE_STATES = new Set(['succeeded', 'completed']);
const FAILED_STATES = new Set(['failed', 'canceled', 'cancelled']);

/** One row per long-running operation (register, endpoint, deployment, traffic…) with its latest state. */
export function phaseRows(op: AzureOperation): PhaseRow[] {
  return op.phases.map((p, i) => {
    const s = p.state.toLowerCase();
    const finished = DONE_STATES.has(s) || (i < op.phases.length - 1 && !FAILED_STATES.has(s));
    const tone = FAILED_STATES.has(s) || (op.status === 'failed' && i === op.phases.length - 1 && !DONE_STATES.has(s)) ? 'failed' : finished ? 'done' : 'active';
    return { what: p.what, state: p.state, elapsedMs: p.elapsedMs, tone };
  });
}

/** Upload share 0..1, null before the upload started or when there was nothing to send. */
export function uploadShare(op: AzureOperation): number | null {
  if (!op.upload || op.upload.totalBytes <= 0) return null;
  return Math.min(1, op.upload.uploadedBytes / op.upload.totalBytes);
}

export interface AnswerView {
  ok: boolean;
  status: number;
  requestId: string | null;
  /** `ms-azureml-model-error-*` headers, decoded (Azure puts the model's failure there on a 424). */
  modelErrors: { name: string; value: string }[];
  explanation: string | null;
  text: string;
}

export function answerView(a: InvokeAnswer): AnswerView {
  const modelErrors = Object.entries(a.headers)
    .filter(([k]) => k.toLowerCase().startsWith('ms-azureml-model-error-'))
    .map(([k, v]) => ({ name: k.toLowerCase().slice('ms-azureml-model-error-'.length), value: decodeHeader(v) }));
  let text = a.body_text;
  // A multi-megabyte body is shown as sent: pretty-printing it costs a parse and doubles what the page lays out.
  if (text.length <= PRETTY_MAX_CHARS) {
    try {
      text = JSON.stringify(JSON.parse(a.body_text), null, 2);
    } catch {
      // Not JSON (a proxy's page, plain text): shown as sent.
    }
  }
  return { ok: a.status >= 200 && a.status < 300, status: a.status, requestId: a.requestId ?? a.headers['x-request-id'] ?? null, modelErrors, explanation: a.explanation, text };
}

/** Header values may be percent-encoded (Azure encodes the model's exception text); shown decoded when valid. */
function decodeHeader(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

/** The endpoint's deployments with their traffic share, for the lists and the invoke/logs pickers. */
export function deploymentsWithTraffic(e: AzureEndpoint): { name: string; state: string; model: string | null; instanceType: string | null; traffic: number }[] {
  return e.deployments.map((d) => ({ ...d, traffic: e.traffic[d.name] ?? 0 }));
}

/** A short model label from an ARM model id (`…/models/<name>/versions/<v>` → `name:v`). */
export function modelLabel(id: string | null): string {
  if (!id) return '—';
  const m = /\/models\/([^/]+)\/versions\/([^/]+)$/i.exec(id);
  return m ? `${m[1]}:${m[2]}` : id;
}

/** The filled example's note, only while the body still is that example (an edited body is no longer what the note describes). */
export function invokeSampleNote(s: { invokeBody: string; sampleNote: string | null; sampleBody: string | null }): string | null {
  return s.sampleNote && s.sampleBody !== null && s.invokeBody === s.sampleBody ? s.sampleNote : null;
}
