import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_FORM } from './batch-export-slice';
import { batchFormProblems, jobStatusLabel } from './batch-selectors';

const EP = { name: 'scores', state: 'Succeeded', scoringUri: null, defaultDeployment: null, deployments: [] };

describe('batchFormProblems', () => {
  it('accepts the defaults with a new endpoint name', () => {
    expect(batchFormProblems({ ...DEFAULT_BATCH_FORM, endpoint: 'nightly-scores' }, [EP])).toEqual({});
  });

  it('names each bad field', () => {
    const p = batchFormProblems({ ...DEFAULT_BATCH_FORM, endpoint: 'Scores', deployment: 'a', compute: 'a-cluster-name-too-long', instanceType: 'Standard DS3', instanceCount: 0, miniBatchSize: 1.5 }, [EP]);
    expect(p.endpoint).toContain('Batch endpoint scores exists already');
    expect(p.deployment).toContain('3 to 32 characters');
    expect(p.compute).toContain('2 to 16');
    expect(p.instanceType).toContain('Standard_DS3_v2');
    expect(p.instanceCount).toContain('1 to 100');
    expect(p.miniBatchSize).toContain('whole number');
  });

  it('an existing endpoint must be one of the workspace', () => {
    expect(batchFormProblems({ ...DEFAULT_BATCH_FORM, endpointMode: 'existing', endpoint: 'gone' }, [EP]).endpoint).toContain("workspace's batch endpoints");
    expect(batchFormProblems({ ...DEFAULT_BATCH_FORM, endpointMode: 'existing', endpoint: 'scores' }, [EP])).toEqual({});
  });
});

describe('jobStatusLabel', () => {
  it("shows Azure's status when the job ended, else what Preflight knows", () => {
    expect(jobStatusLabel('failed', 'Failed')).toBe('Failed');
    expect(jobStatusLabel('failed', null)).toBe('Failed');
    expect(jobStatusLabel('cancelled', null)).toBe('Stopped waiting');
    expect(jobStatusLabel('running', null)).toBe('Running');
  });
});
