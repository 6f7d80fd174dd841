import { describe, expect, it } from 'vitest';
import type { PackageBuildSummary, PackageVerifyReport } from '@shared/packaging/package-report';
import { stepStates } from './package-steps';

const built = (out: string): PackageBuildSummary => ({ operationId: 'op', status: 'succeeded', out, format: 'tar.gz', bytes: 10, files: 3, proof: null, error: null, ms: 5 });
const verified = (path: string, verdict: 'PASS' | 'FAIL'): PackageVerifyReport => ({ package: path, verdict, checks: [], reasons: [], manifest: null, proof: null });
const idle = { operationId: null, progress: null, summary: null, verifying: false, verify: null };

describe('the Package tab steps', () => {
  it('a package opened only to be verified marks Verify alone: nothing was inspected, resolved or written here', () => {
    expect(stepStates({ ...idle, verify: verified('/tmp/junk.tar.gz', 'FAIL') })).toEqual({ inspect: 'pending', resolve: 'pending', write: 'pending', verify: 'failed' });
    expect(stepStates({ ...idle, verifying: true })).toEqual({ inspect: 'pending', resolve: 'pending', write: 'pending', verify: 'active' });
    // After a build of another file, verifying some other package still says nothing of that build's steps.
    expect(stepStates({ ...idle, summary: built('/out/model.tar.gz'), verify: verified('/elsewhere/other.zip', 'PASS') })).toEqual({ inspect: 'pending', resolve: 'pending', write: 'pending', verify: 'done' });
  });

  it('the build\'s own package verified marks every step', () => {
    expect(stepStates({ ...idle, summary: built('/out/model.tar.gz'), verify: verified('/out/model.tar.gz', 'PASS') })).toEqual({ inspect: 'done', resolve: 'done', write: 'done', verify: 'done' });
    expect(stepStates({ ...idle, summary: built('/out/model.tar.gz'), verify: verified('/out/model.tar.gz', 'FAIL') })).toEqual({ inspect: 'done', resolve: 'done', write: 'done', verify: 'failed' });
    expect(stepStates({ ...idle, summary: built('/out/model.tar.gz'), verifying: true })).toEqual({ inspect: 'done', resolve: 'done', write: 'done', verify: 'active' });
  });
});
