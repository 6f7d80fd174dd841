import { ThemeSchema } from '@shared/ipc/contract';
import type { AppStore } from '../../services/store/app-store';
import type { Handlers } from '../dispatch';

const THEME_KEY = 'theme';

/** `theme.*`: the colour theme setting (system / light / dark), kept in the app store beside the other settings. */
export function themeHandlers(deps: { store: Pick<AppStore, 'getSetting' | 'setSetting'> }): Handlers['theme'] {
  return {
    // An unknown stored value (a hand-edited file, a later version's theme) falls back to following the OS.
    get: async () => ({ theme: ThemeSchema.catch('system').parse(deps.store.getSetting(THEME_KEY)) }),
    set: async ({ theme }) => {
      await deps.store.setSetting(THEME_KEY, theme);
      return { theme };
    },
  };
}
