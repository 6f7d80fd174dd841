/**
 * For integration tests: the emulator (with real Azurite) scoring through Preflight's runner, and a
 * composition wired to it like the CLI would be (cloud file, a 0600 cache file, short retry timings).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, type Composition } from '../../../src/main/app/compose';
import type { Logger } from '../../../src/main/ports/logger';
import { FileSecretStore } from '../../../src/main/ports/secret-store';
import { loadCloudFile } from '../../../src/main/services/azure/cloud';
import { createHttp, type HttpSend } from '../../../src/main/services/azure/http';
import { BatchService } from '../../../src/main/services/batch/batch-service';
import { RunnerService } from '../../../src/main/services/runner/runner-service';
import { bundleFileWorker, bundleOnnxWorker } from '../worker-bundle';
import { testHostPorts } from '../host-ports';
import { repoRoot } from '../paths';
import { startAzureEmulator, type AzureEmulator, type EmulatorOptions } from './emulator';
import { serviceBatchRunner } from './batch-runner';
import { runnerScorer } from './scorer';
import { defaultSpecDir } from './spec';

export interface EmulatorHarness {
  emulator: AzureEmulator;
  runner: RunnerService;
  tmp: string;
  worker: string;
  /** HTTPS to the emulator trusting its CA (what a user's browser does on the device-login page). */
  http: HttpSend;
  /** A fresh composition (new process, same user data and cache file unless given). */
  compose(over?: { userDataDir?: string; cacheFile?: string; maxWaitMs?: number; log?: Logger }): Promise<Composition>;
  stop(): Promise<void>;
}

/** Signs a composition's Azure service in as the emulator's service principal and saves its workspace as the default. */
export async function signInToEmulator(h: EmulatorHarness, azure: Composition['services']['azure']): Promise<void> {
  await azure.login({ method: 'service-principal', tenant: h.emulator.tenant, clientId: h.emulator.clientId, clientSecret: h.emulator.clientSecret });
  await azure.setDefaults({ subscription: h.emulator.subscription, resourceGroup: h.emulator.resourceGroup, workspace: h.emulator.workspace });
}

export async function startEmulatorHarness(options: Partial<EmulatorOptions> = {}): Promise<EmulatorHarness> {
  const tmp = await mkdtemp(join(tmpdir(), 'preflight-azure-'));
  const worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  const runner = new RunnerService({ onnxWorkerPath: worker });
  const batch = new BatchService({ onnxWorkerPath: worker, fileWorkerPath: await bundleFileWorker(join(tmp, 'file-worker.js')), progressIntervalMs: 0 });
  const emulator = await startAzureEmulator({ specDir: defaultSpecDir(repoRoot), scorer: runnerScorer(runner), batchRunner: serviceBatchRunner(batch), retryAfterSeconds: 0, workDir: tmp, ...options });
  const cloud = await loadCloudFile(emulator.cloudFile);
  const http = await createHttp(cloud);
  const compositions: Composition[] = [];
  return {
    emulator,
    runner,
    tmp,
    worker,
    http,
    async compose(over = {}) {
      const c = await compose(
        testHostPorts({
          userDataDir: over.userDataDir ?? join(tmp, 'user-data'),
          ...(over.log ? { log: over.log } : {}),
          onnxWorkerPath: worker,
          azureCloud: cloud,
          secretStore: new FileSecretStore(over.cacheFile ?? join(tmp, 'azure-cache.json')),
          azureTuning: { retryBaseMs: 20, pollIntervalMs: 20, minPollIntervalMs: 20, uploadRetryDelayMs: 20, maxWaitMs: over.maxWaitMs },
        }),
      );
      compositions.push(c);
      return c;
    },
    async stop() {
      for (const c of compositions) await c.dispose();
      await emulator.stop();
      runner.dispose();
      await batch.dispose();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
