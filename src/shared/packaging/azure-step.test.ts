import { describe, expect, it } from 'vitest';
import { withoutSas } from './azure-step';

describe('withoutSas', () => {
  it("drops each URL's query (the SAS token), keeps the rest of the text", () => {
    const log = 'https://acct.blob.core.windows.net/azureml/ImageLogs/b1/build.log?sv=2019-07-07&sr=b&sig=abc%3D&se=2026-01-01';
    expect(withoutSas(`Image build failed. For more details, check log file ${log}. Retry.`)).toBe(
      'Image build failed. For more details, check log file https://acct.blob.core.windows.net/azureml/ImageLogs/b1/build.log?<SAS token removed> Retry.',
    );
    expect(withoutSas(`"${log}" and 'http://x/y?z'`)).toBe(`"https://acct.blob.core.windows.net/azureml/ImageLogs/b1/build.log?<SAS token removed>" and 'http://x/y?<SAS token removed>'`);
    // A URL inside a longer run is part of that run; a run that a blank ends before its `?` keeps its text.
    expect(withoutSas('http://a/http://b?x y')).toBe('http://a/http://b?<SAS token removed> y');
    expect(withoutSas('http://a/http://b c?d http://?e HTTP://f?g')).toBe('http://a/http://b c?d http://?e HTTP://f?g');
    expect(withoutSas('')).toBe('');
  });
  it('a hostile Azure answer (a long run of URLs with no query) is read at once', { timeout: 5_000 }, () => {
    // The replace pattern scanned to the end of the run from each `http://` in it: 100 000 characters took 0.9-2 s,
    // these two texts 29 s
    const run = 'http://'.repeat(50_000);
    expect(withoutSas(run)).toBe(run);
    expect(withoutSas(`${run}?sig=x "${run}"`)).toBe(`${run}?<SAS token removed> "${run}"`);
  });
});
