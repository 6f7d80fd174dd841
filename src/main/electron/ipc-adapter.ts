import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ErrorCodes } from '@shared/errors';
import { eventChannel, methodEntries } from '@shared/ipc/channels';
import type { Result } from '@shared/ipc/result';
import type { AppEvents } from '../app/events';
import type { Dispatch } from '../ipc/dispatch';
import type { Logger } from '../ports/logger';
import { senderRefusal } from './sender-check';

/**
 * Electron transport: one `ipcMain.handle` per contract channel (from the manifest, never hand-written),
 * each checking the sender before `dispatch`, and the event fan-out to every window. Returns a disposer.
 */
export function installIpc(options: {
  dispatch: Dispatch;
  events: AppEvents;
  isAppUrl: (url: string) => boolean;
  log: Logger;
}): () => void {
  const { dispatch, events, isAppUrl, log } = options;
  const controllers = new WeakMap<WebContents, AbortController>();

  // One AbortController per page: calls in flight are cancelled when it reloads, navigates or closes.
  const signalFor = (contents: WebContents): AbortSignal => {
    let controller = controllers.get(contents);
    if (!controller) {
      const fresh = new AbortController();
      controller = fresh;
      controllers.set(contents, fresh);
      const abort = () => {
        fresh.abort();
        if (controllers.get(contents) === fresh) controllers.delete(contents);
      };
      contents.once('destroyed', abort);
      contents.once('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) abort();
      });
    }
    return controller.signal;
  };

  for (const { channel } of methodEntries) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      const refusal = senderRefusal(event.senderFrame, event.sender.mainFrame, isAppUrl);
      if (refusal) {
        log.warn(`refused ${channel}: ${refusal}`);
        return { ok: false, error: { code: ErrorCodes.FORBIDDEN, message: `Call refused: ${refusal}.` } };
      }
      return dispatch(channel, input, { senderId: `webContents:${event.sender.id}`, signal: signalFor(event.sender) });
    });
  }

  // Payloads were validated against the contract by AppEvents.emit before reaching here.
  const unsubscribe = events.subscribe((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(eventChannel(name), payload);
    }
  });

  return () => {
    unsubscribe();
    for (const { channel } of methodEntries) ipcMain.removeHandler(channel);
  };
}
