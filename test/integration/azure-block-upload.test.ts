/**
 * Preflight's block upload (services/azure/storage/block-upload.ts) against real Azurite behind the emulator's
 * blob proxy: the blob that lands is the file, byte for byte; a connection dropped mid-block is retried; a cancel
 * stops the upload with nothing committed and nothing still sending afterwards. Small blocks keep it quick.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobServiceClient, StorageSharedKeyCredential, newPipeline, type ContainerClient } from '@azure/storage-blob';
import { uploadFileInBlocks } from '@main/services/azure/storage/block-upload';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type RunningAzurite } from '../support/azure-emulator/azurite';
import { FaultQueue } from '../support/azure-emulator/faults';

const KIB = 1024;
const BLOCK = 256 * KIB;
let azurite: RunningAzurite;
let faults: FaultQueue;
let container: ContainerClient;
let dir: string;
let file: string;
let content: Buffer;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  faults = new FaultQueue();
  azurite = await startAzurite(faults);
  const pipeline = newPipeline(new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY), { retryOptions: { maxTries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 40 } });
  container = new BlobServiceClient(`http://${azurite.proxyHost}/${AZURITE_ACCOUNT}`, pipeline).getContainerClient('blocks');
  await container.create();
  dir = await mkdtemp(join(tmpdir(), 'preflight-block-upload-'));
  file = join(dir, 'weights.bin');
  // 13.5 blocks: a short last block, more blocks than lanes.
  content = randomBytes(13 * BLOCK + BLOCK / 2);
  await writeFile(file, content);
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('block upload', () => {
  it('lands the file byte for byte with its metadata, and reports progress up to its size', async () => {
    const blob = container.getBlockBlobClient('whole/weights.bin');
    const seen: number[] = [];
    await uploadFileInBlocks(blob, file, content.length, { blockBytes: BLOCK, concurrency: 4, metadata: { preflight_sha256: sha(content) }, onProgress: (n) => seen.push(n) });
    expect(sha(await blob.downloadToBuffer())).toBe(sha(content));
    expect((await blob.getProperties()).metadata?.preflight_sha256).toBe(sha(content));
    expect(seen).toHaveLength(14);
    expect(seen.at(-1)).toBe(content.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('sends a file of at most one block in one request', async () => {
    const small = join(dir, 'small.json');
    await writeFile(small, '{"a": 1}');
    const blob = container.getBlockBlobClient('small/small.json');
    const before = azurite.uploadedBytes();
    await uploadFileInBlocks(blob, small, 8, { blockBytes: BLOCK, concurrency: 4 });
    expect((await blob.downloadToBuffer()).toString()).toBe('{"a": 1}');
    expect(azurite.uploadedBytes() - before).toBe(8);
    expect((await blob.getBlockList('all')).committedBlocks ?? []).toHaveLength(0);
  });

  it('sends a block again when its connection drops, and the blob is whole', async () => {
    const blob = container.getBlockBlobClient('dropped/weights.bin');
    faults.add({ kind: 'dropUpload' }, 2);
    await uploadFileInBlocks(blob, file, content.length, { blockBytes: BLOCK, concurrency: 4 });
    expect(faults.take('dropUpload')).toBeNull();
    expect(sha(await blob.downloadToBuffer())).toBe(sha(content));
  });

  it('stops on cancel: nothing committed, nothing still sending once it has returned', async () => {
    const blob = container.getBlockBlobClient('cancelled/weights.bin');
    const stop = new AbortController();
    const before = azurite.uploadedBytes();
    const attempt = uploadFileInBlocks(blob, file, content.length, { blockBytes: BLOCK, concurrency: 2, abortSignal: stop.signal, onProgress: () => stop.abort() });
    await expect(attempt).rejects.toThrow(/abort/i);
    const sent = azurite.uploadedBytes();
    await new Promise((r) => setTimeout(r, 200));
    expect(azurite.uploadedBytes()).toBe(sent);
    expect(await blob.exists()).toBe(false);
    // Stopped after the first accepted block: the rest of the file was never sent.
    expect(sent - before).toBeLessThan(content.length / 2);
  });

  it('a block that keeps failing fails the file with the service\'s reason and commits nothing', async () => {
    const blob = container.getBlockBlobClient('failing/weights.bin');
    faults.add({ kind: 'dropUpload' }, 1000);
    try {
      await expect(uploadFileInBlocks(blob, file, content.length, { blockBytes: BLOCK, concurrency: 4 })).rejects.toThrow();
    } finally {
      faults.clear();
    }
    expect(await blob.exists()).toBe(false);
  });

  it('refuses a file whose size changed after it was hashed (truncated, or grown past one block), says so, and commits nothing', async () => {
    // The caller hashed and sized the file before. Blocks: the file is now shorter than that size (truncated).
    const short = join(dir, 'truncated.bin');
    await writeFile(short, content.subarray(0, 5 * BLOCK));
    const blocks = container.getBlockBlobClient('truncated/weights.bin');
    await expect(uploadFileInBlocks(blocks, short, content.length, { blockBytes: BLOCK, concurrency: 4 })).rejects.toThrow(/truncated\.bin changed size while it was uploaded .*register it again/);
    expect(await blocks.exists()).toBe(false);
    // One request: the file was one block when sized and is five now.
    const single = container.getBlockBlobClient('truncated/small.bin');
    await expect(uploadFileInBlocks(single, short, BLOCK, { blockBytes: 2 * BLOCK, concurrency: 4 })).rejects.toThrow(/changed size while it was uploaded \(262144 → 1310720 bytes\)/);
    expect(await single.exists()).toBe(false);
  });
});
