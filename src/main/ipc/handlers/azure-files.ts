import type { azureFilesMethods } from '@shared/ipc/azure-files-contract';
import { previewPredictions } from '../../services/azure/batch/predictions-preview';
import { saveExportFiles } from '../../services/azure/export-files';
import type { Handlers } from '../dispatch';

/** `azure.saveFiles` / `azure.batchPreview` (azure-files-contract.ts): exported YAML to disk, a predictions preview. */
export function azureFilesHandlers(): Pick<Handlers['azure'], keyof typeof azureFilesMethods> {
  return {
    saveFiles: ({ folder, files, overwrite }) => saveExportFiles(folder, files, overwrite ?? false),
    batchPreview: ({ path, rows }) => previewPredictions(path, rows),
  };
}
