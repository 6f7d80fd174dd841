/**
 * The one HTTP client for Azure traffic (Entra, ARM, scoring): node:https with the cloud's extra CA added to
 * Node's own roots, so TLS is verified against the emulator's per-run CA without any global switch.
 * Bodies and headers are never logged here.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { rootCertificates } from 'node:tls';
import { AppError } from '@shared/errors';
import type { AzureCloud } from './cloud';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
}

export type HttpSend = (req: HttpRequest) => Promise<HttpResponse>;

export const AzureErrorCodes = {
  /** Azure answered with an error, or could not be reached. */
  AZURE: 'E_AZURE',
  /** Not signed in, or the sign-in expired and cannot be renewed silently. */
  AZURE_AUTH: 'E_AZURE_AUTH',
} as const;

export async function createHttp(cloud: AzureCloud): Promise<HttpSend> {
  const ca = cloud.caFile ? [...rootCertificates, await readFile(cloud.caFile, 'utf8')] : undefined;
  return (req) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const url = new URL(req.url);
      const isHttps = url.protocol === 'https:';
      if (!isHttps && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
        reject(new AppError(AzureErrorCodes.AZURE, `Refusing to send Azure traffic over plain http to ${url.host}; only https is allowed outside this computer.`));
        return;
      }
      const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
      const options: RequestOptions = {
        method: req.method,
        headers: { ...(req.headers ?? {}), ...(body ? { 'content-length': String(body.length) } : {}) },
        signal: req.signal,
        timeout: req.timeoutMs ?? 100_000,
        ...(isHttps && ca ? { ca } : {}),
      };
      const r = (isHttps ? httpsRequest : httpRequest)(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      let timedOut = false;
      r.on('timeout', () => {
        timedOut = true;
        r.destroy(new Error(`no answer from ${url.host} within ${Math.round((req.timeoutMs ?? 100_000) / 1000)} s`));
      });
      r.on('error', (err) => {
        if (req.signal?.aborted) return reject(err);
        // A connection that was made but never answered is not "cannot reach": say it was sent and nothing came back.
        if (timedOut) return reject(new AppError(AzureErrorCodes.AZURE, `${url.host} did not answer ${req.method} ${url.pathname} within ${Math.round((req.timeoutMs ?? 100_000) / 1000)} s; Preflight stopped waiting (the request may still be running there). Try again, or check the service's state.`, { cause: err }));
        reject(new AppError(AzureErrorCodes.AZURE, `Cannot reach ${url.host}: ${err.message}. Check the network connection (and the cloud file's caFile for a private CA).`, { cause: err }));
      });
      r.end(body);
    });
}
