import type { DialogPort } from '../ports/dialogs';

/**
 * A DialogPort for hosts without native dialogs. With a scripted list (E2E: `--dialog-paths` or
 * PREFLIGHT_DIALOG_PATHS) it answers each pick with the next path, then "cancelled"; without one it reports
 * that no dialog exists, so `model.pickFolder` fails with E_ENVIRONMENT and the UI offers a path field.
 */
export function scriptedDialogs(paths: readonly string[] | null): DialogPort {
  if (!paths || paths.length === 0) return { available: false, pickFolder: () => Promise.resolve(null) };
  const queue = [...paths];
  return { available: true, pickFolder: () => Promise.resolve(queue.shift() ?? null), pickFile: () => Promise.resolve(queue.shift() ?? null) };
}
