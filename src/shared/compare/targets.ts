/**
 * Compare targets (issue 10): the local runner on either server's profile, or a URL naming the server it
 * speaks for (`azureml:https://…/score`, `mlflow:http://127.0.0.1:5000/invocations`). The same strings
 * are the CLI's `--target` values and the playground's target labels.
 */
export type TargetServer = 'azureml' | 'mlflow';

export type TargetSpec = { kind: 'local'; server: TargetServer } | { kind: 'url'; server: TargetServer; url: string };

export type TargetSpecParse = { ok: true; spec: TargetSpec } | { ok: false; message: string };

const FORMS = 'local:azureml, local:mlflow, azureml:<url> or mlflow:<url>';

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
  if (/^https?:/i.test(t)) return { ok: false, message: `"${text}": say which server the URL speaks for: azureml:${t} or mlflow:${t}.` };
  return { ok: false, message: `"${text}" is not a target; use ${FORMS}.` };
}

export function targetName(spec: TargetSpec): string {
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
