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
  it("a schema error whose message quotes the DataFrame keeps MLflow's 'Error: …' (what is wrong), not only the column header", () => {
    // Azure's server log for the sample model with the column bmi renamed bmx (the playground's as-you-type answer)
    const log = [
      "mlflow.exceptions.MlflowException: Failed to enforce schema of data '        age       sex       bmx  ...        s4        s5        s6",
      '0  0.038076  0.050680  0.061696  ... -0.002592  0.019908 -0.017646',
      '1 -0.001882 -0.044642 -0.051474  ... -0.039493 -0.068330 -0.092204',
      '',
      "[2 rows x 10 columns]' with schema '['age': double (required), 'sex': double (required), 'bmi': double (required)]'. Error: Model is missing inputs ['bmi']. Note that there were extra inputs: ['bmx']",
    ].join('\n');
    expect(rootCauseOf(answer({ message: 'An unexpected error occurred in scoring script. Check the logs for more info.' }), log)).toBe(
      "mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing inputs ['bmi']. Note that there were extra inputs: ['bmx']",
    );
    // a traceback after the exception line, or a message on one line, is read as before
    expect(rootCauseLine('ValueError: bad\nTraceback (most recent call last):\n  File "x"')).toBe('ValueError: bad');
    expect(rootCauseLine('KeyError: x\nmore text without the word')).toBe('KeyError: x');
    // a closed quote: the next log line is not part of the message, even if it says "Error: "
    expect(rootCauseLine("ValueError: bad 'x'\nINFO worker: Error: later")).toBe("ValueError: bad 'x'");
  });
  it("a hostile answer's long line is read at once", { timeout: 5_000 }, () => {
    // ^[\w.]*(Error|…)\b[^:]*: retried `[^:]*:` after each `Error` (400 000 chars: ~13 s)
    const line = `x${'Error.a'.repeat(60_000)}`;
    expect(rootCauseLine(line)).toBe(`${line.slice(0, 399)}…`);
    // /<[^>]+>/g scanned to the end from each `<` that no `>` follows (250 000 chars: ~14 s)
    expect(rootCauseOf(answer(`<b>boom</b>${'<a'.repeat(125_000)}`), null)).toBe(` boom ${'<a'.repeat(125_000)}`.trim().slice(0, 399) + '…');
  });
});

describe("rootCauseLine: MLflow's schema-enforcement error", () => {
  it("gives the reason at the end of the multi-line message, not the head of the DataFrame's repr", () => {
    // Azure's log for the sample model's request with `s7` in place of `s6` (the verdict's and the card's root cause)
    const log =
      "mlflow.exceptions.MlflowException: Failed to enforce schema of data '   age  sex  bmi   bp   s1   s2   s3   s4   s5  s7\n" +
      "0  1.0  2.0  3.0  4.0  5.0  6.0  7.0  8.0  9.0  10' with schema '['age': double (required), 's6': double (required)]'. Error: Model is missing inputs ['s6']. Note that there were extra inputs: ['s7']";
    expect(rootCauseLine(log)).toBe("mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing inputs ['s6']. Note that there were extra inputs: ['s7']");
    // MLflow 2.12+'s body message (an MLflow URL target has no server log): the same reason
    const body = { error_code: 'INVALID_PARAMETER_VALUE', message: "Failed to predict data '   age  s5\n0  1.0  9.0'. \nError: Failed to enforce schema of data '   age  s5\n0  1.0  9.0' with schema '['age': double (required)]'. Error: Model is missing inputs ['s6']." };
    expect(rootCauseOf({ status: 400, headers: {}, body }, null)).toBe("Error: Failed to enforce the signature: Model is missing inputs ['s6'].");
  });
});
