/**
 * `CliIo.runner`: code that embeds the CLI (the differential replays) hands `predict` and `serve` a runner it owns.
 * The commands must use that runner — the model loaded once, shared with the owner's own calls — and must leave it
 * open: closing it would stop the owner's workers in the middle of its work.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { createRunner } from '../../src/main/services/runner/create-runner';
import type { RunnerService } from '../../src/main/services/runner/runner-service';
import { repoRoot, sampleModelDir } from '../support/paths';
import { inProcessServers } from '../support/serve-in-process';

const body = JSON.stringify({ dataframe_split: { columns: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'], data: [[0.04, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, -0.0, 0.02, -0.02]] } });

describe('CliIo.runner: the embedding code’s runner is used and left open', () => {
  let tmp: string;
  let runner: RunnerService;
  let closes = 0;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'preflight-shared-runner-'));
    await writeFile(join(tmp, 'body.json'), body);
    runner = createRunner({ resourcesDir: join(repoRoot, 'resources'), logger: silentLogger, onnxWorkerPath: join(inject('bundlesDir'), 'onnx-worker.js') });
    const close = runner.close.bind(runner);
    runner.close = () => {
      closes += 1;
      return close();
    };
  });
  afterAll(async () => {
    await runner.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const io = (out: { text: string }, signal = new AbortController().signal): CliIo => ({
    stdout: (t) => (out.text += t),
    stderr: (t) => (out.text += t),
    env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data') },
    cwd: repoRoot,
    signal,
    log: silentLogger,
    runner,
  });

  it('predict answers through it and does not close it; the owner’s next call is served by the same runner', async () => {
    const out = { text: '' };
    const code = await runCli(['predict', sampleModelDir, join(tmp, 'body.json'), '--server', 'mlflow'], io(out));
    expect(code, out.text).toBe(0);
    expect(out.text).toMatch(/^200 .*\n\{"predictions": \[/);
    expect(closes).toBe(0);
    const again = await runner.predict({ modelPath: sampleModelDir, body, contentType: 'application/json', server: 'mlflow' });
    expect(again.status).toBe(200);
    expect(out.text).toContain(again.body_text);
  });

  it('serve answers through it and leaves it open when stopped', async () => {
    const servers = inProcessServers({ ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data') }, () => runner);
    const base = await servers.start([sampleModelDir, '--server', 'mlflow'], '/invocations');
    const r = await fetch(`${base}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await r.text();
    await servers.stopAll();
    expect(r.status).toBe(200);
    expect(text).toMatch(/^\{"predictions": \[/);
    expect(closes).toBe(0);
    expect((await runner.predict({ modelPath: sampleModelDir, body, contentType: 'application/json', server: 'mlflow' })).body_text).toBe(text);
  });
});
