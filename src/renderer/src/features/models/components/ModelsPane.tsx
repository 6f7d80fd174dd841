import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { EmptyState } from '../../../components/ui/EmptyState';
import { useModels } from '../hooks/models-store-context';
import { errorHint } from '../store/selectors';
import { ModelView, type RenderWorkTab } from './ModelView';

/** The main pane: nothing yet, a model loading, its report, or why it could not be opened. */
export function ModelsPane({ renderWorkTab }: { renderWorkTab: RenderWorkTab }) {
  const view = useModels((s) => s.view);
  const open = useModels((s) => s.open);
  switch (view.status) {
    case 'idle':
      return (
        <EmptyState title="Open an MLflow model">
          Type or paste the path of a model folder (the one holding <code>MLmodel</code>) or an <code>.onnx</code> file above, pick one
          from the recent list, or drop a folder here.
        </EmptyState>
      );
    case 'loading':
      return (
        <div className="loading" role="status" data-testid="loading">
          <span className="spinner" aria-hidden="true" /> Inspecting <span className="mono">{view.path}</span>…
        </div>
      );
    case 'error':
      return (
        <ErrorPanel
          title={
            <>
              Could not open <span className="mono">{view.path}</span>
            </>
          }
          error={view.error}
          hint={errorHint(view.error.code)}
          actions={
            <button type="button" className="btn" onClick={() => void open(view.path)}>
              Try again
            </button>
          }
        />
      );
    case 'loaded':
      return <ModelView report={view.report} renderWorkTab={renderWorkTab} />;
  }
}
