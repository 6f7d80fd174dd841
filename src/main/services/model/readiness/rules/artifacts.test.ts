import { describe, expect, it } from 'vitest';
import { cleanReport, mlmodel } from '../report-builder';
import { missingArtifactsRule } from './artifacts';

const withPath = (path: string) =>
  cleanReport({ mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: { loader_module: 'mlflow.sklearn', model_path: path } }] }) });

describe('missingArtifactsRule', () => {
  it('names a missing model_path (trailing slashes dropped) with the MLmodel key', () => {
    const [f] = missingArtifactsRule(withPath('weights.bin//'));
    expect(f).toMatchObject({ code: 'missing-model-artifact', title: '`weights.bin` is missing: the model cannot load' });
    expect(f!.evidence).toContain('`flavors.python_function.model_path`');
  });
  it("a hostile MLmodel path (a long slash run inside it) is checked at once", { timeout: 5_000 }, () => {
    // /\/+$/ re-scanned the slash run from each of its slashes: 100 000 slashes took ~6 s
    const findings = missingArtifactsRule(withPath(`a${'/'.repeat(200_000)}b/`));
    expect(findings.map((f) => f.code)).toEqual(['missing-model-artifact']);
    expect(findings[0]!.evidence).toContain('`flavors.python_function.model_path`');
  });
});
