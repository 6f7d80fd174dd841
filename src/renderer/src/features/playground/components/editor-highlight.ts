import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

/**
 * The editor's syntax colours as the theme's CSS variables (`--syn-*`, light and dark in playground.css), so they follow
 * the app's theme switch without rebuilding the editor: custom properties cross the editor's shadow root, and
 * CodeMirror's own default style has one light palette (dark red and green that are hard to read on a dark background).
 */
export const themedHighlight = HighlightStyle.define([
  { tag: t.propertyName, color: 'var(--syn-property)' },
  { tag: t.string, color: 'var(--syn-string)' },
  { tag: t.number, color: 'var(--syn-number)' },
  { tag: [t.bool, t.null], color: 'var(--syn-keyword)' },
  { tag: [t.separator, t.squareBracket, t.brace], color: 'var(--syn-punctuation)' },
  { tag: t.invalid, color: 'var(--error)' },
]);
