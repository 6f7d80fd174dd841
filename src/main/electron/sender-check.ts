/** The parts of Electron's WebFrameMain the sender check reads; plain data so the rule is unit-tested without Electron. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
  readonly processId: number;
  readonly routingId: number;
}

/**
 * ARCHITECTURE §4.2 step 1: only the app's own top-level frame may call main. Returns why a call is
 * refused, or null when it may proceed. `senderFrame` is null when the frame navigated or was destroyed
 * before the message arrived.
 */
export function senderRefusal(senderFrame: FrameLike | null, mainFrame: FrameLike, isAppUrl: (url: string) => boolean): string | null {
  if (!senderFrame) return 'the calling frame is gone';
  if (senderFrame.parent !== null || senderFrame.processId !== mainFrame.processId || senderFrame.routingId !== mainFrame.routingId) {
    return 'calls are accepted from the main frame only';
  }
  if (!isAppUrl(senderFrame.url)) return `sender ${senderFrame.url.slice(0, 200)} is not the app`;
  return null;
}
