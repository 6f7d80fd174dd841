import { describe, expect, it } from 'vitest';
import { entraSentence } from './entra-text';

describe('entraSentence', () => {
  it("keeps Entra's sentence out of msal's wrapping", () => {
    const msal =
      'Error(s): 7000215 - Timestamp: 2026-12-04 10:00:00Z - Description: AADSTS7000215: Invalid client secret provided. Trace ID: 1 Correlation ID: 2 - Correlation ID: abc - Trace ID: def';
    expect(entraSentence(msal)).toBe('AADSTS7000215: Invalid client secret provided.');
    expect(entraSentence('invalid_client: AADSTS700016: Application not found. Trace ID: 9f')).toBe('invalid_client: AADSTS700016: Application not found.');
    expect(entraSentence('Description: A - Trace ID: x')).toBe('A');
    // `.` stops at a carriage return: a Description line the text goes on after, without a marker, is not Entra's sentence
    expect(entraSentence('Description: A\rDescription: B - Correlation ID: c')).toBe('B');
    expect(entraSentence('Description: A\r')).toBe('Description: A');
    expect(entraSentence('Trace ID: x\rend Trace ID: y')).toBe('Trace ID: x\rend');
  });
  it('a hostile sign-in error (long line ended by a carriage return) is read at once', { timeout: 5_000 }, () => {
    // Both patterns re-read the line from each `Description: ` / `Trace ID:` in it: 100 000 characters 0.3-0.6 s,
    // these two texts 28 s
    const descriptions = `${'Description: '.repeat(30_000)}\r`;
    expect(entraSentence(descriptions)).toBe(descriptions.trim());
    const traces = `${'Trace ID:'.repeat(45_000)}\u2028`;
    expect(entraSentence(traces)).toBe(traces.trim());
  });
});
