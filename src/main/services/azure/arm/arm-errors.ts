import { AppError } from '@shared/errors';
import { AzureErrorCodes } from '../http';

/** What an ARM error means for the user, by status (and code for quota). */
export function hintFor(status: number, code: string): string {
  if (/quota/i.test(code)) return 'The subscription has no quota left for this VM size in this region: pick a smaller instance type or request more quota (Azure portal → Quotas).';
  // ARM's answer for a subscription of another tenant, a deleted one, or one without a role for this sign-in:
  // typically a default saved under an earlier sign-in.
  if (code === 'SubscriptionNotFound') return 'Either this sign-in cannot see the subscription (another tenant or account, no role on it) or it no longer exists: `preflight azure workspaces` lists the workspaces this sign-in sees, `preflight azure workspaces --use NAME` saves one (or pass --subscription); in the app, pick one in the Azure tab.';
  switch (status) {
    case 401:
      return 'Azure did not accept the sign-in (expired or revoked): sign in again — Sign out and sign in on the Azure tab, or `preflight azure login`.';
    case 403:
      return 'You are signed in but lack permission: ask for the "AzureML Data Scientist" (or Contributor) role on the workspace, or pick another subscription.';
    case 404:
      return 'It does not exist (or not where you said): check the subscription, resource group, workspace and name (`preflight azure workspaces`).';
    case 409:
      return 'Another operation on this resource is still running: wait for it to finish (or check the portal), then try again.';
    case 429:
      return 'Azure is throttling requests: wait a minute and try again.';
    case 503:
      // Only reached after the ARM client's own retries (each honouring Retry-After) ran out.
      return 'Azure Machine Learning\'s service for this workspace is unavailable right now (the region is busy, under maintenance, or the workspace is being updated); Preflight already retried with waits. Nothing was changed by this call: try again in a few minutes, and if it persists check Azure status (status.azure.com) or the workspace in Azure ML studio, quoting the request id.';
    default:
      return status >= 500 ? 'Azure had a temporary failure: try again in a few minutes.' : '';
  }
}

export interface ArmErrorDetails {
  status: number;
  code: string;
  requestId: string | null;
  /** Set when a long-running operation ended in this state (Failed, Canceled): Azure holds what it made so far. */
  ended?: string;
}

/** An ARM error as an AppError: `code: message` from Azure, never swallowed, plus what to do. */
export function armError(status: number, code: string, message: string, requestId: string | null, what: string): AppError {
  const hint = hintFor(status, code);
  return new AppError(AzureErrorCodes.AZURE, `${what} failed (${status} ${code}): ${message}${hint ? ` ${hint}` : ''}`, { details: { status, code, requestId } satisfies ArmErrorDetails });
}

/**
 * A long-running operation that ended Failed/Canceled: its status poll answered HTTP 200, so the status would only
 * mislead (`failed (200 ResourceNotReady)`); the sentence names the state the operation ended in and Azure's code.
 */
export function lroError(state: string, code: string, message: string, what: string): AppError {
  const hint = hintFor(0, code);
  return new AppError(AzureErrorCodes.AZURE, `${what} ended ${state} (${code}): ${message}${hint ? ` ${hint}` : ''}`, { details: { status: 200, code, requestId: null, ended: state } satisfies ArmErrorDetails });
}

/** The long-running operation ran and ended Failed/Canceled (not refused up front, not stopped waiting for). */
export function endedState(err: unknown): string | null {
  return err instanceof AppError ? ((err.details as Partial<ArmErrorDetails> | undefined)?.ended ?? null) : null;
}

/** ARM said the resource does not exist (so the caller may create it). */
export function isNotFoundError(err: unknown): boolean {
  return err instanceof AppError && (err.details as Partial<ArmErrorDetails> | undefined)?.status === 404;
}
