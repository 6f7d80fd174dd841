/**
 * Replay through an `azure:<endpoint>` target against the emulator: the endpoint is read and its keys listed
 * (an ARM POST) once for the whole replay, not once per request; a key regenerated in the middle of the run is
 * noticed on the endpoint's 401, the keys are read again and the run goes on without a failed row.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Composition } from '../../src/main/app/compose';
import { azureScoringPort } from '../../src/main/services/azure/azure-scoring-port';
import { CompareService } from '../../src/main/services/compare/compare-service';
import { ReplayService } from '../../src/main/services/compare/replay-service';
import type { ReplayProgressData } from '../../src/shared/ipc/replay-contract';
import { signInToEmulator, startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { sampleModelDir } from '../support/paths';

const ROWS = 12;
let h: EmulatorHarness;
let c: Composition;
let csv: string;

const count = (op: string): number => h.emulator.calls.filter((x) => x === op).length;

function replayService(): ReplayService {
  const { payload, runner, azure } = c.services;
  return new ReplayService({ compare: new CompareService({ payload, runner, azure: azureScoringPort(azure) }), payload });
}

async function replay(onProgress?: (p: ReplayProgressData) => void): Promise<Awaited<ReturnType<ReplayService['run']>>> {
  return replayService().run(
    { modelPath: sampleModelDir, source: { kind: 'csv', path: csv }, targets: [{ kind: 'local', server: 'azureml' }, { kind: 'azure', server: 'azureml', endpoint: 'cache-ep', deployment: null }], headers: [], tolerance: { abs: 1e-6, rel: 1e-6 }, timeoutMs: 60_000, rowsPerRequest: 1 },
    { progressIntervalMs: 0, onProgress },
  );
}

beforeAll(async () => {
  h = await startEmulatorHarness();
  c = await h.compose();
  const azure = c.services.azure;
  await signInToEmulator(h, azure);
  await azure.deploy(azure.workspaceRef(), { modelDir: sampleModelDir, endpoint: 'cache-ep', deployment: 'blue' });
  const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  const lines = [example.columns.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(example.data[i % example.data.length]!.join(','));
  csv = join(h.tmp, 'rows.csv');
  await writeFile(csv, `${lines.join('\n')}\n`);
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

describe('azure:<endpoint> scoring target cache (emulator)', () => {
  it(`a replay of ${ROWS} rows reads the endpoint and lists its keys once`, async () => {
    const keysBefore = count('OnlineEndpoints_ListKeys');
    const getsBefore = count('OnlineEndpoints_Get');
    const scoresBefore = count('score');
    const s = await replay();
    expect(s.status).toBe('completed');
    expect(s.requests).toBe(ROWS);
    expect(s.agreeRows).toBe(ROWS);
    expect(count('score') - scoresBefore).toBe(ROWS);
    expect(count('OnlineEndpoints_ListKeys') - keysBefore).toBe(1);
    expect(count('OnlineEndpoints_Get') - getsBefore).toBe(1);
  });

  it('a key regenerated mid-run is refused once, read again, and every row is still answered', async () => {
    const endpoint = h.emulator.workspaceState().endpoints.get('cache-ep')!;
    const oldKey = endpoint.keys.primaryKey;
    const keysBefore = count('OnlineEndpoints_ListKeys');
    const scoresBefore = count('score');
    let regenerated = false;
    let keysAtRegeneration = 0;
    const s = await replay((p) => {
      if (!regenerated && p.rowsDone >= ROWS / 2) {
        keysAtRegeneration = count('OnlineEndpoints_ListKeys');
        // What `az ml online-endpoint regenerate-keys --key-type primary` does to the endpoint.
        endpoint.keys.primaryKey = `${oldKey.slice(0, -4)}new0`;
        regenerated = true;
      }
    });
    expect(regenerated).toBe(true);
    expect(s.status).toBe('completed');
    expect(s.agreeRows).toBe(ROWS);
    expect(s.targets[1]!.firstProblem).toBeNull();
    // ROWS answered plus the one request the old key had refused; the keys listed once more after it.
    expect(count('score') - scoresBefore).toBe(ROWS + 1);
    expect(count('OnlineEndpoints_ListKeys') - keysAtRegeneration).toBe(1);
    // Before the regeneration: at most one listing (none while the first test's entry was still fresh).
    expect(keysAtRegeneration - keysBefore).toBeLessThanOrEqual(1);
  });
});
