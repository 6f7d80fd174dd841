/**
 * Messages between a batch job (parent) and its file-reader process (`file-worker.js`). The reader
 * decodes untrusted files (parquet today) where an endless loop, a memory blow-up or a thrown error in
 * a decoder cannot take the app, the CLI or the browser-mode host down with it.
 */
import type { SchemaElement } from 'hyparquet';

export type ToReader =
  | { type: 'parquet-open'; id: number; path: string }
  | { type: 'parquet-read'; id: number; path: string; rowStart: number; rowEnd: number };

/** A top-level parquet column: its schema element and whether it has children (list/struct/map). */
export interface ParquetColumnInfo {
  element: SchemaElement;
  nested: boolean;
}

export type FromReader =
  | { type: 'parquet-opened'; id: number; rows: number; columns: ParquetColumnInfo[] }
  | { type: 'rows'; id: number; rows: unknown[][] }
  /** The file is not what it claims: `message` says what is wrong, in words for the user. */
  | { type: 'error'; id: number; message: string };
