import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorPanel } from '../components/ui/ErrorPanel';
import { setAppState } from './app-state';

interface Props {
  /** What failed, for the panel title ("the Models view"). */
  area: string;
  children: ReactNode;
}
interface State {
  error: Error | null;
}

/**
 * A render bug in one area shows a panel there instead of blanking the window; the rest of the shell keeps working
 * and "Show again" retries the render (the store still holds the data).
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    setAppState('error');
    console.error(`Preflight: ${this.props.area} crashed while rendering`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <ErrorPanel
        title={`Something in ${this.props.area} failed to display`}
        error={{ code: 'E_RENDERER', message: error.message || String(error) }}
        hint="This is a bug in Preflight, not in your model. The developer console has the stack trace."
        actions={
          <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
            Show again
          </button>
        }
      />
    );
  }
}
