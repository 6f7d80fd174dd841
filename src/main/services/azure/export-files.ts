/**
 * Saves the exported Azure ML CLI v2 YAML (`exportYaml`, `batchExportYaml`) into a folder the user chose, so
 * it can go into git. All-or-nothing on conflicts: when any file exists already and the user did not agree to
 * replace, nothing is written (a half-replaced set of YAML files would mix two exports).
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { CallOutput } from '@shared/ipc/contract';
import { writeFileAtomic } from '../store/atomic-file';
import type { YamlFile } from './export-yaml';

export async function saveExportFiles(folderIn: string, files: readonly YamlFile[], overwrite = false): Promise<CallOutput<'azure', 'saveFiles'>> {
  const folder = resolve(folderIn);
  for (const f of files) {
    // The contract checks names too; this keeps the service safe for any other caller.
    if (basename(f.name) !== f.name || f.name.startsWith('.')) throw new AppError(ErrorCodes.INVALID_INPUT, `"${f.name}" is not a plain file name; export files are written directly into the chosen folder.`);
  }
  const info = await stat(folder).catch(() => null);
  if (info && !info.isDirectory()) throw new AppError(ErrorCodes.INVALID_INPUT, `${folder} is a file; choose a folder to save the YAML files into.`);
  if (!overwrite && info) {
    const existing: string[] = [];
    for (const f of files) if (await stat(join(folder, f.name)).then(() => true, () => false)) existing.push(f.name);
    if (existing.length > 0) {
      throw new AppError(ErrorCodes.OUTPUT_EXISTS, `${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'} in ${folder}; save again to replace ${existing.length === 1 ? 'it' : 'them'}, or choose another folder. Nothing was written.`, {
        details: { file: join(folder, existing[0]!), existing },
      });
    }
  }
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const f of files) {
    const path = join(folder, f.name);
    await writeFileAtomic(path, f.content);
    written.push(path);
  }
  return { folder, written };
}
