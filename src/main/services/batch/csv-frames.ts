/**
 * One chunk of CSV records → the DataFrame pandas' `read_csv` would build, by the payload engine's own
 * CSV reader (`parseCsvFrame`: header row, quoted fields, empty → NaN, ints → int64, floats → float64,
 * else object; with a ColSpec signature the named columns are read with their pandas dtype, as Azure's
 * batch driver enforces "the column types … while reading", payloads.md §7).
 *
 * When that fails, pandas names neither row nor column; the batch job must (issue 4), so the failing
 * record and column are found by re-reading only the failing chunk, one record and one cell at a time.
 */
import type { Schema } from '@shared/mlflow/model-report';
import { parseCsvFrame, parseCsvRows } from '@shared/mlflow/payload/csv';
import { PyError, type Frame } from '@shared/mlflow/payload/frame';
import type { CsvChunk } from './csv-records';

/** Where a CSV parse failure is: 0-based row in the file, its line, the column name. */
export interface CsvCellLocation {
  row: number;
  line: number;
  column: string | null;
}

export class CsvChunkError extends Error {
  constructor(
    readonly pyType: string,
    readonly pyMessage: string,
    readonly location: CsvCellLocation | null,
  ) {
    super(pyMessage);
    this.name = 'CsvChunkError';
  }
}

// An empty cell is written `""`: a blank line would be skipped, not read as one empty field.
const quoteField = (s: string): string => (s === '' || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Frame of one chunk; `firstRow` is the file row index of its first record. */
export function csvChunkFrame(header: string, chunk: CsvChunk, schema: Schema | null, firstRow: number): Frame {
  try {
    return parseCsvFrame(`${header}\n${chunk.records.join('\n')}\n`, schema);
  } catch (err) {
    if (!(err instanceof PyError)) throw err;
    throw new CsvChunkError(err.pyType, err.message, locate(header, chunk, schema, firstRow));
  }
}

function fails(text: string, schema: Schema | null): boolean {
  try {
    parseCsvFrame(text, schema);
    return false;
  } catch (err) {
    if (err instanceof PyError) return true;
    throw err;
  }
}

function locate(header: string, chunk: CsvChunk, schema: Schema | null, firstRow: number): CsvCellLocation | null {
  const names = parseCsvRows(header)[0] ?? [];
  for (let k = 0; k < chunk.records.length; k++) {
    const record = chunk.records[k]!;
    if (!fails(`${header}\n${record}\n`, schema)) continue;
    const fields = parseCsvRows(record)[0] ?? [];
    let column: string | null = null;
    if (fields.length > names.length) column = null;
    else {
      for (let c = 0; c < names.length; c++) {
        if (fails(`${quoteField(names[c]!)}\n${quoteField(fields[c] ?? '')}\n`, schema)) {
          column = names[c]!;
          break;
        }
      }
    }
    return { row: firstRow + k, line: chunk.lines[k]!, column };
  }
  return null;
}
