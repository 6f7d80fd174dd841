/**
 * Browser mode's write confinement covers the Azure view's disk writes and reads too: the exported YAML
 * (`azure.saveFiles`), the batch job's predictions download (`azure.batchInvoke` outDir) and the predictions
 * preview (`azure.batchPreview`) stay inside folders the user granted. Real files, the real handlers.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureFilesHandlers } from '../../src/main/ipc/handlers/azure-files';
import type { Handlers } from '../../src/main/ipc/dispatch';
import { confineWrites, WriteGrants } from '../../src/main/host/write-confinement';

let tmp: string;
let granted: string;
let other: string;
let confined: Handlers;
const invoked: string[] = [];
const ctx = { senderId: 'test', signal: new AbortController().signal } as never;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-azure-confine-'));
  granted = join(tmp, 'granted');
  other = join(tmp, 'other');
  await mkdir(granted);
  await mkdir(other);
  await writeFile(join(other, 'secrets.csv'), 'user,password\nalice,hunter2\n');
  await writeFile(join(granted, 'predictions.csv'), 'row,prediction,file_name\n0,1.5,a.csv\n');
  const grants = new WriteGrants();
  await grants.allow(granted);
  const handlers = {
    model: {},
    batch: {},
    collections: {},
    azure: { ...azureFilesHandlers(), batchInvoke: async (i: { outDir: string }) => (invoked.push(i.outDir), {}) },
  } as unknown as Handlers;
  confined = confineWrites(handlers, grants);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const files = [{ name: 'endpoint.yml', content: 'name: ep\n' }];

describe('browser mode confines the Azure view to granted folders', () => {
  it('saves exported YAML inside a granted folder and refuses any other, writing nothing', async () => {
    await expect(confined.azure.saveFiles({ folder: join(granted, 'azureml'), files }, ctx)).resolves.toMatchObject({ written: [join(granted, 'azureml', 'endpoint.yml')] });
    expect(await readFile(join(granted, 'azureml', 'endpoint.yml'), 'utf8')).toBe('name: ep\n');
    for (const folder of [other, join(granted, '..', 'other', 'yaml'), join(tmp, 'new')]) {
      await expect(confined.azure.saveFiles({ folder, files }, ctx)).rejects.toMatchObject({ code: 'E_FORBIDDEN', message: expect.stringContaining('outside the folders') });
    }
    expect(existsSync(join(other, 'endpoint.yml'))).toBe(false);
    expect(existsSync(join(tmp, 'new'))).toBe(false);
  });

  it('downloads batch predictions only into a granted folder', async () => {
    await expect(confined.azure.batchInvoke({ endpoint: 'ep', input: granted, outDir: other } as never, ctx)).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    expect(invoked).toEqual([]);
    await confined.azure.batchInvoke({ endpoint: 'ep', input: other, outDir: join(granted, 'out') } as never, ctx);
    expect(invoked).toEqual([join(granted, 'out')]);
  });

  it('previews a predictions file in a granted folder, and reads no .csv file elsewhere', async () => {
    await expect(confined.azure.batchPreview({ path: join(granted, 'predictions.csv') }, ctx)).resolves.toMatchObject({ columns: ['row', 'prediction', 'file_name'], rows: [['0', '1.5', 'a.csv']], totalRows: 1 });
    const err = await confined.azure.batchPreview({ path: join(other, 'secrets.csv') }, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_FORBIDDEN' });
    expect(JSON.stringify(err)).not.toContain('hunter2');
  });
});
