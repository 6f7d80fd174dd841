import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { setAppState } from './app/app-state';
import { ErrorBoundary } from './app/ErrorBoundary';
import { ErrorPanel } from './components/ui/ErrorPanel';
import { connectToHost } from './lib/api';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);
const connection = connectToHost(window);

if (connection.ok) {
  root.render(
    <StrictMode>
      <ErrorBoundary area="Preflight">
        <App host={connection.connection} />
      </ErrorBoundary>
    </StrictMode>,
  );
} else {
  setAppState('error');
  root.render(
    <div className="fatal">
      <ErrorPanel title="Preflight cannot reach its host" error={{ code: 'E_ENVIRONMENT', message: connection.reason }} />
    </div>,
  );
}
