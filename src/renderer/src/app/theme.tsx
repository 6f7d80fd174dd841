import { useEffect, useState } from 'react';
import type { ThemeSetting } from '@shared/ipc/contract';
import type { ClientApi } from '@shared/ipc/create-api';

/**
 * Light/dark (issue 10): follows the OS unless the user overrides it; the choice is kept by the host (app store),
 * so it survives restarts in Electron and in browser mode alike. The resolved theme goes on <html data-theme>,
 * which app.css keys its colours on.
 */

const DARK_QUERY = '(prefers-color-scheme: dark)';

export function resolveTheme(setting: ThemeSetting, osDark: boolean): 'light' | 'dark' {
  return setting === 'system' ? (osDark ? 'dark' : 'light') : setting;
}

function apply(setting: ThemeSetting): () => void {
  const media = window.matchMedia(DARK_QUERY);
  const set = (): void => {
    const theme = resolveTheme(setting, media.matches);
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.themeSetting = setting;
  };
  set();
  media.addEventListener('change', set);
  return () => media.removeEventListener('change', set);
}

export function ThemeSwitch({ api, connected }: { api: Pick<ClientApi, 'theme'>; connected: boolean }) {
  const [setting, setSetting] = useState<ThemeSetting>('system');
  useEffect(() => apply(setting), [setting]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    api.theme.get({}).then(
      (r) => live && setSetting(r.theme),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, connected]);
  return (
    <label className="theme-switch" title="Colour theme: follow the OS, or always light / dark">
      <span className="sr-only">Theme</span>
      <select
        className="theme-select"
        data-testid="theme-select"
        aria-label="Theme"
        value={setting}
        onChange={(e) => {
          const theme = e.target.value as ThemeSetting;
          setSetting(theme);
          void api.theme.set({ theme }).catch(() => undefined);
        }}
      >
        <option value="system">Theme: system</option>
        <option value="light">Theme: light</option>
        <option value="dark">Theme: dark</option>
      </select>
    </label>
  );
}
