import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TargetResultData } from '@shared/ipc/compare-contract';
import { bodyView } from '@shared/mlflow/output/body-view';
import { formatCount } from '@shared/format-count';

/**
 * POSTs one request to a URL target (an Azure ML endpoint, a teammate's `mlflow models serve`) and reads
 * the whole answer. Failures that leave no answer (refused, timeout, DNS, TLS, reset) come back as data
 * with a sentence that says what happened and what to check, never as a thrown error.
 */

/** Largest answer read; a scoring server's answer beyond this is not a playground answer. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** An answer as a compare target's `response` carries it (compare.run's answer). */
export type HttpAnswer = NonNullable<TargetResultData['response']>;

/** Whether an answer's body was JSON: parsed to something other than its raw text, or a JSON string literal. */
export const answeredJson = (body: unknown, text: string): boolean => typeof body !== 'string' || text.trimStart().startsWith('"');

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; code: string; message: string };

export interface HttpSend {
  url: string;
  /** POST unless said (GET sends no body). */
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Largest answer read (default MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
  signal?: AbortSignal;
}

function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function describeNetworkError(err: NodeJS.ErrnoException, url: URL): { code: string; message: string } {
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return { code: 'E_CONNECTION_REFUSED', message: `connection refused: nothing listens at ${where}. Is the server running, and on that port?` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'E_DNS', message: `the host name "${url.hostname}" does not resolve; check the URL (and the network, for a private-link endpoint).` };
    case 'ECONNRESET':
    case 'EPIPE':
      return { code: 'E_CONNECTION_RESET', message: `${where} closed the connection before answering.` };
    default:
      if (err.code && /CERT|SSL|TLS/i.test(err.code)) return { code: 'E_TLS', message: `TLS failed with ${where}: ${err.message}` };
      return { code: 'E_NETWORK', message: `the request to ${where} failed: ${err.message}` };
  }
}

export function sendHttp(input: HttpSend): Promise<HttpOutcome> {
  const url = new URL(input.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise<HttpOutcome>((resolve) => {
    let settled = false;
    const finish = (o: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const method = input.method ?? 'POST';
    const headers = method === 'GET' ? input.headers : { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) };
    const req = send(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const max = input.maxAnswerBytes ?? MAX_ANSWER_BYTES;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) {
          req.destroy();
          finish({ ok: false, code: 'E_TOO_LARGE', message: max === MAX_ANSWER_BYTES ? `the answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB; send fewer rows.` : `the answer is larger than ${formatCount(max)} bytes` });
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = flatHeaders(res.headers);
        const body = bodyView(text, headers['content-type']);
        finish({
          ok: true,
          answer: {
            status: res.statusCode ?? 0,
            headers,
            body_text: text,
            body,
            json: answeredJson(body, text),
            latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
          },
        });
      });
      res.on('error', (err) => finish({ ok: false, ...describeNetworkError(err, url) }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, code: 'E_TIMEOUT', message: `no answer within ${input.timeoutMs} ms (raise --timeout, or send fewer rows; Azure itself answers 408 after request_timeout_ms).` });
    }, input.timeoutMs);
    const onAbort = (): void => {
      req.destroy();
      finish({ ok: false, code: 'E_CANCELLED', message: 'cancelled' });
    };
    input.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, ...describeNetworkError(err, url) }));
    req.end(method === 'GET' ? undefined : input.body);
  });
}
