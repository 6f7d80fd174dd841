/**
 * Checks the page headers of a row group's column chunks before hyparquet decodes them. hyparquet 1.33
 * trusts these headers: a v2 data page header without its level lengths sets its read offset to
 * `undefined`, and its varint reader then loops forever on byte 0 (the "endless loop in a v2 data page"
 * of issue 12). Every header field a decoder uses as a length or an offset is checked here, so such a
 * file fails at once with what is wrong; the file-reader's deadline remains for anything not caught.
 */
import type { FileMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { CorruptFileError } from './corrupt-file-error';

type AsyncBuffer = { byteLength: number; slice(start: number, end?: number): ArrayBuffer | Promise<ArrayBuffer> };

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Throws CorruptFileError when a page header in row group `g` is impossible. */
export async function checkRowGroupPages(file: AsyncBuffer, metadata: FileMetaData, g: number): Promise<void> {
  const group = metadata.row_groups[g]!;
  const groupRows = Number(group.num_rows);
  for (const chunk of group.columns) {
    const meta = chunk.meta_data;
    if (!meta) throw new CorruptFileError(`row group ${g} has a column without metadata`);
    const column = meta.path_in_schema.join('.');
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const size = Number(meta.total_compressed_size);
    if (!isCount(start) || !isCount(size) || start + size > file.byteLength)
      throw new CorruptFileError(`column '${column}' in row group ${g} lies outside the file (bytes ${start}–${start + size} of ${file.byteLength})`);
    const bytes = await file.slice(start, start + size);
    const view = new DataView(bytes);
    const reader = { view, offset: 0 };
    let values = 0;
    const expected = Number(meta.num_values);
    // Stop after the data pages that hold the chunk's values (writers may pad the chunk after them).
    while (reader.offset < view.byteLength - 1 && values < expected) {
      let header;
      try {
        header = parquetHeader(reader);
      } catch (err) {
        throw new CorruptFileError(`a page header of column '${column}' in row group ${g} cannot be read (${err instanceof Error ? err.message : String(err)})`);
      }
      const where = `a page of column '${column}' in row group ${g}`;
      if (!isCount(header.compressed_page_size) || reader.offset + header.compressed_page_size > view.byteLength)
        throw new CorruptFileError(`${where} claims ${String(header.compressed_page_size)} bytes, more than its column chunk holds`);
      if (!isCount(header.uncompressed_page_size)) throw new CorruptFileError(`${where} has an impossible uncompressed size (${String(header.uncompressed_page_size)})`);
      const v2 = header.data_page_header_v2;
      const v1 = header.data_page_header;
      if (header.type === 'DATA_PAGE_V2') {
        if (!v2) throw new CorruptFileError(`${where} is a v2 data page without its header`);
        const { num_values: n, num_rows: rows, num_nulls: nulls, definition_levels_byte_length: def, repetition_levels_byte_length: rep } = v2;
        if (!isCount(n) || !isCount(rows) || !isCount(nulls) || !isCount(def) || !isCount(rep))
          throw new CorruptFileError(`${where} has a damaged v2 header (values ${String(n)}, rows ${String(rows)}, nulls ${String(nulls)}, level lengths ${String(rep)}/${String(def)})`);
        if (rep + def > header.compressed_page_size || nulls > n || rows > groupRows)
          throw new CorruptFileError(`${where} has a damaged v2 header (level lengths ${rep}+${def} bytes in a ${header.compressed_page_size}-byte page, ${nulls} nulls of ${n} values, ${rows} rows in a ${groupRows}-row group)`);
        values += n;
      } else if (header.type === 'DATA_PAGE') {
        if (!v1 || !isCount(v1.num_values)) throw new CorruptFileError(`${where} has a damaged header (values ${String(v1?.num_values)})`);
        values += v1.num_values;
      } else if (header.type === 'DICTIONARY_PAGE') {
        if (!header.dictionary_page_header || !isCount(header.dictionary_page_header.num_values))
          throw new CorruptFileError(`${where} is a dictionary page with a damaged header`);
      } else if (header.type !== 'INDEX_PAGE') {
        throw new CorruptFileError(`${where} has an unknown page type`);
      }
      reader.offset += header.compressed_page_size;
    }
    if (values < expected)
      throw new CorruptFileError(`column '${column}' in row group ${g}: its pages hold ${values} values but the footer counts ${expected}`);
  }
}
