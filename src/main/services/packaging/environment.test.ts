import { describe, expect, it } from 'vitest';
import type { ModelReport } from '@shared/mlflow/model-report';
import { condaDependency } from '@shared/mlflow/requirements';
import { cleanReport } from '../model/readiness/report-builder';
import { assembleEnvironment } from './environment';

const rootsOf = (entries: string[]) => {
  const deps = entries.map((e, i) => condaDependency(e, 'conda.yaml', i + 1, []));
  const report = cleanReport({ environment: { files: [{ file: 'conda.yaml', kind: 'conda', python: '3.10', error: null }], dependencies: deps as never, conflicts: [], indexUrls: [] } });
  return assembleEnvironment({ ...report, findings: [] } as unknown as ModelReport).roots.filter((r) => r.source.startsWith('conda.yaml')).map((r) => r.raw);
};

describe('assembleEnvironment: conda specs as pip requirements', () => {
  it('drops a conda build string, keeps ranges', () => {
    expect(rootsOf(['numpy=1.24', 'scipy>=1.10', 'pandas 1.5.*'])).toEqual(['numpy==1.24.*', 'scipy>=1.10', 'pandas==1.5.*']);
  });
  it("a hostile conda.yaml spec (a long name-like run after `=`, then a comma) is read at once", { timeout: 5_000 }, () => {
    // /=[^=,<>!~]*[a-zA-Z_][^,]*$/ backtracked over the run for each of its letters: 100 000 characters took 6.6 s
    const spec = `=${'A'.repeat(200_000)},`;
    expect(rootsOf([`numpy ${spec}`])).toEqual([`numpy${spec}`]);
  });
});
