import { isSecretHeader } from '@shared/compare/targets';

/**
 * "Copy as" for a URL target's request (issue 10): curl, Python `requests`, `az ml online-endpoint invoke`. A secret
 * header's value is never copied: it becomes an environment variable the snippet reads, named after the header, and
 * the note says which to set. The body is the exact bytes Preflight sent.
 */

export interface SnippetRequest {
  url: string;
  /** As the result shows them (secret values already masked). */
  headers: Record<string, string>;
  body: string;
}

export type SnippetKind = 'curl' | 'python' | 'az';

/**
 * The snippets that make sense for a target speaking for `server`: `az ml online-endpoint invoke` calls an Azure ML
 * online endpoint (it reads `/score`'s `input_data` body and signs in to Azure), so it is offered for Azure targets
 * and Azure-profile URLs only; an MLflow URL (`/invocations`) gets curl and Python.
 */
export function snippetKindsFor(server: 'azureml' | 'mlflow'): SnippetKind[] {
  return server === 'azureml' ? ['curl', 'python', 'az'] : ['curl', 'python'];
}

export interface Snippet {
  text: string;
  /** What the user must do before running it (set the key variable), or null. */
  note: string | null;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** `authorization` → `PREFLIGHT_AUTHORIZATION`: the variable a snippet reads a secret header's value from. */
export function secretVariable(header: string): string {
  return `PREFLIGHT_${header.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

function secrets(headers: Record<string, string>): string[] {
  return Object.keys(headers).filter(isSecretHeader);
}

function noteFor(names: string[]): string | null {
  if (names.length === 0) return null;
  const vars = names.map((n) => `${secretVariable(n)} (the full ${n} header value, e.g. "Bearer <key>")`);
  return `Keys are not copied. Set ${vars.join(' and ')} in your shell before running it.`;
}

/** The Azure ML endpoint name in `https://<name>.<region>.inference.ml.azure.com/score`, or null. */
export function azureEndpointName(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    const m = /^([a-z0-9-]+)\.[a-z0-9-]+\.inference\.ml\.azure\.com$/i.exec(host);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

export function snippetFor(kind: SnippetKind, req: SnippetRequest): Snippet {
  const secretNames = secrets(req.headers);
  const note = noteFor(secretNames);
  if (kind === 'curl') {
    const hs = Object.entries(req.headers).map(([k, v]) => (isSecretHeader(k) ? `-H "${k}: $${secretVariable(k)}"` : `-H ${shellQuote(`${k}: ${v}`)}`));
    return { text: [`curl -sS -X POST ${shellQuote(req.url)}`, ...hs, `--data-binary ${shellQuote(req.body)}`].join(' \\\n  '), note };
  }
  if (kind === 'python') {
    const hs = Object.entries(req.headers).map(([k, v]) => `    ${JSON.stringify(k)}: ${isSecretHeader(k) ? `os.environ[${JSON.stringify(secretVariable(k))}]` : JSON.stringify(v)},`);
    return {
      text: [
        'import os',
        'import requests',
        '',
        `body = ${JSON.stringify(req.body)}`,
        `response = requests.post(${JSON.stringify(req.url)}, data=body.encode("utf-8"), headers={`,
        ...hs,
        '}, timeout=90)',
        'print(response.status_code, response.headers.get("x-request-id"))',
        'print(response.text)',
      ].join('\n'),
      note,
    };
  }
  const name = azureEndpointName(req.url);
  const deployment = req.headers['azureml-model-deployment'];
  return {
    text: [
      `cat > request.json <<'PREFLIGHT_EOF'`,
      req.body,
      'PREFLIGHT_EOF',
      `az ml online-endpoint invoke --name ${name ?? '<endpoint-name>'} --request-file request.json${deployment ? ` --deployment-name ${shellQuote(deployment)}` : ''} \\`,
      '  --resource-group <resource-group> --workspace-name <workspace>',
    ].join('\n'),
    note: `az signs in with your Azure CLI login (az login); no key is needed.${name ? '' : ' Replace <endpoint-name>: this URL is not an Azure ML managed endpoint address.'}`,
  };
}
