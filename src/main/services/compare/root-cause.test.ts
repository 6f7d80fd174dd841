import { describe, expect, it } from 'vitest';
import { rootCauseLine, rootCauseOf } from './root-cause';

const answer = (body: unknown) => ({ status: 500, headers: {}, body }) as unknown as Parameters<typeof rootCauseOf>[0];

describe('rootCauseLine / rootCauseOf', () => {
  it('the last exception line of a traceback, else the first line; an HTML page without its tags', () => {
    expect(rootCauseLine('Traceback (most recent call last):\n  File "x"\nmlflow.exceptions.MlflowException: bad input\n')).toBe('mlflow.exceptions.MlflowException: bad input');
    expect(rootCauseLine('ValueError without colon\nnothing here')).toBe('ValueError without colon');
    expect(rootCauseOf(answer('<html><body><h1>Internal Server Error</h1></body></html>'), null)).toBe('Internal Server Error');
    expect(rootCauseOf(answer('a<b<c>d <e'), null)).toBe('a d <e');
  });
  it("a hostile answer's long line is read at once", { timeout: 5_000 }, () => {
    // ^[\w.]*(Error|…)\b[^:]*: retried `[^:]*:` after each `Error` (400 000 chars: ~13 s)
    const line = `x${'Error.a'.repeat(60_000)}`;
    expect(rootCauseLine(line)).toBe(`${line.slice(0, 399)}…`);
    // /<[^>]+>/g scanned to the end from each `<` that no `>` follows (250 000 chars: ~14 s)
    expect(rootCauseOf(answer(`<b>boom</b>${'<a'.repeat(125_000)}`), null)).toBe(` boom ${'<a'.repeat(125_000)}`.trim().slice(0, 399) + '…');
  });
});
