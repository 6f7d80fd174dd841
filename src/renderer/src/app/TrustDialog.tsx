import '../styles/trust-dialog.css';
import { useTrustPrompt } from '../lib/trust-prompt-store';

/**
 * Asks once before a model folder's code first runs (like VS Code's workspace trust): names the folder,
 * says why (a pickled model is a program), and remembers the answer through the host when trusted.
 */
export function TrustDialog() {
  const pending = useTrustPrompt((s) => s.pending);
  if (!pending) return null;
  return (
    <div className="modal-backdrop" data-testid="trust-dialog">
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="trust-title" aria-describedby="trust-why">
        <h2 id="trust-title">Trust this folder to run its code?</h2>
        <p className="mono" data-testid="trust-folder">
          {pending.folder}
        </p>
        <p id="trust-why">{pending.message}</p>
        <p>Inspecting and validating never run the model. ONNX models run without this question: onnxruntime does not run code from the file.</p>
        <div className="modal-actions">
          <button type="button" className="btn" data-testid="trust-cancel" onClick={() => pending.answer(false)} autoFocus>
            Don&apos;t run
          </button>
          <button type="button" className="btn btn-primary" data-testid="trust-accept" onClick={() => pending.answer(true)}>
            Trust folder and run
          </button>
        </div>
      </div>
    </div>
  );
}
