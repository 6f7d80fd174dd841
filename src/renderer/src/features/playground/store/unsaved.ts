/**
 * "No lost work" in the playground: an action that puts other text in the editor (open a saved request or a past run,
 * fill from the example or a CSV, import from curl, apply the grid) first asks when the editor holds text the user
 * would lose — text that is neither what was last loaded into it, nor what was saved or sent (a body too large for the
 * history is not kept by a send). Opening a saved request or a past run and importing from curl also replace the
 * targets (and, but for a past run, the headers): they ask too when that takes away a target or a header the user
 * changed since the setup was last loaded, saved or sent (see `lostSetup`). Pure: the store keeps the baselines and asks.
 */

/** What a replacement would take away that the user has nowhere else; only the parts that differ are named. */
export interface Losing {
  /** The editor's text (not loaded, saved or sent). */
  text: boolean;
  /** The targets changed since they were kept, as the target list names them (`mlflow:http://…`, `local:mlflow (unchecked)`). */
  targets: string[];
  /** The names of the header rows typed since they were kept (never their values: they may be keys). */
  headers: string[];
}

export interface ReplaceAsk {
  /** The model whose editor would be replaced (a model switch withdraws the question). */
  modelPath: string;
  /** What would replace the text, in the words of the button that asked: "Fill from input example", "Open \"smoke\"". */
  what: string;
  losing: Losing;
}

/**
 * Whether replacing the editor's `body` loses something: it is not empty and differs from `baseline` (the text last
 * loaded, saved or sent; undefined when none was). `source`: the text the replacement was made from (the grid's),
 * which the replacement carries on — nothing is lost then either.
 */
export function losesText(body: string, baseline: string | undefined, source?: string | null): boolean {
  if (body.trim() === '') return false;
  if (source !== undefined && source !== null && body === source) return false;
  return body !== baseline;
}

/** The request's setup a replacement can take away: the targets (local checkboxes, URL rows, Azure targets) and the header rows. */
export interface Setup {
  local: { azureml: boolean; mlflow: boolean };
  urls: readonly { server: string; url: string }[];
  azureTargets: readonly { endpoint: string; deployment: string | null }[];
  headers: readonly { name: string; value: string }[];
}

/** The setup's parts as the keys `lostSetup` compares (a header's key holds its value: memory only, like the rows). */
export interface SetupKeys {
  targets: ReadonlySet<string>;
  headers: ReadonlySet<string>;
}

interface Item {
  key: string;
  label: string;
}

/** A header row as compared: its name (trimmed, any case: HTTP's) and its value. */
export function headerKey(name: string, value: string): string {
  return `${name.trim().toLowerCase()}\n${value}`;
}

function targetItems(s: Partial<Setup>): Item[] {
  // a checkbox is a choice both ways: unchecking local:mlflow is a change a replacement can undo
  const local = (s.local ? (['azureml', 'mlflow'] as const) : []).map((server) => ({
    key: `local:${server}=${s.local?.[server] ? 'on' : 'off'}`,
    label: s.local?.[server] ? `local:${server}` : `local:${server} (unchecked)`,
  }));
  // an empty URL row holds nothing typed
  const urls = (s.urls ?? []).flatMap((u) => (u.url.trim() ? [{ key: `${u.server}:${u.url.trim()}`, label: `${u.server}:${u.url.trim()}` }] : []));
  const azure = (s.azureTargets ?? []).map((a) => {
    const name = `azure:${a.endpoint}${a.deployment ? `/${a.deployment}` : ''}`;
    return { key: name, label: name };
  });
  return [...local, ...urls, ...azure];
}

function headerItems(headers: Setup['headers'] = []): Item[] {
  // an empty row (no name, no value) holds nothing typed
  return headers.flatMap((h) => (h.name.trim() || h.value !== '' ? [{ key: headerKey(h.name, h.value), label: h.name.trim() || '(a header without a name)' }] : []));
}

/** The keys of a setup, or of the parts of one given: what a load, a save or a send keeps. */
export function setupKeys(s: Partial<Setup>): { targets: Set<string>; headers: Set<string> } {
  return { targets: new Set(targetItems(s).map((i) => i.key)), headers: new Set(headerItems(s.headers).map((i) => i.key)) };
}

const labelsOf = (items: readonly Item[]): string[] => [...new Set(items.map((i) => i.label))];

/**
 * What of the `current` setup replacing it by `next` takes away that the user has nowhere else: a target or a header
 * row that the replacement does not bring (the same target, the same header with the same value, is not lost) and
 * that is not `kept` (as last loaded, saved or sent). Nothing when the setup was never changed, or when the incoming
 * one holds everything typed (a curl import adds its URL to the rows).
 */
export function lostSetup(current: Setup, next: Setup, kept: SetupKeys): Pick<Losing, 'targets' | 'headers'> {
  const incoming = setupKeys(next);
  const lost = (items: Item[], coming: ReadonlySet<string>, had: ReadonlySet<string>): string[] => labelsOf(items.filter((i) => !coming.has(i.key) && !had.has(i.key)));
  return {
    targets: lost(targetItems(current), incoming.targets, kept.targets),
    headers: lost(headerItems(current.headers), incoming.headers, kept.headers),
  };
}

/** Whether the answer to "replace?" matters: something would be lost. */
export function losesAnything(l: Losing): boolean {
  return l.text || l.targets.length > 0 || l.headers.length > 0;
}
