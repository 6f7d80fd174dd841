export type AppState = 'ready' | 'loading' | 'error';

/**
 * The `data-app-state` attribute on <body>: E2E tests (and anyone scripting the app) wait on it instead of sleeping.
 * 'loading' while something the user asked for is on its way, 'error' when the main view shows a failure.
 */
export function setAppState(state: AppState): void {
  document.body.dataset.appState = state;
}
