import { sendHttp } from './http-target';
import { formatCount } from '@shared/format-count';

/**
 * What MLflow a URL target that speaks for `mlflow models serve` runs, asked the way its own clients can:
 * `GET <base>/version` beside `<base>/invocations`, which the scoring server answers from MLflow 1.30 with the bare
 * version text (docs/fidelity.md §15; before 1.30 the route is a 404). The body is then written in the forms *that*
 * server reads — a 1.x server refuses the 2.x envelopes and the reverse — instead of the forms of the version the
 * local runner emulates (the model's pin), which a teammate's server need not run. A URL that is not MLflow's route
 * (a gateway's own path) is not asked: its `/version`, if any, would be someone else's.
 */

/** How long the question may take: it only chooses a form, the request itself has the caller's timeout. */
const ASK_TIMEOUT_MS = 3_000;
/** A version is a few characters; a longer answer is not one (and is not read past this many bytes). */
const MAX_ANSWER_BYTES = 4_096;
const MAX_VERSION_CHARS = 64;

/** A version as MLflow writes it (`2.7.1`, `1.30.1`, `3.6.1.dev0`, `2.12.0rc0`). Only tried on short texts. */
const VERSION_TEXT = /^(\d+)\.(\d+)(?:\.\d+)?[0-9A-Za-z.+-]*$/;

/**
 * Headers of the POST that a bodiless GET must not carry (its body's framing and type, hop-by-hop ones): a
 * `content-length` would make the server wait for a body that never comes.
 */
const NOT_FOR_GET = new Set(['content-length', 'content-type', 'transfer-encoding', 'expect', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'host']);

export type AskedVersion = { version: string } | { why: string; answered: boolean };

/** `/version` beside the target's `/invocations`, or null when the URL is not that route. */
export function versionUrl(target: string): string | null {
  const url = new URL(target);
  if (!/\/invocations\/?$/.test(url.pathname)) return null;
  url.pathname = url.pathname.replace(/invocations\/?$/, 'version');
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** A version text only `mlflow models serve` could have answered: from 1.30 (the route's first release) to 3.x. */
function mlflowVersionOf(text: string): string | null {
  if (text.length > MAX_VERSION_CHARS) return null;
  const m = VERSION_TEXT.exec(text);
  if (!m) return null;
  const major = Number(m[1]), minor = Number(m[2]);
  return (major === 1 && minor >= 30) || major === 2 || major === 3 ? text : null;
}

export async function askMlflowVersion(target: string, headers: Record<string, string>, signal?: AbortSignal): Promise<AskedVersion> {
  const url = versionUrl(target);
  if (url === null) return { why: "GET /version was not asked (the URL does not end in /invocations, mlflow models serve's route)", answered: true };
  const sent = Object.fromEntries(Object.entries(headers).filter(([k]) => !NOT_FOR_GET.has(k.toLowerCase())));
  const o = await sendHttp({ url, method: 'GET', headers: sent, body: '', timeoutMs: ASK_TIMEOUT_MS, maxAnswerBytes: MAX_ANSWER_BYTES, signal });
  if (!o.ok && o.code === 'E_TOO_LARGE') return { why: `GET ${url} answered more than ${formatCount(MAX_ANSWER_BYTES)} bytes, not an MLflow version`, answered: true };
  if (!o.ok) return { why: `GET ${url} had no answer (${o.code === 'E_TIMEOUT' ? `none within ${ASK_TIMEOUT_MS / 1000} s` : o.message})`, answered: false };
  const { status } = o.answer;
  if (status === 404) return { why: `GET ${url} answered 404 (MLflow answers it from 1.30: an older server, or not mlflow models serve)`, answered: true };
  if (status === 401 || status === 403) return { why: `GET ${url} answered ${status} (the headers given are not accepted there)`, answered: true };
  if (status !== 200) return { why: `GET ${url} answered ${status}`, answered: true };
  const text = o.answer.body_text.trim().replace(/^"(.*)"$/, '$1');
  const version = mlflowVersionOf(text);
  if (version === null) return { why: `GET ${url} answered ${JSON.stringify(text.slice(0, 40))}, not an MLflow version that has this route`, answered: true };
  return { version };
}
