import { useState, type ReactNode } from 'react';
import { clipLongLines } from '@shared/text/clip-lines';
import { Badge } from '../../../components/ui/Badge';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { RichText } from '../../../components/ui/RichText';
import { useRun } from '../hooks/run-store-context';
import { curlCommand, notStartingWarning, SERVERS, serverFor, versionChange, type CurlRequest, type Server } from '../store/selectors';

function CopyUrl({ url }: { url: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(url);
      setState('done');
    } catch {
      // Clipboard access can be denied; the URL is selectable text next to the button.
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button type="button" className="btn btn-small" data-testid="copy-url" onClick={() => void copy()}>
      {state === 'done' ? 'Copied' : state === 'failed' ? 'Copy failed — select the URL' : 'Copy URL'}
    </button>
  );
}

/**
 * The local scoring server for this model and profile: start/stop, URL, "Copy key" (the key goes to the clipboard
 * inside the host; it never reaches this page), a curl command sending the playground's request, and the live
 * request log. A server that only looks fine says so: the real server would not start with its MLflow version, or the
 * playground has moved to another version since it started (a server keeps the version it started with).
 */
export function ServerPanel({
  requestFor,
  picker,
  mlflowVersion,
  emulatedVersion,
}: {
  requestFor(server: Server, servedVersion: string): CurlRequest | null;
  picker: ReactNode;
  /** The playground's choice (null: the pin): what Start and Restart serve. */
  mlflowVersion: string | null;
  /** The version the playground emulates now, resolved (null while unknown): a server on another one is out of date. */
  emulatedVersion: string | null;
}) {
  const modelPath = useRun((s) => s.modelPath);
  const server = useRun((s) => s.server);
  const servers = useRun((s) => s.servers);
  const logs = useRun((s) => s.logs);
  const clipboard = useRun((s) => s.clipboard);
  const action = useRun((s) => s.serverAction);
  const stoppedNotice = useRun((s) => s.stoppedNotice);
  const startServer = useRun((s) => s.startServer);
  const stopServer = useRun((s) => s.stopServer);
  const copyKey = useRun((s) => s.copyKey);
  const restartServer = useRun((s) => s.restartServer);
  const info = serverFor(servers, modelPath, server);
  const profile = SERVERS.find((s) => s.id === server)!;
  const log = info ? (logs[info.id] ?? []) : [];
  const request = info ? requestFor(info.server, info.mlflowVersion) : null;
  const notStarting = info ? notStartingWarning(info) : null;
  const changed = info ? versionChange(info, emulatedVersion) : null;

  return (
    <section className="card run-server" data-testid="server-panel" data-running={info ? 'true' : 'false'} aria-label="Local server">
      <div className="run-server-head">
        <h3>Local server</h3>
        {picker}
        <span className="muted small">
          {profile.label} profile on 127.0.0.1 ({profile.route}){server === 'azureml' ? ', key auth' : ', no auth'}
        </span>
        <span className="run-spacer" />
        {info ? (
          <button type="button" className="btn" data-testid="server-stop" disabled={action.status !== 'idle'} onClick={() => void stopServer(info.id)}>
            {action.status === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="button" className="btn btn-primary" data-testid="server-start" disabled={action.status !== 'idle' || modelPath === null} onClick={() => void startServer(mlflowVersion)}>
            {action.status === 'starting' ? 'Starting…' : 'Start server'}
          </button>
        )}
      </div>

      {stoppedNotice ? (
        <p className="callout callout-info" role="status">
          {stoppedNotice}
        </p>
      ) : null}
      {action.error ? <ErrorPanel title="The server could not start or stop" error={action.error} /> : null}

      {info ? (
        <>
          <div className="run-server-url">
            <code className="mono" data-testid="server-url">
              {info.url}
              {profile.route}
            </code>
            <CopyUrl url={`${info.url}${profile.route}`} />
            <Badge tone="muted">{info.engine === 'onnx' ? 'ONNX' : 'Python'}</Badge>
            <Badge tone="muted">MLflow {info.mlflowVersion}</Badge>
          </div>
          {changed ? (
            <div className="callout callout-info run-version-change" role="status" data-testid="server-version-changed">
              <span>
                This server still emulates MLflow {changed.running}; the playground now emulates MLflow {changed.wanted}. Restart it to serve that version.
              </span>
              <button type="button" className="btn btn-small" data-testid="server-restart" disabled={action.status !== 'idle'} onClick={() => void restartServer(info.id, mlflowVersion)}>
                Restart with MLflow {changed.wanted}
              </button>
            </div>
          ) : null}
          {notStarting ? (
            <div className="callout run-warning" role="alert" data-testid="server-would-not-start">
              <strong>{notStarting.title}.</strong> {notStarting.effect}
              <p className="small">
                <RichText text={notStarting.reason} />
              </p>
              {/* When the playground is on the pin already, the restart above is the way out. */}
              {changed !== null && changed.wanted === info.wouldNotStart?.pinnedStarts ? null : (
                <p className="small" data-testid="server-would-not-start-todo">
                  <RichText text={notStarting.todo} />
                </p>
              )}
              <details className="small">
                <summary>What the real server&apos;s log shows</summary>
                <code className="mono">{notStarting.log}</code>
              </details>
            </div>
          ) : null}
          {info.server === 'azureml' ? (
            <div className="run-server-key">
              <span>
                Key <code>{info.keyHint}</code>
              </span>
              <button
                type="button"
                className="btn btn-small"
                data-testid="copy-key"
                disabled={!clipboard?.available}
                title={clipboard?.available ? 'Put the key on the clipboard' : (clipboard?.reason ?? undefined)}
                onClick={() => void copyKey(info.id)}
              >
                Copy key
              </button>
              {clipboard && !clipboard.available ? (
                <span className="muted small" data-testid="copy-key-unavailable">
                  {clipboard.reason}
                </span>
              ) : null}
              {action.keyMessage ? (
                <span className="small" role="status" data-testid="copy-key-message">
                  {action.keyMessage}
                </span>
              ) : null}
            </div>
          ) : null}
          {request?.from === 'restart' ? (
            <p className="text-warning small" data-testid="server-restart-note">
              No curl line: {request.note}
            </p>
          ) : (
            <CodeBlock
              code={curlCommand(info, request?.body ?? '', request?.contentType.trim() || 'application/json')}
              label={`curl — ${request?.from === 'example' ? `the input example in ${profile.label}'s form (the playground's request is in a form this server does not read)` : "the playground's request"}${info.server === 'azureml' ? '; set PREFLIGHT_KEY to the key first' : ''}`}
              testId="server-curl"
            />
          )}
          <div>
            <h3 className="row-gap">
              Requests <Badge tone="muted">{log.length}</Badge>
            </h3>
            {log.length === 0 ? (
              <p className="muted small">No requests yet. Newest first; the last 200 are kept.</p>
            ) : (
              <table className="run-log" data-testid="server-log" aria-label="Request log, newest first">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Method</th>
                    <th scope="col">Path</th>
                    <th scope="col">Status</th>
                    <th scope="col">ms</th>
                  </tr>
                </thead>
                <tbody>
                  {log.map((l, i) =>
                    l.error !== undefined ? (
                      // The model process crashed or hung and was restarted: no request line, the reason instead.
                      <tr key={`${l.time}-${log.length - i}`} data-testid="server-log-line" data-status="crash" className="run-log-crash">
                        <td className="mono">{l.time.slice(11, 23)}</td>
                        <td colSpan={4} className="text-error">
                          {clipLongLines(l.error)}
                        </td>
                      </tr>
                    ) : (
                    <tr key={`${l.time}-${log.length - i}`} data-testid="server-log-line" data-status={l.status} data-path={l.path}>
                      <td className="mono">{l.time.slice(11, 23)}</td>
                      <td>{l.method}</td>
                      <td className="mono">{l.path}</td>
                      <td className={l.status >= 500 ? 'text-error' : l.status >= 400 ? 'text-warning' : undefined}>{l.status}</td>
                      <td className="mono">{l.ms.toFixed(1)}</td>
                    </tr>
                    ),
                  )}
                </tbody>
              </table>
            )}
          </div>
        </>
      ) : (
        <p className="muted small">
          Serve this model as {server === 'azureml' ? 'an Azure ML online endpoint' : 'mlflow models serve'} for other tools (curl, your app, tests). It answers exactly
          as the playground&apos;s local:{server} target does.
        </p>
      )}
    </section>
  );
}
