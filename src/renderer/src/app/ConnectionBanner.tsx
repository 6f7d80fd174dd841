import { useEffect, useState } from 'react';
import { useConnectionStore } from '../lib/connection-store';

/** Browser mode only: says when the host is unreachable, when it will retry, and lets the user retry now. */
export function ConnectionBanner({ onRetry }: { onRetry(): void }) {
  const status = useConnectionStore((s) => s.status);
  const everConnected = useConnectionStore((s) => s.everConnected);
  const retryAt = useConnectionStore((s) => s.retryAt);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (retryAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [retryAt]);

  if (status.status === 'open' || status.status === 'closed') return null;
  // The first attempt normally succeeds within milliseconds; only speak up once it did not.
  if (status.status === 'connecting' && !everConnected && status.attempt <= 1) return null;

  const retryIn = retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
  return (
    <div className="banner banner-error" role="alert" data-testid="disconnected-banner">
      <strong>{everConnected ? 'Disconnected from the Preflight host.' : 'Cannot reach the Preflight host.'}</strong>{' '}
      {status.status === 'reconnecting' ? (
        <>
          {status.reason} Retrying{retryIn > 0 ? ` in ${retryIn} s` : ''}…
        </>
      ) : (
        <>Connecting (attempt {status.attempt})…</>
      )}{' '}
      <span className="banner-hint">Is the host (npm start / preflight open) still running?</span>
      {status.status === 'reconnecting' ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry now
        </button>
      ) : null}
    </div>
  );
}
