import type { PythonInterpreterSetting } from '../../services/runner/python/python-interpreter-setting';
import type { Handlers } from '../dispatch';

/**
 * `settings.*`: the Python interpreter the Python engine tries first. Probing and saving live in
 * `PythonInterpreterSetting`; the runner and batch read it on their next model load.
 */
export function settingsHandlers(deps: { python: Pick<PythonInterpreterSetting, 'describe' | 'set'> }): Handlers['settings'] {
  const { python } = deps;
  return {
    getPythonInterpreter: async () => python.describe(),
    setPythonInterpreter: async ({ path }) => python.set(path),
  };
}
