// The azure-upload bench's baseline, in a process of its own so that its garbage (uploadFile reads every block
// through 64 KiB stream buffers) does not count in the peak RSS the bench measures for Preflight. One JSON line
// in per upload ({ url, account, key, container, blob, file, blockSize, concurrency }); the blob is uploaded with
// @azure/storage-blob's own uploadFile, timed, deleted; one JSON line out ({ ms } or { error }).
import { createInterface } from 'node:readline';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';

const clients = new Map();
for await (const line of createInterface({ input: process.stdin })) {
  try {
    const job = JSON.parse(line);
    const key = `${job.url}\0${job.container}`;
    if (!clients.has(key)) clients.set(key, new BlobServiceClient(job.url, new StorageSharedKeyCredential(job.account, job.key)).getContainerClient(job.container));
    const blob = clients.get(key).getBlockBlobClient(job.blob);
    const start = performance.now();
    await blob.uploadFile(job.file, { blockSize: job.blockSize, concurrency: job.concurrency });
    const ms = performance.now() - start;
    await blob.delete();
    process.stdout.write(`${JSON.stringify({ ms })}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: String(err?.message ?? err) })}\n`);
  }
}
