/**
 * Uploads a local MLflow model folder to the workspace's default datastore the way `az ml model create`
 * does (azure.md §4): blobs under `LocalUpload/<content hash>/<folder name>/<relative path>`, then an
 * `upload_status: completed` mark. The same content registered again finds the mark and uploads nothing; an
 * upload cut short resumes file by file (a blob whose recorded hash matches is not sent again), and failed
 * blocks are retried by @azure/storage-blob's own retry policy (block-upload.ts sends each file).
 */
import { setMaxListeners } from 'node:events';
import { basename } from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential, newPipeline, type ContainerClient } from '@azure/storage-blob';
import { AppError, ErrorCodes } from '@shared/errors';
import type { Datastore, DatastoreSecrets } from '../arm/ml-resources';
import { AzureErrorCodes } from '../http';
import { uploadFileInBlocks } from './block-upload';
import { hashModelFolder, type HashedFolder, type LocalFile } from './folder-hash';
import type { UploadHashCache } from './upload-hash-cache';

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

/**
 * Block size and parallel blocks of a big file: each block in flight is held in memory (block-upload.ts), so
 * this is also what an upload adds to the process (64 MiB). Eight in flight, as the bench's baseline: with four,
 * registrations on the loaded machine were slower in every round (1 GiB, load 10–11: ratio 1.45, each round
 * 1.04–1.75) — Azurite syncs every block to disk, and a lane waiting on that sync sends nothing. 4 MiB blocks were
 * slower too (twice the syncs and per-block reads). Peak RSS with eight: 175–188 MiB at 1 GiB (limit 256).
 */
export const UPLOAD_BLOCK_BYTES = 8 * 1024 * 1024;
export const UPLOAD_CONCURRENCY = 8;
/** Files up to one block go in one request each, this many at a time, beside the big files' blocks. */
const SMALL_FILE_LANES = 4;

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

export async function uploadModelFolder(input: {
  folder: string;
  datastore: Datastore;
  secrets: DatastoreSecrets;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** Storage retry delay base (default 1000 ms; tests use less). */
  retryDelayMs?: number;
  /** Sums of files hashed before (unchanged path, size, mtime, inode): not read again. */
  hashes?: UploadHashCache;
  /** The folder hashed already (hashModelFolder), e.g. while the caller asked ARM for the datastore. */
  hashed?: HashedFolder;
}): Promise<UploadResult> {
  const { files, sums, hash, totalBytes } = input.hashed ?? (await hashModelFolder(input.folder, { hashes: input.hashes, signal: input.signal }));
  const path = `LocalUpload/${hash}/${basename(input.folder)}`;
  const container = containerFor(input.datastore, input.secrets, input.retryDelayMs ?? 1000);
  const marker = container.getBlockBlobClient(`${path}/${files[0]!.rel}`);
  const markerProps = await marker.getProperties({ abortSignal: input.signal }).catch(() => null);
  if (markerProps?.metadata?.upload_status === 'completed') return { path, uploadedBytes: 0, totalBytes, files: files.length, reused: true };

  const sent = new Map<string, number>();
  const progress = (file: string, bytes: number): void => {
    sent.set(file, bytes);
    let uploadedBytes = 0;
    for (const b of sent.values()) uploadedBytes += b;
    input.onProgress?.({ file, uploadedBytes, totalBytes });
  };
  // One failed file stops the others (and a cancel stops them all); nothing goes on after this function returns.
  const stop = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, stop.signal]) : stop.signal;
  // The SDK listens on it once per block in flight (several files at once): more than Node's default warning level.
  setMaxListeners(0, signal);
  const sendFile = async (f: LocalFile): Promise<void> => {
    const blob = container.getBlockBlobClient(`${path}/${f.rel}`);
    const existing = await blob.getProperties({ abortSignal: signal }).catch(() => null);
    if (existing && existing.contentLength === f.size && existing.metadata?.preflight_sha256 === sums.get(f.rel)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await uploadFileInBlocks(blob, f.abs, f.size, {
          blockBytes: UPLOAD_BLOCK_BYTES,
          concurrency: UPLOAD_CONCURRENCY,
          metadata: { preflight_sha256: sums.get(f.rel)! },
          abortSignal: signal,
          onProgress: (loaded) => progress(f.rel, loaded),
        });
        progress(f.rel, f.size);
        return;
      } catch (err) {
        if (signal.aborted) throw err;
        if (attempt >= 3) throw new AppError(AzureErrorCodes.AZURE, `Uploading ${f.rel} to datastore ${input.datastore.name} failed after ${attempt} attempts: ${(err as Error).message}. Run the registration again: files already uploaded are not sent twice.`, { cause: err });
      }
    }
  };
  // Big files one after another (each already sends UPLOAD_CONCURRENCY blocks at once), largest first; small
  // files beside them, so their round trips hide behind the big file's blocks instead of adding up.
  const big = files.filter((f) => f.size > UPLOAD_BLOCK_BYTES).sort((a, b) => b.size - a.size);
  const small = files.filter((f) => f.size <= UPLOAD_BLOCK_BYTES);
  const lane = async (queue: LocalFile[]): Promise<void> => {
    for (let f = queue.shift(); f && !signal.aborted; f = queue.shift()) await sendFile(f);
  };
  let failure: unknown = null;
  await Promise.all(
    [lane(big), ...Array.from({ length: SMALL_FILE_LANES }, () => lane(small))].map((p) =>
      p.catch((err: unknown) => {
        // The first failure is the one to report; the others are only the abort it caused.
        failure ??= err;
        stop.abort();
      }),
    ),
  );
  if (input.signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, 'Upload cancelled; the next registration resumes where it stopped.');
  if (failure) throw failure;
  // The completion mark goes last, so an interrupted upload is never taken for a complete one.
  await marker.setMetadata({ upload_status: 'completed', preflight_sha256: sums.get(files[0]!.rel)! });
  let uploadedBytes = 0;
  for (const b of sent.values()) uploadedBytes += b;
  return { path, uploadedBytes, totalBytes, files: files.length, reused: false };
}
