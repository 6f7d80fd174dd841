import { describe, expect, it } from 'vitest';
import { formLabel, responseBodyText } from './result-view';

describe('a target result body', () => {
  const bodyText = '{"predictions": [NaN, -0.0, 1.0, 12345678901234567890123, -Infinity, 1e-05]}';
  const r = { body_text: bodyText, json: true, headers: { 'content-type': 'application/json' } };

  it('is indented with every number as the server wrote it: NaN, -0.0, 1.0, big integers, Infinity', () => {
    const shown = responseBodyText(r, false);
    expect(shown).toContain('\n');
    expect(shown.replace(/\s+/g, '')).toBe(bodyText.replace(/\s+/g, ''));
    for (const lexeme of ['NaN', '-0.0', '1.0', '12345678901234567890123', '-Infinity', '1e-05']) expect(shown).toContain(lexeme);
  });

  it('exact text is the bytes; a text answer stays as it is', () => {
    expect(responseBodyText(r, true)).toBe(bodyText);
    const html = { body_text: '<html>502 Bad Gateway</html>', json: false, headers: { 'content-type': 'text/html' } };
    expect(responseBodyText(html, false)).toBe(html.body_text);
  });
});

describe('a request form in words', () => {
  it('names the engine\'s forms as the format switch does', () => {
    expect(formLabel('azureml_split')).toBe('Azure ML input_data (split)');
    expect(formLabel('dataframe_split')).toBe('MLflow dataframe_split');
    expect(formLabel(null)).toBe('an unrecognised form');
  });
});
