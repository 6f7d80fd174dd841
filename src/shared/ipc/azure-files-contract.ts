import { z } from 'zod';

/**
 * `azure.*` calls that put Azure's answers on this computer's disk for the Azure view (issue 8, UI part):
 * the exported Azure ML CLI v2 YAML saved into a folder the user chose, and a preview of a downloaded batch
 * job's predictions file. Both go through main, so browser mode's write confinement applies to them.
 */
const rpc = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) => ({ input, output, doc });
const Path = z.string().min(1).max(4096);
/** A plain file name (no folders): what `exportYaml`/`batchExportYaml` return as `name`. */
const FileName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\.)[\w.-]+$/, 'a plain file name: letters, digits, ".", "_" and "-", not starting with "."');

export const azureFilesMethods = {
  saveFiles: rpc(
    z.strictObject({ folder: Path, files: z.array(z.strictObject({ name: FileName, content: z.string().max(4 * 1024 * 1024) })).min(1).max(50), overwrite: z.boolean().optional() }),
    z.strictObject({ folder: z.string(), written: z.array(z.string()) }),
    'Write exported YAML files into folder (created when missing), each atomically (temp file + rename). Errors: E_OUTPUT_EXISTS (details.file, details.existing: every name already there) unless overwrite — nothing is written then; E_FORBIDDEN in browser mode outside granted folders.',
  ),
  batchPreview: rpc(
    z.strictObject({ path: Path, rows: z.number().int().min(1).max(500).optional() }),
    z.strictObject({ path: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.string())), totalRows: z.number().nullable(), bytes: z.number() }),
    'The header and first rows (default 20) of a downloaded predictions .csv file; totalRows is null when the file is larger than the part read. Errors: E_NOT_FOUND, E_INVALID_INPUT (not a .csv file), E_FORBIDDEN in browser mode outside granted folders.',
  ),
} as const;
