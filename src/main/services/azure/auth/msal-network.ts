import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { HttpSend } from '../http';

/**
 * msal-node's network client on Preflight's Azure transport, so Entra calls trust the cloud's CA file like
 * every other Azure call (msal's default would be Node's global fetch with only the system roots).
 */
export function msalNetworkClient(http: HttpSend): INetworkModule {
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const r = await http({ method, url, headers: options?.headers, body: options?.body, timeoutMs: timeout });
    let body: unknown;
    try {
      body = r.text ? JSON.parse(r.text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: `Entra ID answered ${r.status} with a body that is not JSON.` };
    }
    return { headers: r.headers, body: body as T, status: r.status };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
