/**
 * Entry of the file-reader process (bundled to `out/node/file-worker.js`, started by FileReader through the
 * host's Node-worker launcher with a heap limit; it talks back through `parentChannel()`). Decodes untrusted batch input files; every answer is one message with the call's id.
 * A decoder that loops forever or exhausts memory ends only this process: the parent's deadline kills it.
 */
import { CorruptFileError, openCheckedParquet, readCheckedRows, type OpenedParquet } from './parquet-checked';
import type { FromReader, ToReader } from './reader-protocol';
import { parentChannel } from '../../child/parent-channel';

/** Open files, most recently used last; a batch job reads one file at a time, a few cover a folder. */
const MAX_OPEN = 4;
const open = new Map<string, Promise<OpenedParquet>>();

function opened(path: string): Promise<OpenedParquet> {
  const hit = open.get(path);
  if (hit) {
    open.delete(path);
    open.set(path, hit);
    return hit;
  }
  const p = openCheckedParquet(path);
  open.set(path, p);
  p.catch(() => open.delete(path));
  while (open.size > MAX_OPEN) open.delete(open.keys().next().value as string);
  return p;
}

async function answer(m: ToReader): Promise<FromReader> {
  try {
    if (m.type === 'parquet-open') {
      open.delete(m.path); // a new job re-reads the footer: the file may have changed since
      const p = await opened(m.path);
      return { type: 'parquet-opened', id: m.id, rows: p.rows, columns: p.columns };
    }
    const p = await opened(m.path);
    return { type: 'rows', id: m.id, rows: await readCheckedRows(p, m.rowStart, m.rowEnd) };
  } catch (err) {
    const message = err instanceof CorruptFileError ? err.message : `it cannot be decoded (${err instanceof Error ? err.message : String(err)})`;
    return { type: 'error', id: m.id, message };
  }
}

const parent = parentChannel();
parent.onMessage((m) => {
  void answer(m as ToReader).then((reply) => parent.send(reply));
});
// A decoder promise rejected after its call already failed must not end the process for the next call.
process.on('unhandledRejection', (err) => process.stderr.write(`file reader: ignored late error: ${err instanceof Error ? err.message : String(err)}\n`));
