import { sendHttp } from './http-target';

/**
 * What MLflow a URL target that speaks for `mlflow models serve` runs, asked the way its own clients can:
 * `GET <base>/version`, which the scoring server answers from MLflow 1.30 with the bare version text
 * (docs/fidelity.md §15; before 1.30 the route is a 404). The body is then written in the forms *that*
 * server reads — a 1.x server refuses the 2.x envelopes and the reverse — instead of the forms of the version
 * the local runner emulates (the model's pin), which a teammate's server need not run.
 */

/** How long the question may take: it only chooses a form, the request itself has the caller's timeout. */
const ASK_TIMEOUT_MS = 3_000;

/** A version as MLflow writes it (`2.7.1`, `1.30.1`, `3.6.1.dev0`, `2.12.0rc0`). */
const VERSION_TEXT = /^(\d+)\.(\d+)(?:\.\d+)?[0-9A-Za-z.+-]*$/;

export type AskedVersion = { version: string } | { why: string };

/** `/version` beside the target's path: `http://h:5000/invocations` → `http://h:5000/version`. */
export const versionUrl = (target: string): string => new URL('version', target).toString();

export async function askMlflowVersion(target: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<AskedVersion> {
  const url = versionUrl(target);
  const o = await sendHttp({ url, method: 'GET', headers, body: '', timeoutMs: Math.min(timeoutMs, ASK_TIMEOUT_MS), signal });
  if (!o.ok) return { why: `GET ${url} had no answer (${o.message})` };
  const text = o.answer.body_text.trim().replace(/^"(.*)"$/, '$1');
  if (o.answer.status !== 200) return { why: `GET ${url} answered ${o.answer.status} (MLflow answers it from 1.30; an older server, or not mlflow models serve)` };
  if (!VERSION_TEXT.test(text)) return { why: `GET ${url} answered ${JSON.stringify(text.slice(0, 40))}, not an MLflow version` };
  return { version: text };
}
