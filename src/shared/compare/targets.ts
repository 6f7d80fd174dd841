/**
 * Compare targets (issue 10): the local runner on either server's profile, or a URL naming the server it
 * speaks for (`azureml:https://…/score`, `mlflow:http://127.0.0.1:5000/invocations`). The same strings
 * are the CLI's `--target` values and the playground's target labels. `azure:<endpoint>[/<deployment>]` names an
 * online endpoint of the signed-in workspace: main looks up its scoring URI and key or Entra token.
 */
import type { z } from 'zod';
import type { TargetSpecSchema } from '../ipc/compare-contract';

/** A target as compare.run takes it (TargetSpecSchema): local, a URL, or an online endpoint of the signed-in workspace (main finds its URI and key). */
export type TargetSpec = z.output<typeof TargetSpecSchema>;
export type TargetServer = Extract<TargetSpec, { kind: 'local' }>['server'];

export type TargetSpecParse = { ok: true; spec: TargetSpec } | { ok: false; message: string };

const FORMS = 'local:azureml, local:mlflow, azureml:<url>, mlflow:<url> or azure:<endpoint>[/<deployment>]';

/** Azure ML endpoint and deployment names: a letter, then letters, digits and hyphens (3–32 for endpoints). */
const AZURE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

function parseAzureTarget(text: string, rest: string): TargetSpecParse {
  const [endpoint = '', deployment, ...more] = rest.split('/');
  if (!AZURE_NAME.test(endpoint) || more.length > 0 || (deployment !== undefined && !AZURE_NAME.test(deployment))) {
    return { ok: false, message: `"${text}": an Azure target is azure:<endpoint> or azure:<endpoint>/<deployment> (names are a letter, then letters, digits and hyphens), e.g. azure:my-endpoint/blue.` };
  }
  return { ok: true, spec: { kind: 'azure', server: 'azureml', endpoint, deployment: deployment ?? null } };
}

export function parseTargetSpec(text: string): TargetSpecParse {
  const t = text.trim();
  const colon = t.indexOf(':');
  const head = colon < 0 ? t : t.slice(0, colon);
  const rest = colon < 0 ? '' : t.slice(colon + 1);
  if (head === 'local') {
    if (rest === 'azureml' || rest === 'mlflow') return { ok: true, spec: { kind: 'local', server: rest } };
    return { ok: false, message: `"${text}": a local target is local:azureml or local:mlflow, not local:${rest}.` };
  }
  if (head === 'azureml' || head === 'mlflow') {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      return { ok: false, message: `"${text}": "${rest}" is not a URL; write ${head}:http://host:port/path.` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `"${text}": only http and https URLs can be compared, not ${url.protocol}` };
    return { ok: true, spec: { kind: 'url', server: head, url: url.toString() } };
  }
  if (head === 'azure') return parseAzureTarget(text, rest);
  if (/^https?:/i.test(t)) return { ok: false, message: `"${text}": say which server the URL speaks for: azureml:${t} or mlflow:${t}.` };
  return { ok: false, message: `"${text}" is not a target; use ${FORMS}.` };
}

export function targetName(spec: TargetSpec): string {
  if (spec.kind === 'azure') return `azure:${spec.endpoint}${spec.deployment ? `/${spec.deployment}` : ''}`;
  return spec.kind === 'local' ? `local:${spec.server}` : `${spec.server}:${spec.url}`;
}

/** Header names whose values are secrets: shown as a placeholder, never logged or stored. */
const SECRET_HEADER = /authorization|key|token|secret|cookie|password|signature|credential/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

export function maskHeaderValue(name: string, value: string): string {
  return isSecretHeader(name) ? `<hidden: ${value.length} characters>` : value;
}
