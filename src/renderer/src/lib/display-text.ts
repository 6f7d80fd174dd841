/**
 * Text shown in a <pre> is laid out in full by the browser: 7 MB of pretty-printed JSON froze Chromium for 32 s
 * (measured at 1024 px, pre-wrap), so a 5 MB answer made the whole page unresponsive. The page shows a prefix;
 * Copy still takes the whole text.
 */
export const SHOWN_CHARS = 200_000;

/** Above this a JSON body is shown as sent: pretty-printing costs a parse and doubles the text. */
export const PRETTY_MAX_CHARS = 1_000_000;

export interface DisplayText {
  shown: string;
  /** The text's length in characters, when only a prefix is shown; null when all of it is. */
  clippedFrom: number | null;
}

export function displayText(text: string, limit = SHOWN_CHARS): DisplayText {
  if (text.length <= limit) return { shown: text, clippedFrom: null };
  // End at a line break when there is one near the limit, so the last shown line is whole.
  const cut = text.lastIndexOf('\n', limit);
  return { shown: text.slice(0, cut > limit * 0.9 ? cut : limit), clippedFrom: text.length };
}

/** "Showing the first 200 000 of 6 941 034 characters": what the clipped view says under it. */
export function clippedNote(d: DisplayText): string | null {
  if (d.clippedFrom === null) return null;
  const n = (x: number): string => x.toLocaleString('en-US').replace(/,/g, '\u202f');
  return `Showing the first ${n(d.shown.length)} of ${n(d.clippedFrom)} characters (the browser would freeze laying out all of it); Copy copies the whole text.`;
}
