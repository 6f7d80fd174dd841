/**
 * "No lost work" in the playground's editor: an action that puts other text in the editor (open a saved request or a
 * past run, fill from the example or a CSV, import from curl, apply the grid) first asks when the editor holds text
 * the user would lose — text that is neither what was last loaded into it, nor what was saved or sent (a body too
 * large for the history is not kept by a send). Pure: the store keeps the baselines and asks.
 */

export interface ReplaceAsk {
  /** The model whose editor would be replaced (a model switch withdraws the question). */
  modelPath: string;
  /** What would replace the text, in the words of the button that asked: "Fill from input example", "Open \"smoke\"". */
  what: string;
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
