import { describe, expect, it } from 'vitest';
import { isoSeconds, modelReference } from './export-yaml';

describe('YAML export conversions', () => {
  it('reads ISO 8601 durations as seconds', () => {
    expect(isoSeconds('PT5S')).toBe(5);
    expect(isoSeconds('PT1M30S')).toBe(90);
    expect(isoSeconds('PT1H')).toBe(3600);
    expect(isoSeconds('PT0.5S')).toBe(0.5);
    expect(isoSeconds('P1D')).toBeUndefined();
    expect(isoSeconds('PT')).toBeUndefined();
    expect(isoSeconds(5)).toBeUndefined();
  });
  it('turns a model version ARM id into azureml:<name>:<version>', () => {
    expect(modelReference('/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w/models/my-model/versions/3')).toBe('azureml:my-model:3');
    expect(modelReference('azureml:other:1')).toBe('azureml:other:1');
  });
});
