import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CompareHistoryEntrySchema, HISTORY_BODY_CAP, type CompareHistoryEntryData, type CompareResultData } from '@shared/ipc/compare-contract';
import type { CallOutput } from '@shared/ipc/contract';
import type { Logger } from '../../ports/logger';
import { writeFileAtomic } from '../store/atomic-file';
import { keepCopy } from '../store/keep-copy';
import type { CompareInput } from './compare-service';

/**
 * The playground's run history (issue 10; peers.md pain 18): every comparison the app made, newest first,
 * persisted atomically in the user-data folder, searchable and re-openable. Headers are never stored (they
 * carry keys); bodies above HISTORY_BODY_CAP are left out and the entry says so.
 */

export const HISTORY_FILE = 'compare-history.json';
const MAX_ENTRIES = 200;

export const HistoryEntrySchema = CompareHistoryEntrySchema;
export type HistoryEntry = CompareHistoryEntryData;
/** The file as read: its runs as they are on disk, each then read with what this build knows. */
const FileSchema = z.object({ version: z.literal(1), entries: z.array(z.unknown()) });
const EntryOnDisk = HistoryEntrySchema.strip();

/**
 * One run: `raw` is what the file holds and what is written back, so a run a newer build wrote keeps every key
 * this build does not know (its `mlflowVersion`, say, was dropped by an older build otherwise, and a run with an
 * unknown key one level down did not read at all and vanished at the next write); `entry` is what this build
 * reads of it, null when it cannot (the run is then kept on disk, not listed).
 */
interface Row {
  raw: unknown;
  entry: HistoryEntry | null;
}

export class CompareHistory {
  private rows: Row[] | null = null;
  /** False when the file exists but could not be read (permissions, I/O): it is never overwritten then. */
  private writable = true;
  /** Writes one after another, so a slow disk never lets an older list overwrite a newer one. */
  private writing: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(private readonly dir: string, private readonly log: Logger) {}

  private get file(): string {
    return join(this.dir, HISTORY_FILE);
  }

  private async load(): Promise<Row[]> {
    if (this.rows) return this.rows;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        // The file may be fine and only unreadable now (locked, I/O): runs of this session stay in memory, the file is kept.
        this.writable = false;
        this.log.warn(`compare history: ${this.file} could not be read; this session's runs are not saved, so it is not overwritten`, err);
      }
      return (this.rows = []);
    }
    try {
      const rows = FileSchema.parse(JSON.parse(text)).entries.map((raw): Row => {
        const read = EntryOnDisk.safeParse(raw);
        return { raw, entry: read.success ? read.data : null };
      });
      const unread = rows.filter((r) => r.entry === null).length;
      if (unread > 0) this.log.warn(`compare history: ${unread} run(s) in ${this.file} are not ones this build reads (a newer build wrote them?); they are kept, not listed`);
      return (this.rows = rows);
    } catch (err) {
      // The next run replaces the file: keep what was there first (lost work otherwise), as the app store does.
      const backup = await keepCopy(this.file);
      this.log.warn(`compare history: ${this.file} is not a history file Preflight reads; ${backup.path ? `kept a copy at ${backup.path}` : `it ${backup.reason}`} and started a new one`, err);
      return (this.rows = []);
    }
  }

  async add(input: CompareInput, result: CompareResultData, now = new Date()): Promise<HistoryEntry> {
    const rows = await this.load();
    const entry: HistoryEntry = {
      id: `${now.getTime().toString(36)}-${(++this.seq).toString(36)}`,
      time: now.toISOString(),
      modelPath: input.modelPath,
      body: input.body.length <= HISTORY_BODY_CAP ? input.body : null,
      contentType: input.contentType,
      targets: input.targets,
      tolerance: input.tolerance,
      // written only when chosen: a run for the pin has the same entry an older build reads
      ...(input.mlflowVersion ? { mlflowVersion: input.mlflowVersion } : {}),
      agree: result.verdict.agree,
      kind: result.verdict.kind,
      sentence: result.verdict.sentence,
      statuses: result.targets.map((t) => ({ name: t.name, status: t.response?.status ?? null })),
    };
    this.rows = [{ raw: entry, entry }, ...rows].slice(0, MAX_ENTRIES);
    if (!this.writable) return entry;
    const snapshot = JSON.stringify({ version: 1, entries: this.rows.map((r) => r.raw) });
    this.writing = this.writing.then(() => writeFileAtomic(this.file, snapshot)).catch((err: unknown) => this.log.error('compare history: could not be saved', err));
    await this.writing;
    return entry;
  }

  /**
   * Newest first; `query` matches (case-insensitively, as typed: no pattern syntax) the verdict, the model path, target
   * names and the body. Searched with one escaped, case-insensitive pattern rather than lower-casing every field: a full
   * history holds 200 bodies of up to 256 KB, and lower-casing those 50 MB took 0.6–1.8 s per keystroke here, in the
   * main process; the pattern takes 0–90 ms whatever the query.
   */
  async list(query = '', limit = 50): Promise<CallOutput<'compare', 'history'>> {
    const q = query.trim();
    const all = (await this.load()).flatMap((r) => (r.entry ? [r.entry] : []));
    const pattern = q ? new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu') : null;
    const hits = pattern ? all.filter((e) => [e.sentence, e.modelPath, ...e.statuses.map((s) => s.name), e.body ?? ''].some((f) => pattern.test(f))) : all;
    return { entries: hits.slice(0, limit), total: hits.length, kept: all.length };
  }
}
