import { existsSync } from 'node:fs';
import type { AppInfo } from '@shared/ipc/contract';
import type { Handlers } from '../dispatch';

/** `app.info` as the host knows it: the bundled sample's path whether or not it exists yet. */
export type AppInfoSource = Omit<AppInfo, 'sampleModelPath'> & { sampleModelPath: string };

export function appHandlers(info: AppInfoSource): Handlers['app'] {
  return {
    // Checked per call: a dev checkout may not have generated the sample yet (`npm run sample`).
    info: async () => ({ ...info, sampleModelPath: existsSync(info.sampleModelPath) ? info.sampleModelPath : null }),
  };
}
