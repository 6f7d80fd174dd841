import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths';

/**
 * The house rules are lint errors, not review comments: the project's own ESLint config, on code that breaks
 * each rule at a real path in the tree (lintText never writes the file).
 */
const eslint = new ESLint({ cwd: repoRoot });
const layerErrors = async (filePath: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'preflight/layers').map((m) => m.message);
};

describe('preflight/layers', () => {
  it('a service importing the app layer is an error that says to use a port', async () => {
    const errors = await layerErrors('src/main/services/server/x.ts', "import { AppEvents } from '../../app/events';\nexport const y = AppEvents;\n");
    expect(errors).toEqual([expect.stringMatching(/services know no host: depend on a port in src\/main\/ports\//)]);
  });

  it('a service importing a host or the CLI is an error too; ports and shared code are fine', async () => {
    expect(await layerErrors('src/main/services/model/x.ts', "export { runCli } from '../../cli/run';\n")).toHaveLength(1);
    expect(await layerErrors('src/main/services/model/x.ts', "export { startBrowserHost } from '../../host/ws-host';\n")).toHaveLength(1);
    expect(await layerErrors('src/main/services/model/x.ts', "export type { EventSink } from '../../ports/event-sink';\nexport { AppError } from '../../../shared/errors';\n")).toEqual([]);
  });

  it('a renderer feature importing another feature is an error; its own modules and ui components are fine', async () => {
    const errors = await layerErrors('src/renderer/src/features/models/components/X.tsx', "export { RunTab } from '../../run/components/RunTab';\n");
    expect(errors).toEqual([expect.stringMatching(/feature "models" imports feature "run"/)]);
    expect(await layerErrors('src/renderer/src/features/models/components/X.tsx', "export { Badge } from '../../../components/ui/Badge';\nexport { useModels } from '../hooks/models-store-context';\n")).toEqual([]);
  });

  it('the CLI importing the browser-mode host is an error', async () => {
    expect(await layerErrors('src/main/cli/commands/x.ts', "export { runBrowserMode } from '../../host/browser-mode';\n")).toEqual([expect.stringMatching(/the CLI is a host of its own/)]);
  });

  it('the app shell may compose features', async () => {
    expect(await layerErrors('src/renderer/src/app/X.tsx', "export { RunTab } from '../features/run/components/RunTab';\n")).toEqual([]);
  });

  it('service folders importing each other in a cycle is an error naming the way back (runner ↔ server, model ↔ packaging were)', async () => {
    // server already depends on runner (scoring-server.ts runs models through RunnerService).
    const errors = await layerErrors('src/main/services/runner/onnx/x.ts', "export { createScoringHandler } from '../../server/scoring-server';\n");
    expect(errors).toEqual([expect.stringMatching(/services\/server already depends on services\/runner: server → runner \(src\/main\/services\/server\/[\w-]+\.ts\)/)]);
    // packaging already depends on model (package-service.ts inspects the model).
    expect(await layerErrors('src/main/services/model/readiness/x.ts', "export { resolveOffline } from '../../packaging/resolver';\n")).toEqual([expect.stringMatching(/services\/packaging already depends on services\/model/)]);
    // The shared parts live in folders of their own that import neither side.
    expect(await layerErrors('src/main/services/runner/onnx/x.ts', "export { httpLimits } from '../../http/http-limits';\nexport { satisfiesSpecifier } from '../../versions/pep440';\n")).toEqual([]);
  });

  it('production code importing a test-only or dev-only module is an error; unit tests may', async () => {
    const code = "export { writeOnnxModel } from '../../../../test/support/onnx-writer';\n";
    expect(await layerErrors('src/main/services/model/x.ts', code)).toEqual([expect.stringMatching(/production code never imports test-only or dev-only modules \(test\/\)/)]);
    expect(await layerErrors('src/main/services/runner/x.ts', "export { bundleOnnxWorker } from '../../../../test/support/worker-bundle';\n")).toHaveLength(1);
    expect(await layerErrors('src/main/services/model/x.test.ts', code)).toEqual([]);
  });

  it('a service starting a worker process outside services/child/ is an error', async () => {
    const errors = await layerErrors('src/main/services/runner/onnx/x.ts', "import { fork } from 'node:child_process';\nexport const f = fork;\n");
    expect(errors).toEqual([expect.stringMatching(/starts a process with child_process.fork: worker processes start through services\/child\/worker-process.ts/)]);
    expect(await layerErrors('src/main/services/runner/python/x.ts', "import { spawn } from 'node:child_process';\nexport const f = spawn;\n")).toHaveLength(1);
    expect(await layerErrors('src/main/services/child/x.ts', "import { fork } from 'node:child_process';\nexport const f = fork;\n")).toEqual([]);
    expect(await layerErrors('src/main/services/runner/x.ts', "import type { ChildProcess } from 'node:child_process';\nexport type C = ChildProcess;\n")).toEqual([]);
  });
});

