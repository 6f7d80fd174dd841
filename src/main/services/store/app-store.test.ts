import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../ports/logger';
import { AppStore, STORE_FILE_NAME } from './app-store';
import { MAX_KEPT_COPIES } from './keep-copy';

function recordingLogger() {
  const warnings: string[] = [];
  const log: Logger = { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  return { log, warnings };
}

let dir: string;
let clock = 0;
const now = () => new Date(Date.UTC(2025, 0, 1) + clock++ * 1000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function modelDir(name: string): Promise<string> {
  const p = join(dir, 'models', name);
  await mkdir(p, { recursive: true });
  return p;
}

describe('AppStore recent models', () => {
  it('lists newest first and survives a reopen', async () => {
    const { log } = recordingLogger();
    const store = await AppStore.open(join(dir, 'data'), log, { now });
    const a = await modelDir('a');
    const b = await modelDir('b');
    await store.addRecent({ path: a, name: 'a' });
    await store.addRecent({ path: b, name: 'b' });
    expect(store.recent().map((r) => r.name)).toEqual(['b', 'a']);

    const reopened = await AppStore.open(join(dir, 'data'), log, { now });
    expect(reopened.recent().map((r) => r.name)).toEqual(['b', 'a']);
    expect(reopened.recent()[0].openedAt).toMatch(/^2025-01-01T/);
  });

  it('de-duplicates the same folder reached through a symlink or a trailing slash', async () => {
    const { log } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    const a = await modelDir('a');
    const link = join(dir, 'link-to-a');
    await symlink(a, link);
    await store.addRecent({ path: a, name: 'a' });
    await store.addRecent({ path: await modelDir('b'), name: 'b' });
    await store.addRecent({ path: `${link}/`, name: 'a again' });
    const items = store.recent();
    expect(items.map((r) => r.name)).toEqual(['a again', 'b']);
    expect(items[0].path).toBe(a);
  });

  it('keeps at most 20 entries, dropping the oldest', async () => {
    const { log } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    for (let i = 0; i < 25; i++) await store.addRecent({ path: await modelDir(`m${i}`), name: `m${i}` });
    const names = store.recent().map((r) => r.name);
    expect(names).toHaveLength(20);
    expect(names[0]).toBe('m24');
    expect(names.at(-1)).toBe('m5');
  });

  it('forgets an entry by its listed path', async () => {
    const { log } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    const a = await modelDir('a');
    await store.addRecent({ path: a, name: 'a' });
    await store.addRecent({ path: await modelDir('b'), name: 'b' });
    expect((await store.forgetRecent(a)).map((r) => r.name)).toEqual(['b']);
    // A folder deleted since it was listed can still be forgotten.
    const gone = await modelDir('gone');
    await store.addRecent({ path: gone, name: 'gone' });
    await rm(gone, { recursive: true });
    expect((await store.forgetRecent(gone)).map((r) => r.name)).toEqual(['b']);
  });

  it('concurrent additions all land', async () => {
    const { log } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    const paths = await Promise.all(['a', 'b', 'c', 'd'].map(modelDir));
    await Promise.all(paths.map((p, i) => store.addRecent({ path: p, name: String(i) })));
    expect(store.recent()).toHaveLength(4);
    const onDisk = JSON.parse(await readFile(join(dir, STORE_FILE_NAME), 'utf8'));
    expect(onDisk.recent).toHaveLength(4);
  });

  it('two stores on one folder (app + CLI) do not erase each other', async () => {
    const { log } = recordingLogger();
    const one = await AppStore.open(dir, log, { now });
    const two = await AppStore.open(dir, log, { now });
    await one.addRecent({ path: await modelDir('a'), name: 'a' });
    await two.addRecent({ path: await modelDir('b'), name: 'b' });
    expect(two.recent().map((r) => r.name)).toEqual(['b', 'a']);
  });
});

describe('AppStore files on disk', () => {
  it('writes atomically: no temp files remain and the file is complete JSON', async () => {
    const { log } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    await store.setSetting('theme', 'dark');
    await store.addRecent({ path: await modelDir('a'), name: 'a' });
    const names = await readdir(dir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const onDisk = JSON.parse(await readFile(join(dir, STORE_FILE_NAME), 'utf8'));
    expect(onDisk).toMatchObject({ version: 1, settings: { theme: 'dark' } });
  });

  it('a corrupt file is kept as .bak, a warning is logged and the store starts empty', async () => {
    await writeFile(join(dir, STORE_FILE_NAME), '{"version":1,"recent":[{"path":');
    const { log, warnings } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    expect(store.recent()).toEqual([]);
    expect(await readFile(join(dir, `${STORE_FILE_NAME}.bak`), 'utf8')).toBe('{"version":1,"recent":[{"path":');
    expect(warnings.join('\n')).toMatch(/corrupt \(not valid JSON/);
    // The next write replaces the corrupt file with a valid one.
    await store.addRecent({ path: await modelDir('a'), name: 'a' });
    expect(JSON.parse(await readFile(join(dir, STORE_FILE_NAME), 'utf8')).recent).toHaveLength(1);
  });

  it('a second corruption keeps the first copy: both earlier files survive, the store starts empty and says where each copy is', async () => {
    const first = '{"version":1,"settings":{"theme":"dark"},"recent":[{"path":';
    const second = '{"version":1,"settings":{"theme":"light"}';
    const copies: string[] = [];
    for (const text of [first, second]) {
      await writeFile(join(dir, STORE_FILE_NAME), text);
      const { log, warnings } = recordingLogger();
      const store = await AppStore.open(dir, log, { now });
      expect(store.settings()).toEqual({});
      expect(store.recent()).toEqual([]);
      const kept = /kept a copy at (\S+) and started with an empty store/.exec(warnings.join('\n'));
      expect(kept, warnings.join('\n')).not.toBeNull();
      copies.push(kept![1]!);
      await store.setSetting('opened', true);
    }
    expect(copies).toEqual([join(dir, `${STORE_FILE_NAME}.bak`), join(dir, `${STORE_FILE_NAME}.bak.1`)]);
    expect(await readFile(copies[0]!, 'utf8')).toBe(first);
    expect(await readFile(copies[1]!, 'utf8')).toBe(second);
  });

  it('the same corrupt file read again (open, then the first change) is copied once', async () => {
    await writeFile(join(dir, STORE_FILE_NAME), 'not json');
    const { log, warnings } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    await store.setSetting('theme', 'dark');
    expect((await readdir(dir)).filter((n) => n.includes('.bak'))).toEqual([`${STORE_FILE_NAME}.bak`]);
    expect(warnings.every((w) => !w.includes('.bak.1'))).toBe(true);
  });

  it('copies are bounded: with every name taken, none is overwritten and the warning says how to keep the next one', async () => {
    const names = [`${STORE_FILE_NAME}.bak`, ...Array.from({ length: MAX_KEPT_COPIES - 1 }, (_, i) => `${STORE_FILE_NAME}.bak.${i + 1}`)];
    for (const [i, name] of names.entries()) await writeFile(join(dir, name), `earlier ${i}`);
    await writeFile(join(dir, STORE_FILE_NAME), 'corrupt again');
    const { log, warnings } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    expect(store.recent()).toEqual([]);
    expect((await readdir(dir)).filter((n) => n.includes('.bak')).sort()).toEqual([...names].sort());
    for (const [i, name] of names.entries()) expect(await readFile(join(dir, name), 'utf8')).toBe(`earlier ${i}`);
    expect(warnings.join('\n')).toMatch(/was not copied: 10 earlier copies .* are kept and none is overwritten; move them out of the folder/);
  });

  it('valid JSON of the wrong shape is treated as corrupt and names the bad field', async () => {
    await writeFile(join(dir, STORE_FILE_NAME), JSON.stringify({ version: 1, settings: {}, recent: [{ path: 3 }] }));
    const { log, warnings } = recordingLogger();
    const store = await AppStore.open(dir, log, { now });
    expect(store.recent()).toEqual([]);
    expect(warnings.join('\n')).toMatch(/recent\.0\.path/);
  });

  it('an unwritable folder gives an E_ENVIRONMENT error naming the folder', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const { log } = recordingLogger();
    await expect(AppStore.open(join(file, 'sub'), log)).rejects.toMatchObject({
      code: 'E_ENVIRONMENT',
      message: expect.stringContaining(join(file, 'sub')),
    });
  });
});
