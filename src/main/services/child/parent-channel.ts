/**
 * The worker's side of its message channel, whichever launcher started it (ports/worker-process.ts):
 * `child_process.fork` gives the worker `process.send` / `process.on('message')`; Electron's
 * `utilityProcess.fork` gives it `process.parentPort` (MessagePortMain semantics: messages arrive as
 * `{ data }` events). Worker entries (onnx-worker-main.ts, file-worker-main.ts) talk only through this.
 */

/** Electron's `process.parentPort` in a utility process (typed here: services never import electron). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentChannel {
  /** Sends one message to the parent; `sent` runs once it left this process (or could not be sent). */
  send(message: object, sent?: () => void): void;
  onMessage(listener: (message: unknown) => void): void;
}

export function parentChannel(proc: NodeJS.Process = process): ParentChannel {
  const port = (proc as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (port) {
    // Electron ends a utility process with its parent: no disconnect to watch for.
    return {
      send(message, sent) {
        port.postMessage(message);
        if (sent) setImmediate(sent);
      },
      onMessage: (listener) => port.on('message', (event) => listener(event.data)),
    };
  }
  // The parent owns this process's life: an orphaned worker exits when the IPC channel closes.
  proc.on('disconnect', () => proc.exit(0));
  return {
    send(message, sent) {
      if (!proc.send) return sent?.();
      proc.send(message, undefined, {}, () => sent?.());
    },
    onMessage: (listener) => proc.on('message', (m: unknown) => listener(m)),
  };
}
