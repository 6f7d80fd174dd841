import { useCallback } from 'react';
import { usePlayground } from '../features/playground/hooks/playground-store-context';
import { requestForServer } from '../features/playground/store/playground-store';
import { LocalRunnerPanel } from '../features/run/components/LocalRunnerPanel';
import type { CurlRequest, Server } from '../features/run/store/selectors';

/**
 * The local runner under the playground, wired to the playground's request: a local server's curl line sends what
 * the editor holds (in that server's form). Composed here because features never import each other.
 */
export function PlaygroundRunner({ modelPath }: { modelPath: string }) {
  const modelOfDraft = usePlayground((s) => s.modelPath);
  const drafts = usePlayground((s) => s.drafts);
  const samples = usePlayground((s) => s.samples);
  const mlflowTarget = usePlayground((s) => s.mlflowTarget);
  const requestFor = useCallback(
    (server: Server): CurlRequest | null => requestForServer({ modelPath: modelOfDraft, drafts, samples, mlflowTarget }, server),
    [modelOfDraft, drafts, samples, mlflowTarget],
  );
  return <LocalRunnerPanel modelPath={modelPath} requestFor={requestFor} />;
}
