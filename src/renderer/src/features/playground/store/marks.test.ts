import { describe, expect, it } from 'vitest';
import { acceptedValidation } from './test-support';
import { marksOf, rejectionText } from './marks';

const base = acceptedValidation;

const body = '{\n  "input_data": {"columns": ["age", "bmi"], "data": [[1, "oops"]]}\n}';

describe('marksOf', () => {
  it('marks a warning at its JSON path', () => {
    const m = marksOf(body, { ...base, warnings: [{ code: 'int-to-float', message: 'int becomes float', path: '$.input_data.data[0][0]' }] }, ['age', 'bmi']);
    expect(m).toHaveLength(1);
    expect(body.slice(m[0]!.from, m[0]!.to)).toBe('1');
    expect(m[0]!.severity).toBe('warning');
  });

  it('marks the quoted bad value a rejection names', () => {
    const r = { ...base, ok: false, status: 500, server_log: "Traceback …\nValueError: could not convert string to float: 'oops'" };
    const [m] = marksOf(body, r, ['age', 'bmi']);
    expect(body.slice(m!.from, m!.to)).toBe('"oops"');
    expect(m!.message).toBe("500: ValueError: could not convert string to float: 'oops'");
  });

  it('marks the column a rejection names, else the first line', () => {
    const named = marksOf(body, { ...base, ok: false, status: 400, body: { message: 'Incompatible input types for column bmi' } }, ['age', 'bmi']);
    expect(body.slice(named[0]!.from, named[0]!.to)).toBe('"bmi"');
    const vague = marksOf(body, { ...base, ok: false, status: 400, body: { message: 'bad' } }, ['age']);
    expect(body.slice(vague[0]!.from, vague[0]!.to)).toBe('{');
  });
});

describe('marksOf: a hostile server log', () => {
  it("a long log line with many `Error` words and no `:` is the rejection's text, found at once", { timeout: 5_000 }, () => {
    // /(Error|Exception)\b[^:]*:/ re-scanned the line after each `Error`: 400 000 characters took ~13 s
    const line = `x${'Error o'.repeat(60_000)}`;
    const [m] = marksOf(body, { ...base, ok: false, status: 500, server_log: `${line}\nlast words` }, ['age', 'bmi']);
    expect(m!.message).toBe(`500: ${line}`);
    const [n] = marksOf(body, { ...base, ok: false, status: 500, server_log: `${line}\nError in x: y\nlast words` }, ['age', 'bmi']);
    expect(n!.message).toBe('500: Error in x: y');
  });
});

describe("marksOf: MLflow's schema-enforcement error", () => {
  it("says the reason (and marks the column it names), not a line from the middle of the DataFrame's repr", () => {
    const log =
      "mlflow.exceptions.MlflowException: Failed to enforce schema of data '   age  bmi  s7\n" +
      "0  1  oops  3' with schema '['age': double (required), 'bmi': double (required), 's6': double (required)]'. Error: Model is missing inputs ['s6']. Note that there were extra inputs: ['s7']";
    const b = '{"input_data": {"columns": ["age", "bmi", "s7"], "data": [[1, "oops", 3]]}}';
    const [m] = marksOf(b, { ...base, ok: false, status: 500, server_log: log }, ['age', 'bmi', 's6']);
    expect(m!.message).toBe("500: mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing inputs ['s6']. Note that there were extra inputs: ['s7']");
    expect(b.slice(m!.from, m!.to)).toBe('"s7"');
  });
});

describe('rejectionText of a message that quotes a DataFrame', () => {
  it("says what is wrong (MLflow's 'Error: …'), not the quoted DataFrame's last line", () => {
    const server_log = [
      "mlflow.exceptions.MlflowException: Failed to enforce schema of data '        age       sex       bmx",
      '0  0.038076  0.050680  0.061696',
      "[1 rows x 3 columns]' with schema '['age': double (required), 'sex': double (required), 'bmi': double (required)]'. Error: Model is missing inputs ['bmi']. Note that there were extra inputs: ['bmx']",
    ].join('\n');
    const r = { ...acceptedValidation, ok: false, status: 500, server_log };
    expect(rejectionText(r)).toBe("mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing inputs ['bmi']. Note that there were extra inputs: ['bmx']");
  });
});
