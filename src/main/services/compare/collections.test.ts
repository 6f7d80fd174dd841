import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SavedRequestData } from '@shared/ipc/collections-contract';
import { fileNameOf, RequestCollections } from './collections';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-collections-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const request: SavedRequestData = {
  name: 'Churn: two rows',
  body: '{\n  "input_data": {"columns": ["a"], "data": [[1], [2]]}\n}',
  contentType: 'application/json',
  targets: [{ kind: 'local', server: 'azureml' }, { kind: 'url', server: 'azureml', url: 'https://ep.inference.ml.azure.com/score' }],
  headers: [
    { name: 'Authorization', value: 'Bearer sk-never-in-a-file' },
    { name: 'azureml-model-deployment', value: 'blue' },
  ],
  tolerance: { abs: 1e-6, rel: 1e-6 },
};

describe('RequestCollections', () => {
  it('saves one git-friendly file per request, without the secret, and opens it back', async () => {
    const c = new RequestCollections();
    const saved = await c.save(dir, request, false);
    expect(saved).toEqual({ file: 'churn-two-rows.request.json', secretsLeftOut: ['Authorization'] });
    const text = await readFile(join(dir, saved.file), 'utf8');
    expect(text).not.toContain('sk-never-in-a-file');
    expect(text.endsWith('}\n')).toBe(true);
    // The body line by line: a diff shows the line that changed.
    expect(text).toContain('"body": [\n    "{",\n    "  \\"input_data\\"');
    const back = await c.open(dir, saved.file);
    expect(back).toEqual({ ...request, headers: [{ name: 'Authorization', value: null }, { name: 'azureml-model-deployment', value: 'blue' }] });
    expect((await c.list(dir)).entries).toMatchObject([{ file: saved.file, name: 'Churn: two rows', targets: 2 }]);
    // made for the pin: the file names no version
    expect(text).not.toContain('mlflowVersion');
  });

  it('a request made for another MLflow version than the pin keeps it; a file without one is the pin\'s', async () => {
    const c = new RequestCollections();
    const saved = await c.save(dir, { ...request, name: 'on 2.12', mlflowVersion: '2.12.2' }, false);
    expect(await readFile(join(dir, saved.file), 'utf8')).toContain('"mlflowVersion": "2.12.2"');
    expect((await c.open(dir, saved.file)).mlflowVersion).toBe('2.12.2');
    const plain = await c.save(dir, request, false);
    expect((await c.open(dir, plain.file)).mlflowVersion).toBeUndefined();
  });

  it('records the model a request was saved for, pretty-printed before the body; a file written before that opens as before', async () => {
    const c = new RequestCollections();
    const model = { folder: 'churn-model', modelUuid: '7f1c2d', signature: 'fnv1a64:0123456789abcdef' };
    const saved = await c.save(dir, { ...request, model }, false);
    const text = await readFile(join(dir, saved.file), 'utf8');
    // one key a line (git diffs stay readable), and the body still last, line by line
    expect(text).toContain('  "model": {\n    "folder": "churn-model",\n    "modelUuid": "7f1c2d",\n    "signature": "fnv1a64:0123456789abcdef"\n  },\n  "body": [\n');
    expect((await c.open(dir, saved.file)).model).toEqual(model);
    expect((await c.list(dir)).entries[0]!.model).toEqual(model);
    // exactly what Preflight wrote before it recorded the model
    const old = ['{', '  "format": "preflight-request",', '  "version": 1,', '  "name": "old",', '  "contentType": "application/json",', '  "targets": [],', '  "headers": [],', '  "tolerance": {', '    "abs": 0.000001,', '    "rel": 0.000001', '  },', '  "body": [', '    "{}"', '  ]', '}', ''].join('\n');
    await writeFile(join(dir, 'old.request.json'), old);
    const back = await c.open(dir, 'old.request.json');
    expect(back.model).toBeUndefined();
    expect(back.body).toBe('{}');
    expect((await c.list(dir)).entries.find((e) => e.file === 'old.request.json')!.model).toBeNull();
    // and one a newer Preflight wrote, with a key this build does not know: opened with what it reads
    await writeFile(join(dir, 'newer.request.json'), old.replace('  "body": [', '  "addedLater": {"x": 1},\n  "body": ['));
    const newer = await c.open(dir, 'newer.request.json');
    expect(newer.body).toBe('{}');
    expect(newer).not.toHaveProperty('addedLater');
    // a rename changes the name only: the newer key stays, in its place
    const renamed = await c.rename(dir, 'newer.request.json', 'Newer one');
    expect(await readFile(join(dir, renamed.file), 'utf8')).toBe(old.replace('"name": "old"', '"name": "Newer one"').replace('  "body": [', '  "addedLater": {\n    "x": 1\n  },\n  "body": ['));
  });

  it('a FIFO, a folder and an oversized file named *.request.json are listed as problems at once, never read', async () => {
    const c = new RequestCollections();
    await c.save(dir, request, false);
    execFileSync('mkfifo', [join(dir, 'pipe.request.json')]);
    await mkdir(join(dir, 'folder.request.json'));
    await writeFile(join(dir, 'huge.request.json'), '');
    await truncate(join(dir, 'huge.request.json'), 200 * 1024 * 1024);
    const listed = await c.list(dir);
    expect(listed.entries.map((e) => e.file)).toEqual([fileNameOf(request.name)]);
    expect(listed.problems).toEqual([
      expect.stringMatching(/folder\.request\.json is a folder, not a file\./),
      expect.stringMatching(/huge\.request\.json is 200(\.0)? MiB, more than the 160(\.0)? MiB Preflight reads/),
      expect.stringMatching(/pipe\.request\.json is not a regular file \(it is a FIFO, socket or device\)/),
    ]);
    await expect(c.open(dir, 'pipe.request.json')).rejects.toMatchObject({ code: 'E_UNREADABLE' });
    await expect(c.open(dir, 'gone.request.json')).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: `${join(dir, 'gone.request.json')} no longer exists (moved or deleted since the folder was listed); Open folder again to see what it holds now.` });
    // a folder that is not there: what to do, in Save's words (not "cannot be read (ENOENT)")
    await expect(c.list(join(dir, 'nope'))).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: `The collection folder ${join(dir, 'nope')} does not exist; create it or choose another.` });
  });

  it('refuses to overwrite unless asked, renames name and file, and reports unreadable files', async () => {
    const c = new RequestCollections();
    await c.save(dir, request, false);
    await expect(c.save(dir, request, false)).rejects.toMatchObject({ code: 'E_OUTPUT_EXISTS' });
    await c.save(dir, { ...request, body: '{}' }, true);
    expect((await c.open(dir, 'churn-two-rows.request.json')).body).toBe('{}');
    expect(await c.rename(dir, 'churn-two-rows.request.json', 'Renamed')).toEqual({ file: 'renamed.request.json' });
    expect(await readdir(dir)).toEqual(['renamed.request.json']);
    expect((await c.open(dir, 'renamed.request.json')).name).toBe('Renamed');
    await writeFile(join(dir, 'broken.request.json'), '{"format": "preflight-request", "version": 1');
    const list = await c.list(dir);
    expect(list.entries.map((e) => e.name)).toEqual(['Renamed']);
    expect(list.problems[0]).toMatch(/broken\.request\.json is not a saved Preflight request/);
    await expect(c.open(dir, '../x.request.json')).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(c.save(join(dir, 'missing'), request, false)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
