import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvRows } from '@shared/mlflow/payload/csv';
import { openCsvRecords } from './csv-records';

const dir = mkdtempSync(join(tmpdir(), 'preflight-csv-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function records(text: string, chunkRows = 2): Promise<{ header: string | null; records: string[]; lines: number[] }> {
  const path = join(dir, 'in.csv');
  writeFileSync(path, text);
  const { header, chunks } = await openCsvRecords(path, chunkRows);
  const out = { header, records: [] as string[], lines: [] as number[] };
  for await (const c of chunks) {
    out.records.push(...c.records);
    out.lines.push(...c.lines);
  }
  return out;
}

describe('openCsvRecords line ends', () => {
  // Found by the fuzz suite: a lone CR made the chunk's frame one row longer than its records.
  it('a lone CR ends a record, as in pandas and parseCsvRows', async () => {
    const text = 'a,b\n1,2\r3,4\r\n5,6\n';
    const r = await records(text);
    expect(r.records).toEqual(['1,2', '3,4', '5,6']);
    expect(r.lines).toEqual([2, 3, 4]);
    expect(parseCsvRows(text).slice(1).map((x) => x.join(','))).toEqual(r.records);
  });

  it('CR and LF inside quotes stay in the record; CRLF counts as one line', async () => {
    const r = await records('a,b\r\n"x\r\ny",1\r\n"p\rq",2\r\n');
    expect(r.header).toBe('a,b');
    expect(r.records).toEqual(['"x\r\ny",1', '"p\rq",2']);
    expect(r.lines).toEqual([2, 4]);
  });
});
