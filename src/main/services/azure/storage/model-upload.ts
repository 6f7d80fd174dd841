/**
 * Uploads a local MLflow model folder to the workspace's default datastore the way `az ml model create`
 * does (azure.md §4): blobs under `LocalUpload/<content hash>/<folder name>/<relative path>`, then an
 * `upload_status: completed` mark. The same content registered again finds the mark and uploads nothing; an
 * upload cut short resumes file by file (a blob whose recorded hash matches is not sent again), and failed
 * blocks are retried by @azure/storage-blob's own retry policy.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { BlobSASPermissions, BlobServiceClient, StorageSharedKeyCredential, newPipeline, type BlockBlobClient, type ContainerClient } from '@azure/storage-blob';
import { AppError, ErrorCodes } from '../../../../shared/errors';
import type { Datastore, DatastoreSecrets } from '../arm/ml-resources';
import { AzureErrorCodes } from '../http';
import { UploadHashCache } from './upload-hash-cache';

export interface UploadProgress {
  file: string;
  uploadedBytes: number;
  totalBytes: number;
}

export interface UploadResult {
  /** Path inside the datastore: LocalUpload/<hash>/<folder>. */
  path: string;
  uploadedBytes: number;
  totalBytes: number;
  files: number;
  /** True when the same content was already there (nothing uploaded). */
  reused: boolean;
}

const MAX_FILES = 10_000;
/** Block size and parallel blocks per file (the bench's baseline uses the same, so only Preflight's own work differs). */
export const UPLOAD_BLOCK_BYTES = 8 * 1024 * 1024;
export const UPLOAD_CONCURRENCY = 8;

/** Account URL of a blob datastore; a loopback endpoint (Azurite) is path-style, as Azure's SDKs treat IP hosts. */
export function blobAccountUrl(d: Datastore): string {
  const host = d.endpoint.split(':')[0]!;
  if (host === '127.0.0.1' || host === 'localhost') return `${d.protocol}://${d.endpoint}/${d.accountName}`;
  return `https://${d.accountName}.blob.${d.endpoint}`;
}

export function containerFor(d: Datastore, secrets: DatastoreSecrets, retryDelayMs: number): ContainerClient {
  const retryOptions = { maxTries: 5, retryDelayInMs: retryDelayMs, maxRetryDelayInMs: retryDelayMs * 8 };
  const url = blobAccountUrl(d);
  if (secrets.secretsType === 'AccountKey' && 'key' in secrets) {
    return new BlobServiceClient(url, newPipeline(new StorageSharedKeyCredential(d.accountName, secrets.key), { retryOptions })).getContainerClient(d.containerName);
  }
  if (secrets.secretsType === 'Sas' && 'sasToken' in secrets) {
    return new BlobServiceClient(`${url}?${secrets.sasToken.replace(/^\?/, '')}`, newPipeline(undefined, { retryOptions })).getContainerClient(d.containerName);
  }
  throw new AppError(AzureErrorCodes.AZURE, `Datastore ${d.name} uses ${secrets.secretsType} credentials; Preflight uploads with an account key or SAS only. Register the model from a datastore with an account key, or use \`az ml model create\`.`);
}

interface LocalFile {
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

async function listFiles(root: string): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 32) throw new AppError(ErrorCodes.TOO_DEEP, `The model folder nests deeper than 32 levels at ${dir}.`);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === '__pycache__') continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs, depth + 1);
      else if (entry.isFile()) {
        const st = await stat(abs);
        out.push({ rel: relative(root, abs).split(sep).join('/'), abs, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
        if (out.length > MAX_FILES) throw new AppError(ErrorCodes.TOO_MANY_FILES, `The model folder has more than ${MAX_FILES} files; that is not a model Azure ML can load quickly.`);
      }
    }
  };
  await walk(root, 0);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/*
 * The content hash naming `LocalUpload/<hash>`: SHA-256 (truncated to 32 hex digits, the length of the CLI's
 * md5 names) over each file's path, size and SHA-256 — several times faster than md5 where the CPU has SHA
 * extensions, and nothing outside Preflight needs to recompute it.
 */
export async function uploadModelFolder(input: {
  folder: string;
  datastore: Datastore;
  secrets: DatastoreSecrets;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** Storage retry delay base (default 1000 ms; tests use less). */
  retryDelayMs?: number;
  /** Hashes of files seen before (default: none remembered). */
  hashes?: UploadHashCache;
}): Promise<UploadResult> {
  const files = await listFiles(input.folder);
  if (files.length === 0) throw new AppError(ErrorCodes.NOT_A_MODEL, `The model folder ${input.folder} is empty.`);
  const hashes = input.hashes ?? new UploadHashCache(null);
  const container = containerFor(input.datastore, input.secrets, input.retryDelayMs ?? 1000);
  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  const sums = new Map<string, string>();
  const stagedAt = new Map<string, string>();
  for (const f of files) {
    const known = await hashes.get(UploadHashCache.key(f));
    if (!known) continue;
    sums.set(f.rel, known.sha256);
    if (known.staged) stagedAt.set(f.rel, known.staged);
  }
  let uploadedBytes = 0;
  const progress = (file: string, done: number): void => input.onProgress?.({ file, uploadedBytes: uploadedBytes + done, totalBytes });
  try {
    // Stream once: a file never hashed before is read one time — hashed and sent to a staging blob on the
    // way — instead of a hashing pass and then an upload pass. Its final name needs the folder's hash, so it
    // reaches `LocalUpload/<hash>/…` by a server-side copy (no bytes sent again).
    const stagingRoot = `LocalUpload/.preflight-staging/${randomUUID()}`;
    for (const f of files) {
      if (sums.has(f.rel)) continue;
      const name = `${stagingRoot}/${f.rel}`;
      const sum = await withRetries(f.rel, input, () => stageFile(container.getBlockBlobClient(name), f.abs, f.size, input.signal, (done) => progress(f.rel, done)));
      sums.set(f.rel, sum);
      stagedAt.set(f.rel, name);
      await hashes.set(UploadHashCache.key(f), { sha256: sum, staged: name });
      uploadedBytes += f.size;
    }
    const folderHash = createHash('sha256');
    for (const f of files) folderHash.update(`${f.rel}\0${f.size}\0${sums.get(f.rel)}\n`);
    const path = `LocalUpload/${folderHash.digest('hex').slice(0, 32)}/${basename(input.folder)}`;
    const marker = container.getBlockBlobClient(`${path}/${files[0]!.rel}`);
    const markerProps = await marker.getProperties().catch(() => null);
    if (markerProps?.metadata?.upload_status !== 'completed') {
      for (const f of files) {
        const sum = sums.get(f.rel)!;
        const blob = container.getBlockBlobClient(`${path}/${f.rel}`);
        const existing = await blob.getProperties().catch(() => null);
        if (existing && existing.contentLength === f.size && existing.metadata?.preflight_sha256 === sum) continue;
        const staged = stagedAt.get(f.rel);
        if (staged && (await copyStaged(container.getBlockBlobClient(staged), blob, sum, f.size, input.signal))) continue;
        await withRetries(f.rel, input, () =>
          blob.uploadFile(f.abs, { blockSize: UPLOAD_BLOCK_BYTES, maxSingleShotSize: UPLOAD_BLOCK_BYTES, concurrency: UPLOAD_CONCURRENCY, metadata: { preflight_sha256: sum }, abortSignal: input.signal, onProgress: (e) => progress(f.rel, e.loadedBytes) }),
        );
        uploadedBytes += f.size;
      }
      // The completion mark goes last, so an interrupted upload is never taken for a complete one.
      await marker.setMetadata({ upload_status: 'completed', preflight_sha256: sums.get(files[0]!.rel)! });
    }
    // Everything is in place: staging blobs go (best effort; a leftover only costs storage).
    for (const f of files) {
      const staged = stagedAt.get(f.rel);
      if (!staged) continue;
      await container.getBlockBlobClient(staged).deleteIfExists().catch(() => undefined);
      await hashes.set(UploadHashCache.key(f), { sha256: sums.get(f.rel)! });
    }
    return { path, uploadedBytes, totalBytes, files: files.length, reused: markerProps?.metadata?.upload_status === 'completed' };
  } finally {
    await hashes.save().catch(() => undefined);
  }
}

/** Up to 3 attempts per file (each with the SDK's own block retries); a cancel stops at once. */
async function withRetries<T>(rel: string, input: { signal?: AbortSignal; datastore: Datastore }, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (input.signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, 'Upload cancelled; the next registration resumes where it stopped.');
      if (attempt >= 3) throw new AppError(AzureErrorCodes.AZURE, `Uploading ${rel} to datastore ${input.datastore.name} failed after ${attempt} attempts: ${(err as Error).message}. Run the registration again: files already uploaded are not sent twice.`, { cause: err });
    }
  }
}

/** Reads the file once: every chunk is hashed and goes on to the staging blob. Returns the SHA-256. */
async function stageFile(blob: BlockBlobClient, abs: string, size: number, signal: AbortSignal | undefined, onProgress: (done: number) => void): Promise<string> {
  if (size <= UPLOAD_BLOCK_BYTES) {
    // A small file is one read and one Put Blob, with its sum as metadata.
    const bytes = await readFile(abs);
    const sum = createHash('sha256').update(bytes).digest('hex');
    await blob.upload(bytes, bytes.length, { metadata: { preflight_sha256: sum }, abortSignal: signal, onProgress: (e) => onProgress(e.loadedBytes) });
    return sum;
  }
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const source = createReadStream(abs, { highWaterMark: 1024 * 1024 });
  source.on('error', (err) => tee.destroy(err));
  source.pipe(tee);
  await blob.uploadStream(tee, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, { abortSignal: signal, onProgress: (e) => onProgress(e.loadedBytes) });
  const sum = hash.digest('hex');
  await blob.setMetadata({ preflight_sha256: sum }, { abortSignal: signal });
  return sum;
}

/** Server-side copy of a staged blob to its final name; false when the staged blob is gone or not this content. */
async function copyStaged(staged: BlockBlobClient, target: BlockBlobClient, sum: string, size: number, signal?: AbortSignal): Promise<boolean> {
  const props = await staged.getProperties().catch(() => null);
  if (!props || props.contentLength !== size || props.metadata?.preflight_sha256 !== sum) return false;
  // Same account: a SAS names the source when the client holds the account key; a SAS client's URL carries its own.
  const source = await staged.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) }).catch(() => staged.url);
  const poller = await target.beginCopyFromURL(source, { metadata: { preflight_sha256: sum }, abortSignal: signal, intervalInMs: 1000 });
  const result = await poller.pollUntilDone();
  return result.copyStatus === 'success';
}
