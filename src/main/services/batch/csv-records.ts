/**
 * Streams a CSV file as records (one data row each, quoted newlines kept inside their record) in chunks
 * of at most `chunkRows`, so a file of any size is read with memory bounded by one chunk. Records are
 * handed on as raw text: the payload engine's `parseCsvFrame` types them (csv-frames.ts), so there is
 * one CSV typing implementation.
 */
import { createReadStream } from 'node:fs';

export interface CsvChunk {
  /** Raw text of each record, without its line ending. */
  records: string[];
  /** 1-based line where each record starts (the header is line 1). */
  lines: number[];
}

export interface CsvRecordStream {
  /** Header record (raw text); null for an empty file. */
  header: string | null;
  chunks: AsyncGenerator<CsvChunk, void, void>;
}

const QUOTE = 34, LF = 10, CR = 13;

/** Longest record read (characters). Far above any real row; an unclosed quote would otherwise pull the whole file into one string. */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

/** A record longer than MAX_RECORD_CHARS: `line` is where it starts. */
export class CsvRecordTooLongError extends Error {
  constructor(readonly line: number, readonly inQuotes: boolean) {
    super(
      `the record starting at line ${line} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB` +
        (inQuotes ? ' and is still inside a quoted field: a quote (") is probably never closed' : ': the file probably has no line ends') +
        '. Fix the file, or export it again from its source.',
    );
  }
}

/**
 * Splits text into records at line ends outside quotes: LF, CRLF, or a lone CR (as pandas' C parser and
 * `parseCsvRows` do — a lone CR split by one and not the other made a chunk's frame one row longer than
 * its records, misnumbering every prediction after it). Blank lines are skipped like pandas'
 * `skip_blank_lines=True` (a line holding only `""` is a record, see `parseCsvRows`).
 */
class RecordSplitter {
  private pending = '';
  private inQuotes = false;
  private line = 1;
  private recordLine = 1;
  private sawQuote = false;
  private first = true;
  /** The previous text ended with a CR: an LF at the start of the next one belongs to it. */
  private afterCr = false;

  /** Feeds text; calls `emit` for each complete record. */
  push(text: string, emit: (record: string, line: number) => void): void {
    if (this.first) {
      this.first = false;
      // A UTF-8 byte-order mark would otherwise become part of the first column's name.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    const n = text.length;
    let i = 0;
    if (this.afterCr && n > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === LF) start = i = 1;
    }
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.inQuotes = !this.inQuotes;
        this.sawQuote = true;
      } else if (c === LF || c === CR) {
        if (c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) continue; // CRLF: the LF ends the line
        this.line++;
        if (this.inQuotes) continue;
        let record = this.pending + text.slice(start, i);
        if (c === LF && record.charCodeAt(record.length - 1) === CR) record = record.slice(0, -1);
        if (c === CR && i + 1 === n) this.afterCr = true;
        start = i + 1;
        this.pending = '';
        if (record !== '' || this.sawQuote) emit(record, this.recordLine);
        this.recordLine = this.line;
        this.sawQuote = false;
      }
    }
    this.pending += text.slice(start);
    if (this.pending.length > MAX_RECORD_CHARS) throw new CsvRecordTooLongError(this.recordLine, this.inQuotes);
  }

  end(emit: (record: string, line: number) => void): void {
    const record = this.pending;
    this.pending = '';
    if (record !== '' || this.sawQuote) emit(record, this.recordLine);
  }
}

/**
 * Opens `path` and returns its header plus an async generator of record chunks. The file is read
 * lazily; stopping the generator (return/throw) closes it.
 */
export async function openCsvRecords(
  path: string,
  /** Records per chunk, or a function of the header record (e.g. fewer rows for a wide file). */
  chunkRowsOrFn: number | ((header: string) => number),
  options: { signal?: AbortSignal } = {},
): Promise<CsvRecordStream> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20, signal: options.signal });
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  const splitter = new RecordSplitter();
  let header: string | null = null;
  let queue: { record: string; line: number }[] = [];
  const emit = (record: string, line: number): void => {
    if (header === null) header = record;
    else queue.push({ record, line });
  };
  let done = false;
  let chunkRows: number;
  try {
    // Read until the header is known, so callers can check it before scoring anything.
    while (header === null && !done) {
      const next = await iterator.next();
      if (next.done) {
        splitter.end(emit);
        done = true;
      } else splitter.push(next.value, emit);
    }
    const first = header as string | null;
    chunkRows = typeof chunkRowsOrFn === 'number' ? chunkRowsOrFn : first === null ? 1 : Math.max(1, chunkRowsOrFn(first));
  } catch (err) {
    stream.destroy();
    throw err;
  }
  async function* chunks(): AsyncGenerator<CsvChunk, void, void> {
    try {
      for (;;) {
        // Chunks are taken at a read index and the queue is compacted once per refill: re-copying the rest of
        // the queue per chunk (slice or splice from the front) is quadratic when chunks are small.
        let head = 0;
        while (queue.length - head >= chunkRows) {
          const take = queue.slice(head, head + chunkRows);
          head += chunkRows;
          yield { records: take.map((r) => r.record), lines: take.map((r) => r.line) };
        }
        if (head > 0) queue = queue.slice(head);
        if (done) break;
        const next = await iterator.next();
        if (next.done) {
          splitter.end(emit);
          done = true;
        } else splitter.push(next.value, emit);
      }
      if (queue.length) {
        const rest = queue;
        queue = [];
        yield { records: rest.map((r) => r.record), lines: rest.map((r) => r.line) };
      }
    } finally {
      stream.destroy();
    }
  }
  return { header, chunks: chunks() };
}
