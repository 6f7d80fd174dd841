import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verdict } from '@shared/compare/verdict';
import { HISTORY_BODY_CAP, type CompareResultData } from '@shared/ipc/compare-contract';
import { silentLogger } from '../../ports/logger';
import { MAX_KEPT_COPIES } from '../store/keep-copy';
import { CompareHistory, HISTORY_FILE } from './compare-history';
import type { CompareInput } from './compare-service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-history-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const SECRET = 'Bearer sk-never-on-disk';
const input = (body: string, modelPath = '/models/churn'): CompareInput => ({
  modelPath,
  body,
  contentType: 'application/json',
  targets: [{ kind: 'local', server: 'azureml' }, { kind: 'url', server: 'mlflow', url: 'http://127.0.0.1:5000/invocations' }],
  headers: [{ name: 'Authorization', value: SECRET }],
  tolerance: { abs: 1e-6, rel: 1e-6 },
  timeoutMs: 1000,
});
const result = (a: unknown, b: unknown): CompareResultData => ({
  targets: [],
  verdict: verdict(
    [
      { name: 'local:azureml', status: 200, body: a, json: true },
      { name: 'mlflow:http://127.0.0.1:5000/invocations', status: 200, body: b, json: true },
    ],
    { tolerance: { abs: 1e-6, rel: 1e-6 } },
  ),
});

describe('CompareHistory', () => {
  it('keeps runs newest first across restarts, searchable, without headers', async () => {
    const h = new CompareHistory(dir, silentLogger);
    await h.add(input('{"input_data": [[1]]}'), result([1], [1]), new Date('2026-01-01T10:00:00Z'));
    await h.add({ ...input('{"input_data": [[2]]}', '/models/fraud'), mlflowVersion: '2.12.2' }, result([1], [2]), new Date('2026-01-01T11:00:00Z'));
    const again = new CompareHistory(dir, silentLogger);
    const all = await again.list();
    expect(all.total).toBe(2);
    expect(all.entries.map((e) => e.modelPath)).toEqual(['/models/fraud', '/models/churn']);
    expect(all.entries[0]!.sentence).toMatch(/^Predictions differ/);
    expect(all.entries[1]!.agree).toBe(true);
    // the MLflow version a run was made for comes back with it (null: the model's pin)
    expect(all.entries.map((e) => e.mlflowVersion)).toEqual(['2.12.2', undefined]);
    expect((await again.list('FRAUD')).entries).toHaveLength(1);
    expect((await again.list('predictions differ')).entries[0]!.modelPath).toBe('/models/fraud');
    expect((await again.list('[[1]]')).entries[0]!.modelPath).toBe('/models/churn');
    expect(await readFile(join(dir, HISTORY_FILE), 'utf8')).not.toContain('sk-never-on-disk');
  });

  it('a hostile query (pattern syntax, 1000 characters) is matched as typed, case-insensitively, and a full history answers fast', async () => {
    // 100 runs with bodies at half the cap (a full history is 200 at the cap: what lower-casing every field per keystroke made slow)
    const big = JSON.stringify({ input_data: { columns: ['Été'], data: Array.from({ length: 15000 }, (_, i) => [i * 0.1234567]) } }).slice(0, HISTORY_BODY_CAP / 2);
    const entries = Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, time: '2026-01-01T00:00:00.000Z', modelPath: '/m', body: `${big}${i % 2 ? '.*' : ''}`, contentType: 'application/json', targets: [], tolerance: { abs: 0, rel: 0 }, agree: true, kind: 'same', sentence: 'Same predictions', statuses: [] }));
    await writeFile(join(dir, HISTORY_FILE), JSON.stringify({ version: 1, entries }));
    const h = new CompareHistory(dir, silentLogger);
    expect((await h.list('')).total).toBe(100);
    // the machine's yardstick: lower-casing every body once (the old search did that for every query)
    let yardstick = Infinity;
    for (let k = 0; k < 2; k++) {
      const t = performance.now();
      for (const e of entries) e.body.toLowerCase();
      yardstick = Math.min(yardstick, performance.now() - t);
    }
    const started = performance.now();
    expect((await h.list('.*')).total).toBe(50); // literally ".*", not "anything"
    expect(await h.list('(a+)+$[')).toMatchObject({ total: 0, kept: 100 }); // matches none, but the 100 are still kept
    expect((await h.list('a'.repeat(1000))).total).toBe(0);
    expect((await h.list('éTÉ')).total).toBe(100);
    expect((await h.list('SAME predictions')).total).toBe(100);
    // five searches: about five yardsticks with the old code, a small fraction of one now (3: room for a loaded CI machine)
    expect(performance.now() - started).toBeLessThan(3 * yardstick);
  });

  it('leaves out bodies above the cap and starts over from a corrupt file, keeping that file as .bak', async () => {
    await writeFile(join(dir, HISTORY_FILE), '{"version": 1, "entries": [tor');
    const h = new CompareHistory(dir, silentLogger);
    expect((await h.list()).total).toBe(0);
    await h.add(input(`{"input_data": [${'1,'.repeat(200_000)}1]}`), result([1], [1]));
    expect((await h.list()).entries[0]!.body).toBeNull();
    expect(JSON.parse(await readFile(join(dir, HISTORY_FILE), 'utf8')).entries).toHaveLength(1);
    expect(await readFile(join(dir, `${HISTORY_FILE}.bak`), 'utf8')).toBe('{"version": 1, "entries": [tor');
  });

  it('runs a newer build wrote (unknown keys, at the top or one level down) are kept on disk as written; nothing is wiped', async () => {
    const h = new CompareHistory(dir, silentLogger);
    await h.add(input('{"input_data": [1]}'), result([1], [1]));
    await h.add(input('{"input_data": [2]}'), result([2], [2]));
    const file = JSON.parse(await readFile(join(dir, HISTORY_FILE), 'utf8')) as { version: 1; entries: Record<string, unknown>[] };
    file.entries[0]!.addedLater = { by: 'a newer Preflight' };
    (file.entries[1]!.targets as Record<string, unknown>[])[0]!.addedLater = true;
    file.entries.push({ id: 'broken' });
    await writeFile(join(dir, HISTORY_FILE), JSON.stringify(file));
    const again = new CompareHistory(dir, silentLogger);
    const listed = await again.list();
    // listed: what this build reads (the run with the nested key it cannot, and the broken one, are not shown)
    expect(listed.entries.map((e) => e.body)).toEqual(['{"input_data": [2]}']);
    expect(listed.entries[0]).not.toHaveProperty('addedLater');
    await again.add(input('{"input_data": [3]}'), result([3], [3]));
    const written = JSON.parse(await readFile(join(dir, HISTORY_FILE), 'utf8')) as typeof file;
    // kept: every run, each as it was written
    expect(written.entries).toHaveLength(4);
    expect(written.entries.slice(1)).toEqual(file.entries);
  });

  // root reads any file, so the unreadable case exists only for other users (CI runs as root; developers do not)
  it.skipIf(process.getuid?.() === 0)('a history file that exists but cannot be read is never overwritten', async () => {
    await writeFile(join(dir, HISTORY_FILE), '{"version": 1, "entries": []}');
    await chmod(join(dir, HISTORY_FILE), 0o000);
    const locked = new CompareHistory(dir, silentLogger);
    await locked.add(input('{"input_data": [1]}'), result([1], [1]));
    expect((await locked.list()).total).toBe(1);
    await chmod(join(dir, HISTORY_FILE), 0o644);
    expect(await readFile(join(dir, HISTORY_FILE), 'utf8')).toBe('{"version": 1, "entries": []}');
  });

  it('a second corrupt history file keeps the first one\'s copy', async () => {
    for (const text of ['first [', 'second [']) {
      await writeFile(join(dir, HISTORY_FILE), text);
      await new CompareHistory(dir, silentLogger).add(input('{}'), result([1], [1]));
    }
    const names = (await readdir(dir)).filter((n) => n.startsWith(`${HISTORY_FILE}.bak`)).sort();
    expect(names).toHaveLength(2);
    expect(await readFile(join(dir, `${HISTORY_FILE}.bak`), 'utf8')).toBe('first [');
    expect(await readFile(join(dir, names[1]!), 'utf8')).toBe('second [');
  });

  it('copies of corrupt history files are bounded: a crash loop does not add one per start', async () => {
    for (let i = 0; i < MAX_KEPT_COPIES + 3; i++) {
      await writeFile(join(dir, HISTORY_FILE), `corrupt ${i} [`);
      await new CompareHistory(dir, silentLogger).add(input('{}'), result([1], [1]));
    }
    const names = (await readdir(dir)).filter((n) => n.startsWith(`${HISTORY_FILE}.bak`));
    expect(names).toHaveLength(MAX_KEPT_COPIES);
    // the first ones are kept, each as it was
    expect(await readFile(join(dir, `${HISTORY_FILE}.bak`), 'utf8')).toBe('corrupt 0 [');
    expect(await readFile(join(dir, `${HISTORY_FILE}.bak.${MAX_KEPT_COPIES - 1}`), 'utf8')).toBe(`corrupt ${MAX_KEPT_COPIES - 1} [`);
  });
});
