/**
 * `npm run azure-emulator`: starts the emulator and Azurite, prints one JSON line on stdout
 * `{"cloudFile","tenant","clientId","clientSecret","subscription","resourceGroup","workspace"}`, then waits.
 * Ctrl+C / SIGTERM stops both. Faults: POST JSON `{"fault": {...}, "times": n}` to <url>/_emulator/faults.
 */
import { join } from 'node:path';
import { findPackage } from '../../../src/main/app/package-root';
import { silentLogger } from '../../../src/main/ports/logger';
import { BatchService } from '../../../src/main/services/batch/batch-service';
import { createRunner } from '../../../src/main/services/runner/create-runner';
import { serviceBatchRunner } from './batch-runner';
import { startAzureEmulator } from './emulator';
import { runnerScorer } from './scorer';
import { defaultSpecDir } from './spec';

const root = findPackage().root;
const runner = createRunner({ resourcesDir: join(root, 'resources'), logger: silentLogger, onnxWorkerPath: process.env.PREFLIGHT_ONNX_WORKER || undefined });
// Batch jobs run through Preflight's batch service; the file reader (parquet) is the bundle beside this one.
const batch = new BatchService({ onnxWorkerPath: process.env.PREFLIGHT_ONNX_WORKER || undefined, fileWorkerPath: process.env.PREFLIGHT_FILE_WORKER || undefined });
const emulator = await startAzureEmulator({ specDir: defaultSpecDir(root), scorer: runnerScorer(runner), batchRunner: serviceBatchRunner(batch), retryAfterSeconds: Number(process.env.PREFLIGHT_EMULATOR_RETRY_AFTER ?? 1), azuriteLocation: process.env.PREFLIGHT_AZURITE_LOCATION || undefined });
process.stdout.write(
  `${JSON.stringify({ cloudFile: emulator.cloudFile, tenant: emulator.tenant, clientId: emulator.clientId, clientSecret: emulator.clientSecret, subscription: emulator.subscription, resourceGroup: emulator.resourceGroup, workspace: emulator.workspace })}\n`,
);
process.stderr.write(`Azure emulator on ${emulator.url} (Azurite behind ${emulator.azurite.proxyHost}); private-link workspace: ${emulator.privateWorkspace}; the service principal's certificate (login --certificate): ${emulator.clientCertificateFile}. Ctrl+C stops it.\n`);
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([emulator.stop(), runner.close(), batch.dispose()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
