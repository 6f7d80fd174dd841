/**
 * Small valid input files the hostile-file tests corrupt: a parquet file with the column kinds batch
 * reads (doubles, nullable ints — optional columns, so v2 pages carry definition levels — strings,
 * booleans; several row groups), and its CSV twin.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';

export const PARQUET_ROWS = 300;

export function validParquet(rows = PARQUET_ROWS): Uint8Array {
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'a', data: Array.from({ length: rows }, (_, i) => i * 0.5), type: 'DOUBLE' },
      { name: 'b', data: Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : i)), type: 'INT32' },
      { name: 's', data: Array.from({ length: rows }, (_, i) => `x${i % 5}`), type: 'STRING' },
      { name: 't', data: Array.from({ length: rows }, (_, i) => i % 3 === 0), type: 'BOOLEAN' },
    ],
    rowGroupSize: 100,
  });
  return new Uint8Array(buf);
}

/** The diabetes sample model's ten double columns, `rows` rows (scores with resources/sample-model). */
export const DIABETES_COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

export function diabetesParquet(rows: number): Uint8Array {
  const buf = parquetWriteBuffer({
    columnData: DIABETES_COLUMNS.map((name, c) => ({ name, data: Array.from({ length: rows }, (_, k) => (((k * 10 + c) % 7) / 100) - 0.03), type: 'DOUBLE' as const })),
    rowGroupSize: Math.max(1, Math.ceil(rows / 3)),
  });
  return new Uint8Array(buf);
}

export function diabetesCsv(rows: number): string {
  return `${DIABETES_COLUMNS.join(',')}\n${Array.from({ length: rows }, (_, k) => DIABETES_COLUMNS.map((_, c) => (((k * 10 + c) % 7) / 100) - 0.03).join(',')).join('\n')}\n`;
}
