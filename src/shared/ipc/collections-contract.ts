import { z } from 'zod';
import { TargetSpecSchema } from './compare-contract';

/**
 * `collections.*` (issue 10): saved playground requests as plain files in a folder the user picks — one pretty-printed
 * JSON file per request, the body kept line by line so a git diff shows the line that changed. A secret header's
 * value is never written: it is saved as null and asked for again after opening.
 */

export const COLLECTION_FILE_SUFFIX = '.request.json';

export const SavedHeaderSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** null: a secret (key, token, authorization…) left out of the file on purpose. */
  value: z.string().max(16384).nullable(),
});

/**
 * The model a request was saved for, so opening it for another model can say so (a body written for another
 * signature fails validation for reasons that are not in the body). Absent in files written before it existed.
 */
export const SavedForSchema = z.strictObject({
  /** The model folder's name (not its path: the file is shared through git, paths differ per machine). */
  folder: z.string().max(255),
  /** MLmodel's `model_uuid`, when it has one. */
  modelUuid: z.string().max(200).nullable(),
  /** A digest of the signature's inputs and params as MLmodel writes them (`signatureDigest`), null without a signature. */
  signature: z.string().max(100).nullable(),
});
export type SavedForData = z.infer<typeof SavedForSchema>;

export const SavedRequestSchema = z.strictObject({
  name: z.string().trim().min(1, 'name the request').max(120),
  body: z.string().max(16 * 1024 * 1024),
  contentType: z.string().nullable(),
  targets: z.array(TargetSpecSchema).max(8),
  headers: z.array(SavedHeaderSchema).max(50),
  tolerance: z.strictObject({ abs: z.number().nonnegative(), rel: z.number().nonnegative() }),
  /** The MLflow version the request was made for instead of the model's pin (absent or null: the pin; older files lack it). */
  mlflowVersion: z.string().nullable().optional(),
  /** The model it was saved for (absent: saved before Preflight recorded it, or with no model known). */
  model: SavedForSchema.nullable().optional(),
});
export type SavedRequestData = z.infer<typeof SavedRequestSchema>;

const Folder = z.string().min(1, 'choose a folder');
const FileName = z.string().min(1).max(255);

export const CollectionListInputSchema = z.strictObject({ folder: Folder });
export const CollectionListSchema = z.strictObject({
  folder: z.string(),
  entries: z.array(z.strictObject({ file: z.string(), name: z.string(), targets: z.number().int(), modified: z.string(), model: SavedForSchema.nullable() })),
  /** Files in the folder that look like saved requests but cannot be read (named, with why). */
  problems: z.array(z.string()),
});
export type CollectionListData = z.infer<typeof CollectionListSchema>;
export const CollectionOpenInputSchema = z.strictObject({ folder: Folder, file: FileName });
export const CollectionSaveInputSchema = z.strictObject({ folder: Folder, request: SavedRequestSchema, overwrite: z.boolean().default(false) });
export const CollectionSaveSchema = z.strictObject({ file: z.string(), secretsLeftOut: z.array(z.string()) });
export const CollectionRenameInputSchema = z.strictObject({ folder: Folder, file: FileName, name: z.string().trim().min(1).max(120) });
