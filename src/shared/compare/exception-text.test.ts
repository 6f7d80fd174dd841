import { describe, expect, it } from 'vitest';
import { schemaEnforcementCause, withoutSchemaEcho } from './exception-text';

// What Azure's deployment log holds for the sample model's request with `s7` in place of `s6` (preflight validate).
const AZURE_LOG =
  "mlflow.exceptions.MlflowException: Failed to enforce schema of data '   age  sex  bmi   bp   s1   s2   s3   s4   s5  s7\n" +
  "0  1.0  2.0  3.0  4.0  5.0  6.0  7.0  8.0  9.0  10' with schema '['age': double (required), 'sex': double (required), 's6': double (required)]'. " +
  "Error: Model is missing inputs ['s6']. Note that there were extra inputs: ['s7']";

describe("MLflow's schema-enforcement error, by its reason", () => {
  it('drops the data and schema echo, keeps what comes before it and the reason', () => {
    expect(withoutSchemaEcho(AZURE_LOG)).toBe("mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing inputs ['s6']. Note that there were extra inputs: ['s7']");
    expect(withoutSchemaEcho('ValueError: something else')).toBe('ValueError: something else');
    expect(withoutSchemaEcho("Failed to enforce schema of data 'x' but no schema")).toBe("Failed to enforce schema of data 'x' but no schema");
  });
  it('from the line it starts on to the reason, one line; lines after the reason are not part of it', () => {
    const lines = `Traceback (most recent call last):\n${AZURE_LOG}\nINFO worker done`.split('\n');
    expect(schemaEnforcementCause(lines, 1)).toBe("mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing inputs ['s6']. Note that there were extra inputs: ['s7']");
    expect(schemaEnforcementCause(lines, 0)).toBeNull();
  });
  it("a hostile log's echo is read at once", { timeout: 5_000 }, () => {
    const text = `Failed to enforce schema of data '${"' with schema '".repeat(40_000)}${"'. Error".repeat(40_000)}`;
    expect(withoutSchemaEcho(text)).toBe(text);
  });
});
