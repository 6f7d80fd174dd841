import { describe, expect, it } from 'vitest';
import { cleanReport, mlmodel } from '@main/services/model/readiness/report-builder';
import { assessReadiness } from '@main/services/model/readiness/assess';
import type { ModelReport } from './model-report';
import { reportToMarkdown } from './report-markdown';
import { readinessVerdict } from './report-verdict';

const withFindings = (over: Parameters<typeof cleanReport>[0] = {}): ModelReport => {
  const r = cleanReport(over);
  return { ...r, findings: assessReadiness(r) };
};

describe('readinessVerdict', () => {
  it('a clean model is ready, with its counts', () => {
    const v = readinessVerdict(withFindings());
    expect(v).toEqual({ ready: true, counts: { error: 0, warning: 0, info: 0 }, headline: 'Ready for Azure ML no-code deployment as far as Preflight can see (0 errors, 0 warnings).' });
  });

  it('an error finding makes it not ready and names the first error', () => {
    const v = readinessVerdict(withFindings({ mlmodel: mlmodel({ flavors: [{ name: 'mleap', settings: {} }] }) }));
    expect(v.ready).toBe(false);
    expect(v.headline).toMatch(/^Not ready for Azure ML no-code deployment: 1 error, 0 warnings\. First: No python_function flavor/);
  });

  it('unreadable parts are counted in the headline', () => {
    const v = readinessVerdict({ findings: [], problems: [{ file: 'conda.yaml', code: 'E_INVALID_FILE', message: 'bad' }] });
    expect(v.headline).toContain('1 part unreadable');
  });
});

describe('reportToMarkdown', () => {
  it('starts with the verdict and lists findings with their public source links', () => {
    const md = reportToMarkdown(withFindings({ mlmodel: mlmodel({ flavors: [{ name: 'mleap', settings: {} }] }) }));
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Preflight: diabetes');
    expect(lines[2]).toMatch(/^\*\*❌ Not ready for Azure ML no-code deployment: 1 error/);
    expect(md).toContain('### ERROR: No python\\_function flavor');
    expect(md).toMatch(/- Source: <https:\/\/learn\.microsoft\.com\/[^>]+>/);
    expect(md).toContain('| age | double | yes |');
    expect(md).toContain('| scikit-learn | ==1.5.2 | conda.yaml |');
  });

  it('model-controlled text cannot break the document: pipes in cells, Markdown in headings', () => {
    const r = withFindings({ name: '# evil *model*' });
    r.environment.dependencies.push({ ...r.environment.dependencies[0]!, name: 'a|b', spec: '==1|2' });
    const md = reportToMarkdown(r);
    expect(md.split('\n')[0]).toBe('# Preflight: \\# evil \\*model\\*');
    expect(md).toContain('| a\\|b | ==1\\|2 | conda.yaml |');
  });
});
