import { existsSync } from 'node:fs';
import type { AppInfo } from '../../../shared/ipc/contract';
import type { Handlers } from '../dispatch';

export interface AppInfoSource {
  version: string;
  host: 'electron' | 'browser' | 'cli';
  sampleModelPath: string;
  initialModelPath: string | null;
  canPickFolder: boolean;
}

export function appHandlers(info: AppInfoSource): Handlers['app'] {
  return {
    info: async (): Promise<AppInfo> => ({
      version: info.version,
      host: info.host,
      // Checked per call: a dev checkout may not have generated the sample yet (`npm run sample`).
      sampleModelPath: existsSync(info.sampleModelPath) ? info.sampleModelPath : null,
      initialModelPath: info.initialModelPath,
      canPickFolder: info.canPickFolder,
    }),
  };
}
