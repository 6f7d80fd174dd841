import { useCallback } from 'react';
import { versionTextSpeaksMlflow1 } from '@shared/mlflow/payload';
import { usePlayground } from '../features/playground/hooks/playground-store-context';
import { requestForServer } from '../features/playground/store/playground-store';
import { LocalRunnerPanel } from '../features/run/components/LocalRunnerPanel';
import type { CurlRequest, Server } from '../features/run/store/selectors';

/**
 * The local runner under the playground, wired to the playground's request: a server starts on the MLflow version the
 * playground emulates, and its curl line sends what the editor holds (in that server's form). A server started before
 * the version changed may speak the other protocol generation: then the line says to start it again instead of
 * offering a body it refuses (and the panel offers that restart whenever the versions differ). Composed here because
 * features never import each other.
 */
export function PlaygroundRunner({ modelPath }: { modelPath: string }) {
  const modelOfDraft = usePlayground((s) => s.modelPath);
  const drafts = usePlayground((s) => s.drafts);
  const samples = usePlayground((s) => s.samples);
  const mlflowTarget = usePlayground((s) => s.mlflowTarget);
  const mlflowVersion = usePlayground((s) => s.mlflowVersion);
  const requestFor = useCallback(
    (server: Server, servedVersion: string): CurlRequest | null => {
      if (server === 'mlflow' && mlflowTarget && versionTextSpeaksMlflow1(servedVersion) !== versionTextSpeaksMlflow1(mlflowTarget.version))
        return {
          body: '',
          contentType: 'application/json',
          from: 'restart',
          note: `this server runs MLflow ${servedVersion}, the playground's request is written for MLflow ${mlflowTarget.version} (the other protocol generation): stop it and start it again to serve that version`,
        };
      return requestForServer({ modelPath: modelOfDraft, drafts, samples, mlflowTarget }, server);
    },
    [modelOfDraft, drafts, samples, mlflowTarget],
  );
  return <LocalRunnerPanel modelPath={modelPath} requestFor={requestFor} mlflowVersion={mlflowVersion} emulatedVersion={mlflowTarget?.version ?? null} />;
}
