import { useRun } from '../hooks/run-store-context';
import { fallbackOrder, interpreterInUse } from '../store/selectors';

/**
 * The "Python interpreter" setting in the local runner (under the playground): which interpreter runs the model and
 * where it came from, a field to choose one (main probes it before saving) and Clear. For ONNX models it stays
 * folded away, since nothing there uses Python; otherwise it is open, because choosing another interpreter is
 * usually the fix when the environment lookup fails.
 */
export function PythonInterpreterControl() {
  const env = useRun((s) => s.environment);
  const setting = useRun((s) => s.pythonSetting);
  const setDraft = useRun((s) => s.setPythonDraft);
  const use = useRun((s) => s.usePythonInterpreter);
  const clear = useRun((s) => s.clearPythonInterpreter);

  const environment = env.status === 'loaded' ? env.environment : null;
  const onnx = environment?.engine === 'onnx';
  const inUse = interpreterInUse(environment);
  const value = setting.value;
  const saving = setting.status === 'saving';

  const body = (
    <div className="run-python" data-testid="python-setting" data-setting={value?.path ?? ''} data-status={setting.status}>
      {inUse ? (
        <p className="small" data-testid="python-in-use">
          In use: <code>{inUse.path}</code> (Python {inUse.version}), from {inUse.source}.
        </p>
      ) : null}
      <p className="small muted" data-testid="python-setting-current">
        {value === null ? (
          'Reading the setting…'
        ) : value.path === null ? (
          <>Setting: not set — Preflight uses {fallbackOrder(value.fallbacks)}.</>
        ) : (
          <>
            Setting: <code>{value.path}</code>
            {value.interpreter ? ` (Python ${value.interpreter.version})` : ''}. Clear it to use {fallbackOrder(value.fallbacks)}.
          </>
        )}
      </p>
      {value?.problem ? (
        <p className="text-warning small" data-testid="python-setting-problem" role="status">
          {value.problem}
        </p>
      ) : null}
      <form
        className="run-python-form"
        onSubmit={(e) => {
          e.preventDefault();
          void use();
        }}
      >
        <input
          className="input mono"
          data-testid="python-setting-input"
          aria-label="Python interpreter path"
          aria-invalid={setting.error !== null}
          aria-describedby={setting.error ? 'python-setting-error' : undefined}
          placeholder="/usr/bin/python3 or /path/to/.venv/bin/python"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          value={setting.draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="btn btn-small" data-testid="python-setting-use" disabled={saving || setting.draft.trim() === ''}>
          {saving ? 'Checking…' : 'Use'}
        </button>
        <button type="button" className="btn btn-small" data-testid="python-setting-clear" disabled={saving || !value?.path} onClick={() => void clear()}>
          Clear
        </button>
      </form>
      {setting.error ? (
        <p className="text-error small" id="python-setting-error" data-testid="python-setting-error" data-code={setting.error.code} role="alert">
          {setting.error.message}
        </p>
      ) : null}
    </div>
  );

  // ONNX models: folded away, saying why nothing here matters for this model.
  if (onnx) {
    return (
      <details className="run-python-details small" data-testid="python-setting-details">
        <summary className="muted">Python interpreter (not used by this model)</summary>
        {body}
      </details>
    );
  }
  return (
    <fieldset className="run-python-fieldset">
      <legend className="run-label">Python interpreter</legend>
      {body}
    </fieldset>
  );
}
