/**
 * Uploads a local MLflow model folder to the workspace's default datastore the way `az ml model create`
 * does (azure.md §4): blobs under `LocalUpload/<content hash>/<folder name>/<relative path>`, then an
 * `upload_status: completed` mark. The same content registered again finds the mark and uploads nothing; an
 * upload cut short resumes file by file (a blob whose recorded hash matches is not sent again), and failed
 * blocks are retried by @azure/storage-blob's own retry policy.
 */
import { sha256File } from '../../files/sha256-file';
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential, newPipeline, type ContainerClient } from '@azure/storage-blob';
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
}): Promise<UploadResult> {
  const files = await listFiles(input.folder);
  if (files.length === 0) throw new AppError(ErrorCodes.NOT_A_MODEL, `The model folder ${input.folder} is empty.`);
  const sums = new Map<string, string>();
  const folderHash = createHash('sha256');
  for (const f of files) {
    const key = UploadHashCache.key(f);
    const sum = (await input.hashes?.get(key))?.sha256 ?? (await sha256File(f.abs, input.signal));
    await input.hashes?.set(key, { sha256: sum });
    sums.set(f.rel, sum);
    folderHash.update(`${f.rel}\0${f.size}\0${sum}\n`);
  }
  await input.hashes?.save().catch(() => undefined);
  const path = `LocalUpload/${folderHash.digest('hex').slice(0, 32)}/${basename(input.folder)}`;
  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  const container = containerFor(input.datastore, input.secrets, input.retryDelayMs ?? 1000);
  const marker = container.getBlockBlobClient(`${path}/${files[0]!.rel}`);
  const markerProps = await marker.getProperties().catch(() => null);
  if (markerProps?.metadata?.upload_status === 'completed') return { path, uploadedBytes: 0, totalBytes, files: files.length, reused: true };

  let uploadedBytes = 0;
  for (const f of files) {
    const blob = container.getBlockBlobClient(`${path}/${f.rel}`);
    const existing = await blob.getProperties().catch(() => null);
    if (existing && existing.contentLength === f.size && existing.metadata?.preflight_sha256 === sums.get(f.rel)) continue;
    let done = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await blob.uploadFile(f.abs, {
          blockSize: UPLOAD_BLOCK_BYTES,
          maxSingleShotSize: UPLOAD_BLOCK_BYTES,
          concurrency: UPLOAD_CONCURRENCY,
          metadata: { preflight_sha256: sums.get(f.rel)! },
          abortSignal: input.signal,
          onProgress: (e) => {
            done = e.loadedBytes;
            input.onProgress?.({ file: f.rel, uploadedBytes: uploadedBytes + done, totalBytes });
          },
        });
        break;
      } catch (err) {
        if (input.signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, 'Upload cancelled; the next registration resumes where it stopped.');
        if (attempt >= 3) throw new AppError(AzureErrorCodes.AZURE, `Uploading ${f.rel} to datastore ${input.datastore.name} failed after ${attempt} attempts: ${(err as Error).message}. Run the registration again: files already uploaded are not sent twice.`, { cause: err });
      }
    }
    uploadedBytes += f.size;
  }
  // The completion mark goes last, so an interrupted upload is never taken for a complete one.
  await marker.setMetadata({ upload_status: 'completed', preflight_sha256: sums.get(files[0]!.rel)! });
  return { path, uploadedBytes, totalBytes, files: files.length, reused: false };
}
