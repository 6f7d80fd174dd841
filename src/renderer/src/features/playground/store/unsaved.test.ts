import { describe, expect, it } from 'vitest';
import { lostSetup, setupKeys, type Setup } from './unsaved';

const empty: Setup = { local: { azureml: true, mlflow: true }, urls: [], azureTargets: [], headers: [] };

describe('lostSetup: what of the targets and headers a replacement takes away', () => {
  it('names the typed targets and headers the incoming setup does not bring, a header by its name only', () => {
    const current: Setup = {
      local: { azureml: true, mlflow: false },
      urls: [{ server: 'mlflow', url: ' http://h:5000/invocations ' }, { server: 'azureml', url: '  ' }],
      azureTargets: [{ endpoint: 'ep', deployment: 'blue' }],
      headers: [{ name: ' X-Key ', value: 'secret-1' }, { name: '', value: 'v' }, { name: '', value: '' }],
    };
    expect(lostSetup(current, empty, setupKeys(empty))).toEqual({
      targets: ['local:mlflow (unchecked)', 'mlflow:http://h:5000/invocations', 'azure:ep/blue'],
      headers: ['X-Key', '(a header without a name)'],
    });
    expect(JSON.stringify(lostSetup(current, empty, setupKeys(empty)))).not.toContain('secret-1');
  });

  it('nothing is lost that the incoming setup brings (the same header in any case) or that was kept', () => {
    const current: Setup = { ...empty, urls: [{ server: 'azureml', url: 'https://a/score' }], headers: [{ name: 'X-Team', value: 'blue' }] };
    expect(lostSetup(current, { ...empty, urls: [{ server: 'azureml', url: 'https://a/score' }], headers: [{ name: 'x-team', value: 'blue' }] }, setupKeys(empty))).toEqual({ targets: [], headers: [] });
    expect(lostSetup(current, empty, setupKeys(current))).toEqual({ targets: [], headers: [] });
    // the same header with another value: the typed value goes
    expect(lostSetup(current, { ...current, headers: [{ name: 'X-Team', value: 'green' }] }, setupKeys(empty)).headers).toEqual(['X-Team']);
  });
});
