import { useEffect, useState } from 'react';
import type { ErrorData } from '@shared/errors';
import type { ClientApi } from '@shared/ipc/create-api';
import type { AppInfo } from '@shared/ipc/contract';
import { toErrorData } from '../lib/errors';

export interface Startup {
  info: AppInfo | null;
  error: ErrorData | null;
  retry(): void;
}

/**
 * Asks the host who it is once it is reachable, then opens the model it was started with — or the bundled sample,
 * so a first start never shows an empty window. Retries by itself when a lost connection comes back.
 */
export function useStartup(api: ClientApi, connected: boolean, openFirst: (path: string) => void): Startup {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!connected || info) return;
    // StrictMode runs effects twice in development; only the surviving run may act on its answer.
    let cancelled = false;
    api.app.info({}).then(
      (value) => {
        if (cancelled) return;
        setInfo(value);
        setError(null);
        const first = value.initialModelPath ?? value.sampleModelPath;
        if (first) openFirst(first);
      },
      (e: unknown) => {
        if (!cancelled) setError(toErrorData(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, connected, info, attempt, openFirst]);

  return { info, error, retry: () => setAttempt((n) => n + 1) };
}
