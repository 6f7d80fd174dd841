/**
 * Saved playground requests as plain files (issue 10 "saved collections"): one `<name>.request.json` per request in
 * a folder the user picks, so a team can keep them in git. The file is pretty-printed with a stable key order and
 * the body split into lines (a diff shows the line that changed); a secret header's value is never written.
 */
import { readdir, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isSecretHeader } from '@shared/compare/targets';
import { AppError, ErrorCodes } from '@shared/errors';
import { COLLECTION_FILE_SUFFIX, SavedRequestSchema, type SavedRequestData } from '@shared/ipc/collections-contract';
import { writeFileAtomic } from '../store/atomic-file';
import { readRegularTextFile } from '../model/safe-fs';
import type { CollectionListData } from '@shared/ipc/collections-contract';

const FORMAT = 'preflight-request';
/** A saved request holds a body of at most 64 MiB (the playground's limit), escaped as JSON lines: room for that, no more. */
const MAX_REQUEST_FILE_BYTES = 160 * 1024 * 1024;

/**
 * What is on disk: the request with its body as lines. Keys this build does not know are left out, not refused:
 * a file a newer Preflight wrote (as `mlflowVersion` and `model` were added) still opens, with what this one reads.
 */
const FileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  name: z.string(),
  contentType: z.string().nullable(),
  targets: SavedRequestSchema.shape.targets,
  headers: SavedRequestSchema.shape.headers,
  tolerance: SavedRequestSchema.shape.tolerance,
  /** Written only when a version other than the model's pin was chosen (files without it are the pin's). */
  mlflowVersion: SavedRequestSchema.shape.mlflowVersion,
  /** The model it was saved for; files written before it was recorded have none and open as before. */
  model: SavedRequestSchema.shape.model,
  body: z.array(z.string()),
});

/** A file name from a request name: letters, digits, `-` and `_`; everything else becomes `-`. */
export function fileNameOf(name: string): string {
  const slug = name.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `${slug || 'request'}${COLLECTION_FILE_SUFFIX}`;
}

/** The text written: stable key order, two-space indent, one array element per body line, a final newline. */
export function serializeRequest(r: SavedRequestData): { text: string; secretsLeftOut: string[] } {
  const secretsLeftOut: string[] = [];
  const headers = r.headers.map((h) => {
    if (h.value !== null && isSecretHeader(h.name)) {
      secretsLeftOut.push(h.name);
      return { name: h.name, value: null };
    }
    return { name: h.name, value: h.value };
  });
  const file: z.infer<typeof FileSchema> = {
    format: FORMAT,
    version: 1,
    name: r.name.trim(),
    contentType: r.contentType,
    targets: r.targets,
    headers,
    tolerance: r.tolerance,
    ...(r.mlflowVersion ? { mlflowVersion: r.mlflowVersion } : {}),
    ...(r.model ? { model: { folder: r.model.folder, modelUuid: r.model.modelUuid, signature: r.model.signature } } : {}),
    body: r.body.split('\n'),
  };
  return { text: `${JSON.stringify(file, null, 2)}\n`, secretsLeftOut };
}

function checkedFile(folder: string, file: string): string {
  if (file.includes('/') || file.includes('\\') || file === '..' || !file.endsWith(COLLECTION_FILE_SUFFIX)) {
    throw new AppError(ErrorCodes.INVALID_INPUT, `"${file}" is not a saved request's file name (a plain name ending in ${COLLECTION_FILE_SUFFIX}).`);
  }
  return join(folder, file);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readRequest(path: string): Promise<SavedRequestData> {
  return (await readRequestFile(path)).request;
}

/** The request in `path`, and the file's JSON as it is (with any key a newer build wrote, for a rename to keep). */
async function readRequestFile(path: string): Promise<{ request: SavedRequestData; raw: Record<string, unknown> }> {
  let text: string;
  try {
    // Non-blocking and size-checked: a FIFO named *.request.json hung the list, a 2 GB one filled memory.
    text = await readRegularTextFile(path, path, MAX_REQUEST_FILE_BYTES);
  } catch (err) {
    const code = ((err as { cause?: NodeJS.ErrnoException }).cause ?? (err as NodeJS.ErrnoException)).code;
    if (code === 'ENOENT') throw new AppError(ErrorCodes.NOT_FOUND, `${path} no longer exists (moved or deleted since the folder was listed); Open folder again to see what it holds now.`, { details: { file: path } });
    throw err;
  }
  let parsed: z.infer<typeof FileSchema>;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
    parsed = FileSchema.parse(raw);
  } catch (err) {
    const why = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ') : (err as Error).message;
    throw new AppError(ErrorCodes.INVALID_FILE, `${path} is not a saved Preflight request (${why}).`, { details: { file: path } });
  }
  const request: SavedRequestData = {
    name: parsed.name,
    body: parsed.body.join('\n'),
    contentType: parsed.contentType,
    targets: parsed.targets,
    headers: parsed.headers,
    tolerance: parsed.tolerance,
    ...(parsed.mlflowVersion ? { mlflowVersion: parsed.mlflowVersion } : {}),
    ...(parsed.model ? { model: parsed.model } : {}),
  };
  return { request, raw };
}

export class RequestCollections {
  async list(folderIn: string): Promise<CollectionListData> {
    const folder = resolve(folderIn);
    let names: string[];
    try {
      names = (await readdir(folder)).filter((n) => n.endsWith(COLLECTION_FILE_SUFFIX)).sort();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // the same words as Save's: what is wrong and what to do, not the errno
      if (code === 'ENOENT') throw new AppError(ErrorCodes.NOT_FOUND, `The collection folder ${folder} does not exist; create it or choose another.`, { details: { folder } });
      throw new AppError(ErrorCodes.UNREADABLE, `The collection folder ${folder} cannot be read (${code ?? (err as Error).message}); check its permissions.`, { details: { folder } });
    }
    const entries: CollectionListData['entries'] = [];
    const problems: string[] = [];
    for (const file of names) {
      const path = join(folder, file);
      try {
        const [r, s] = await Promise.all([readRequest(path), stat(path)]);
        entries.push({ file, name: r.name, targets: r.targets.length, modified: s.mtime.toISOString(), model: r.model ?? null });
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    return { folder, entries, problems };
  }

  async open(folder: string, file: string): Promise<SavedRequestData> {
    return readRequest(checkedFile(resolve(folder), file));
  }

  async save(folderIn: string, request: SavedRequestData, overwrite: boolean): Promise<{ file: string; secretsLeftOut: string[] }> {
    const folder = resolve(folderIn);
    const s = await stat(folder).catch(() => null);
    if (!s?.isDirectory()) throw new AppError(ErrorCodes.NOT_FOUND, `The collection folder ${folder} does not exist; create it or choose another.`, { details: { folder } });
    const file = fileNameOf(request.name);
    const path = join(folder, file);
    if (!overwrite && (await exists(path))) throw new AppError(ErrorCodes.OUTPUT_EXISTS, `${file} already exists in ${folder}; save again to replace it, or choose another name.`, { details: { file: path } });
    const { text, secretsLeftOut } = serializeRequest(request);
    await writeFileAtomic(path, text);
    return { file, secretsLeftOut };
  }

  async rename(folderIn: string, file: string, name: string): Promise<{ file: string }> {
    const folder = resolve(folderIn);
    const from = checkedFile(folder, file);
    const { raw } = await readRequestFile(from);
    const next = fileNameOf(name);
    const to = join(folder, next);
    if (next !== file && (await exists(to))) throw new AppError(ErrorCodes.OUTPUT_EXISTS, `${next} already exists in ${folder}; choose another name.`, { details: { file: to } });
    // The name inside the file changes too; written first, then moved, so a crash leaves one complete file.
    // Only the name changes: every other key stays as written (one a newer build added too), in its place.
    await writeFileAtomic(from, `${JSON.stringify({ ...raw, name: name.trim() }, null, 2)}\n`);
    if (next !== file) await rename(from, to);
    return { file: next };
  }
}
