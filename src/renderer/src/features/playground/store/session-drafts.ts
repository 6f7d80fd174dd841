/**
 * The playground's editor texts kept in the window's sessionStorage, so that a reload (F5 in browser mode, View →
 * Reload in the app) finds the request being written where it was: the store itself lives in the page's memory and
 * a reload used to lose it. Per window session only (closing the window drops them, as it drops the rest); header
 * values, which may be secrets, are never written here — only the texts and what was last loaded or sent.
 */

export interface KeptDrafts {
  drafts: Record<string, { body: string; contentType: string | null }>;
  baselines: Record<string, string>;
}

export interface DraftKeeper {
  read(): KeptDrafts;
  write(kept: KeptDrafts): void;
}

/** The storage's key; the version suffix lets a later shape ignore an older one instead of misreading it. */
export const DRAFTS_KEY = 'preflight.playground.drafts.v1';

const EMPTY: KeptDrafts = { drafts: {}, baselines: {} };

/** A keeper over `storage` (the window's sessionStorage), or one that keeps nothing when there is none. */
export function sessionDrafts(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined): DraftKeeper {
  if (!storage) return { read: () => EMPTY, write: () => undefined };
  return {
    read() {
      try {
        const text = storage.getItem(DRAFTS_KEY);
        return text === null ? EMPTY : validKept(JSON.parse(text));
      } catch {
        return EMPTY;
      }
    },
    write(kept) {
      try {
        storage.setItem(DRAFTS_KEY, JSON.stringify(kept));
      } catch {
        // Over the storage's quota (a few MB: a very large body): keep none rather than an older copy that a reload
        // would bring back over newer text.
        try {
          storage.removeItem(DRAFTS_KEY);
        } catch {
          /* nothing kept either way */
        }
      }
    },
  };
}

/** What was read, if it has the shape written; anything else (another version, a hand edit) reads as nothing kept. */
function validKept(v: unknown): KeptDrafts {
  if (!isRecord(v) || !isRecord(v.drafts) || !isRecord(v.baselines)) return EMPTY;
  const drafts: KeptDrafts['drafts'] = {};
  for (const [path, d] of Object.entries(v.drafts)) {
    if (isRecord(d) && typeof d.body === 'string' && (d.contentType === null || typeof d.contentType === 'string')) drafts[path] = { body: d.body, contentType: d.contentType };
  }
  const baselines: KeptDrafts['baselines'] = {};
  for (const [path, b] of Object.entries(v.baselines)) if (typeof b === 'string') baselines[path] = b;
  return { drafts, baselines };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
