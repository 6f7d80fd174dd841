import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, open, rm, utimes } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { findPackage } from '../src/main/app/package-root';
import { silentLogger } from '../src/main/ports/logger';
import { MemorySecretStore } from '../src/main/ports/secret-store';
import { AzureService } from '../src/main/services/azure/azure-service';
import { loadCloudFile } from '../src/main/services/azure/cloud';
import { blobAccountUrl } from '../src/main/services/azure/storage/model-upload';
import { ModelService } from '../src/main/services/model/model-service';
import { AppStore } from '../src/main/services/store/app-store';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../test/support/azure-emulator/azurite';
import { median, ratioLine, type Bench, type BenchResult } from './harness';

/**
 * Issue 8 "Done when": registering a 1 GiB incompressible model folder into Azurite (through the emulator's
 * ARM: datastore, secrets, upload, model version) takes at most 1.2× @azure/storage-blob's own `uploadFile`
 * of the same bytes to the same Azurite in the same run; Preflight's peak RSS stays ≤ 256 MiB; a second
 * registration of the same folder uploads 0 bytes. The emulator, Azurite and the baseline run in their own
 * processes, so the RSS measured is Preflight's alone. PREFLIGHT_BENCH_AZURE_MIB shrinks the folder for a quick check.
 *
 * Method, and why (measured on the shared 2-core machine):
 * - The folder's big file is synced to disk before the first round. Freshly written, it was written back by the
 *   kernel ~30 s later, inside whichever round ran then (that round's uploadFile: 2 GiB to disk, 17 s instead of 9).
 * - The baseline runs in a child process (azure-upload-baseline.mjs), timed inside it, as before with the SDK's
 *   uploadFile, 8 MiB blocks × 8. In this process its garbage counted in Preflight's RSS (see run()).
 * - The side that goes first alternates round by round, and each round's own ratio is printed.
 * - Why rounds slow down: not Azurite's store. Azurite alone, 8 rounds of 256 MiB upload + delete: flat times
 *   and CPU (it keeps deleted extents until its 10-minute GC, but nothing grows per request). Azurite syncs
 *   (fdatasync) every block and reads it back for an MD5: ~4.4 s of CPU per GiB, the largest share of an upload;
 *   the disk was ≤ 15 % busy. The rounds follow the machine's load: with other builds at load 10–15 the same
 *   uploadFile took 9–21 s within one run, Azurite's CPU per GiB doubling with it. Judge on a quiet machine.
 */
const MIB = 1024 * 1024;
const RSS_LIMIT = 256 * MIB;
// Five interleaved rounds compared by their medians: with two, one slow round of either side (Azurite's disk,
// a neighbour's load) decided the ratio. Every round is a first registration: the big file's mtime moves before
// it, so its sum is not remembered and the hash is paid each time (the "new model" case, not the cached one).
const ROUNDS = 5;
// The baseline's call, as it always was: 8 MiB blocks, 8 at a time (Preflight's own choice is the same today).
const BASELINE_BLOCK_BYTES = 8 * MIB;
const BASELINE_CONCURRENCY = 8;

async function writeRandomFile(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (let left = bytes; left > 0; left -= 16 * MIB) await handle.write(randomBytes(Math.min(16 * MIB, left)));
    // On disk before the first round: otherwise the kernel writes the fresh GiB back ~30 s later, in the middle
    // of whichever side's round runs then (measured: that round's uploadFile wrote 2 GiB to disk instead of 1 and
    // took 17 s instead of 9). A user's model folder is long on disk when they register it.
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function startEmulatorProcess(azuriteLocation: string): Promise<{ info: Record<string, string>; stop(): Promise<void> }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'azure-emulator.js');
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PREFLIGHT_EMULATOR_RETRY_AFTER: '0', PREFLIGHT_AZURITE_LOCATION: azuriteLocation } });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before printing its JSON line`)));
  });
  return {
    info: JSON.parse(first) as Record<string, string>,
    stop: async () => {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The baseline's own process (azure-upload-baseline.mjs): one uploadFile per call, timed inside it. */
function startBaselineProcess(): { upload(job: Record<string, unknown>): Promise<number>; stop(): Promise<void> } {
  const child = spawn(process.execPath, [join(findPackage().root, 'bench', 'azure-upload-baseline.mjs')], { stdio: ['pipe', 'pipe', 'inherit'], cwd: findPackage().root });
  const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async upload(job) {
      child.stdin!.write(`${JSON.stringify(job)}\n`);
      const next = await answers.next();
      if (next.done) throw new Error('the baseline process ended');
      const answer = JSON.parse(next.value) as { ms?: number; error?: string };
      if (answer.error !== undefined) throw new Error(`baseline uploadFile failed: ${answer.error}`);
      return answer.ms!;
    },
    async stop() {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.stdin!.end();
      await exited;
    },
  };
}

async function run(): Promise<BenchResult> {
  const size = Number(process.env.PREFLIGHT_BENCH_AZURE_MIB ?? 1024) * MIB;
  const dir = await mkdtemp(join(tmpdir(), 'preflight-bench-azure-'));
  // Azurite on disk: its memory store would not free the deleted rounds' blobs in time.
  await mkdir(join(dir, 'azurite'));
  const emulator = await startEmulatorProcess(join(dir, 'azurite'));
  const baselineProcess = startBaselineProcess();
  try {
    const folder = join(dir, 'big-model');
    await mkdir(folder);
    const sample = join(findPackage().root, 'resources', 'sample-model');
    for (const f of ['MLmodel', 'conda.yaml', 'python_env.yaml', 'requirements.txt', 'model.onnx']) await copyFile(join(sample, f), join(folder, f));
    await writeRandomFile(join(folder, 'weights.bin'), size);

    const { info } = emulator;
    const cloud = await loadCloudFile(info.cloudFile!);
    const azure = new AzureService({ cloud, secrets: new MemorySecretStore(), store: await AppStore.open(join(dir, 'user-data'), silentLogger), log: silentLogger, models: new ModelService(silentLogger) });
    await azure.login({ method: 'service-principal', tenant: info.tenant!, clientId: info.clientId!, clientSecret: info.clientSecret! });
    const ref = { subscription: info.subscription!, resourceGroup: info.resourceGroup!, workspace: info.workspace! };

    // Baseline: the SDK's own parallel uploadFile of the same bytes to the same account (through the same proxy),
    // in a process of its own: in this one, its garbage (1 GiB through 64 KiB stream buffers) raised the peak RSS
    // measured for Preflight by 60-70 MiB (512 MiB rounds: 133-158 MiB with Preflight alone, 187-197 with the
    // baseline beside it), so the RSS check measured the baseline as much as Preflight.
    const datastore = await azure.defaultDatastore(ref);
    const baselineJob = { url: blobAccountUrl(datastore), account: AZURITE_ACCOUNT, key: AZURITE_KEY, container: datastore.containerName, blob: 'bench/baseline/weights.bin', file: join(folder, 'weights.bin'), blockSize: BASELINE_BLOCK_BYTES, concurrency: BASELINE_CONCURRENCY };
    const container = new BlobServiceClient(blobAccountUrl(datastore), new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).getContainerClient(datastore.containerName);
    // Interleaved rounds (baseline, Preflight; then Preflight, baseline; …), each side's blobs deleted after it,
    // so neither always meets a fuller Azurite; the medians are compared.
    const baselineTimes: number[] = [];
    const preflightTimes: number[] = [];
    let peak = process.memoryUsage().rss;
    let second = { uploadedBytes: -1, reused: false };
    let firstBytes = 0;
    const baseline = async (): Promise<void> => {
      baselineTimes.push(await baselineProcess.upload(baselineJob));
    };
    const preflight = async (round: number): Promise<void> => {
      const touched = new Date(Date.now() + round * 1000);
      await utimes(join(folder, 'weights.bin'), touched, touched);
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
      const start = performance.now();
      const first = await azure.registerModel(ref, { modelDir: folder });
      preflightTimes.push(performance.now() - start);
      clearInterval(sampler);
      firstBytes = first.uploadedBytes;
      second = await azure.registerModel(ref, { modelDir: folder });
      for await (const b of container.listBlobsFlat({ prefix: 'LocalUpload/' })) await container.deleteBlob(b.name);
    };
    for (let round = 0; round < ROUNDS; round++) {
      // The side that goes first alternates, so neither always meets Azurite right after the other's writes.
      if (round % 2 === 0) {
        await baseline();
        await preflight(round);
      } else {
        await preflight(round);
        await baseline();
      }
    }
    const baselineMs = median(baselineTimes);
    const preflightMs = median(preflightTimes);

    const result = ratioLine('azure-upload', preflightMs, baselineMs, 1.2, { value: `register(${size / MIB}MiB)`, baseline: 'uploadFile' });
    const rssOk = peak <= RSS_LIMIT;
    const secondOk = second.uploadedBytes === 0 && second.reused && firstBytes >= size;
    const secs = (xs: number[]): string => xs.map((x) => (x / 1000).toFixed(1)).join(', ');
    // Each round's own ratio too: its two sides ran back to back, under the same load from the rest of the machine.
    const paired = preflightTimes.map((p, i) => (p / baselineTimes[i]!).toFixed(2)).join(', ');
    console.log(`azure-upload: rounds uploadFile [${secs(baselineTimes)}] s, register [${secs(preflightTimes)}] s, each round's ratio [${paired}] (every register hashes the folder: its big file's mtime moves before each round); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`azure-upload: peak RSS ${(peak / MIB).toFixed(0)} MiB (limit 256) ${rssOk ? 'PASS' : 'FAIL'}; second registration uploaded ${second.uploadedBytes} bytes ${secondOk ? 'PASS' : 'FAIL'}`);
    return { ...result, pass: result.pass && rssOk && secondOk };
  } finally {
    await baselineProcess.stop();
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export const azureUploadBench: Bench = { name: 'azure-upload', run };
