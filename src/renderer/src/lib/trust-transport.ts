import { ErrorCodes } from '@shared/errors';
import { methodChannel } from '@shared/ipc/channels';
import type { Transport } from '@shared/ipc/create-api';
import type { Result } from '@shared/ipc/result';

/** What the user is asked before a model folder's code first runs (model-folder trust). */
export interface TrustQuestion {
  folder: string;
  /** The host's explanation (why running the model runs its code). */
  message: string;
}

/** Resolves true when the user trusts the folder. */
export type AskTrust = (question: TrustQuestion) => Promise<boolean>;

/** The E_UNTRUSTED a call ended with: its envelope's error, or a batch summary's (a failed job resolves). */
function untrustedOf(result: Result<unknown>): { message: string; folder: string | null } | null {
  if (!result.ok) {
    if (result.error.code !== ErrorCodes.UNTRUSTED) return null;
    const details = result.error.details as { folder?: unknown } | undefined;
    return { message: result.error.message, folder: typeof details?.folder === 'string' ? details.folder : null };
  }
  const error = (result.value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return error?.code === ErrorCodes.UNTRUSTED ? { message: String(error.message ?? ''), folder: null } : null;
}

/**
 * Model-folder trust in the renderer, for every feature at once: a call that fails because the model's
 * folder is not trusted (running it would run its code) asks the user once — why, and which folder —
 * and, on yes, trusts the folder (`trust.grant`, remembered by the host) and makes the same call again.
 * On no, the call ends with the host's E_UNTRUSTED, which the feature shows like any error.
 */
export function withTrustPrompt(inner: Transport, ask: AskTrust): Transport {
  const grant = methodChannel('trust', 'grant');
  const status = methodChannel('trust', 'status');
  return {
    on: (event, listener) => inner.on(event, listener),
    async invoke(channel, input) {
      const first = await inner.invoke(channel, input);
      const untrusted = untrustedOf(first);
      if (!untrusted) return first;
      const modelPath = (input as { modelPath?: unknown } | null)?.modelPath;
      let folder = untrusted.folder;
      if (folder === null && typeof modelPath === 'string') {
        const s = await inner.invoke(status, { path: modelPath });
        folder = s.ok ? (s.value as { folder: string }).folder : null;
      }
      if (folder === null || !(await ask({ folder, message: untrusted.message }))) return first;
      const granted = await inner.invoke(grant, { path: folder });
      return granted.ok ? inner.invoke(channel, input) : granted;
    },
  };
}
