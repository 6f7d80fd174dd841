import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewPredictions, PREVIEW_BYTES } from './batch/predictions-preview';
import { saveExportFiles } from './export-files';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-export-files-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const FILES = [
  { name: 'model-m-1.yml', content: 'name: m\nversion: "1"\n' },
  { name: 'batch-endpoint.yml', content: 'name: ep\nauth_mode: aad_token\n' },
];

describe('saveExportFiles', () => {
  it('writes every file into a folder it creates, leaving no temp files', async () => {
    const folder = join(tmp, 'repo', 'azureml');
    const r = await saveExportFiles(folder, FILES);
    expect(r).toEqual({ folder, written: [join(folder, 'model-m-1.yml'), join(folder, 'batch-endpoint.yml')] });
    expect((await readdir(folder)).sort()).toEqual(['batch-endpoint.yml', 'model-m-1.yml']);
    expect(await readFile(join(folder, 'batch-endpoint.yml'), 'utf8')).toBe(FILES[1]!.content);
  });

  it('writes nothing when any file exists, naming them all; replaces them all with overwrite', async () => {
    await writeFile(join(tmp, 'batch-endpoint.yml'), 'mine\n');
    const err = await saveExportFiles(tmp, FILES).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_OUTPUT_EXISTS', details: { file: join(tmp, 'batch-endpoint.yml'), existing: ['batch-endpoint.yml'] } });
    expect((err as Error).message).toContain('Nothing was written');
    expect(await readdir(tmp)).toEqual(['batch-endpoint.yml']);
    expect(await readFile(join(tmp, 'batch-endpoint.yml'), 'utf8')).toBe('mine\n');
    await saveExportFiles(tmp, FILES, true);
    expect(await readFile(join(tmp, 'batch-endpoint.yml'), 'utf8')).toBe(FILES[1]!.content);
    expect((await readdir(tmp)).sort()).toEqual(['batch-endpoint.yml', 'model-m-1.yml']);
  });

  it('refuses names with folders in them and a folder that is a file', async () => {
    await expect(saveExportFiles(tmp, [{ name: '../evil.yml', content: 'x' }])).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await writeFile(join(tmp, 'afile'), 'x');
    await expect(saveExportFiles(join(tmp, 'afile'), FILES)).rejects.toThrow(/is a file; choose a folder/);
    expect((await readdir(tmp)).sort()).toEqual(['afile']);
  });
});

describe('previewPredictions', () => {
  it('gives the header, the first rows and the row count of a small file (quoted fields kept whole)', async () => {
    const path = join(tmp, 'predictions.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `${i},${i * 1.5},"part, ${i}.csv"`);
    await writeFile(path, `row,prediction,file_name\n${rows.join('\n')}\n`);
    const p = await previewPredictions(path, 5);
    expect(p.columns).toEqual(['row', 'prediction', 'file_name']);
    expect(p.rows).toEqual([0, 1, 2, 3, 4].map((i) => [String(i), String(i * 1.5), `part, ${i}.csv`]));
    expect(p.totalRows).toBe(30);
  });

  it('reads only the start of a large file: no row count, no torn last row', async () => {
    const path = join(tmp, 'big.csv');
    const line = (i: number) => `${i},${'9'.repeat(40)},file.csv`;
    const n = Math.ceil((PREVIEW_BYTES * 3) / line(0).length);
    await writeFile(path, `row,prediction,file_name\n${Array.from({ length: n }, (_, i) => line(i)).join('\n')}\n`);
    const p = await previewPredictions(path, 500);
    expect(p.totalRows).toBeNull();
    expect(p.rows).toHaveLength(500);
    expect(p.rows.every((r) => r.length === 3 && r[2] === 'file.csv')).toBe(true);
  });

  it('says what is wrong with a missing file or one that is not CSV', async () => {
    await expect(previewPredictions(join(tmp, 'gone.csv'))).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await writeFile(join(tmp, 'notes.txt'), 'x');
    await expect(previewPredictions(join(tmp, 'notes.txt'))).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });
});
