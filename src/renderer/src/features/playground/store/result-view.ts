import type { TargetResultData } from '../../../../../shared/ipc/compare-contract';
import { editorBody } from '../../../lib/editor-body';

type Response = Pick<NonNullable<TargetResultData['response']>, 'body_text' | 'json' | 'headers'>;

/**
 * A target's answer as its card shows it: the exact text, or indented by the same path the editor uses — whitespace
 * only, so Python's lexemes (NaN, -0.0, 1.0, integers beyond 2^53) stay as the server wrote them. Re-stringifying
 * the parsed value would turn NaN into null, -0.0 into 0 and round big integers.
 */
export function responseBodyText(r: Response, exactText: boolean): string {
  if (exactText || !r.json) return r.body_text;
  return editorBody(r.body_text, r.headers['content-type'] ?? 'application/json');
}
