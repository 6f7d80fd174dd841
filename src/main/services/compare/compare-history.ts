import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CompareHistoryEntrySchema, HISTORY_BODY_CAP, type CompareHistoryEntryData, type CompareResultData } from '@shared/ipc/compare-contract';
import type { Logger } from '../../ports/logger';
import { writeFileAtomic } from '../store/atomic-file';
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
/**
 * The file as read: its entries one by one, each with the keys this build knows (an entry a newer build wrote,
 * with a key added since, keeps its run here; one entry that does not read is dropped, not the history).
 */
const FileSchema = z.object({ version: z.literal(1), entries: z.array(z.unknown()) });
const EntryOnDisk = HistoryEntrySchema.strip();

export class CompareHistory {
  private entries: HistoryEntry[] | null = null;
  /** Writes one after another, so a slow disk never lets an older list overwrite a newer one. */
  private writing: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(private readonly dir: string, private readonly log: Logger) {}

  private get file(): string {
    return join(this.dir, HISTORY_FILE);
  }

  private async load(): Promise<HistoryEntry[]> {
    if (this.entries) return this.entries;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      // Missing is normal; unreadable (permissions, too large for a string) is logged and the history starts over.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`compare history: ${this.file} could not be read; starting a new one`, err);
      return (this.entries = []);
    }
    try {
      const entries: HistoryEntry[] = [];
      let dropped = 0;
      for (const raw of FileSchema.parse(JSON.parse(text)).entries) {
        const entry = EntryOnDisk.safeParse(raw);
        if (entry.success) entries.push(entry.data);
        else dropped++;
      }
      if (dropped > 0) this.log.warn(`compare history: ${dropped} run(s) in ${this.file} could not be read and are left out`);
      return (this.entries = entries);
    } catch (err) {
      // The next run would replace the file: keep what was there first (lost work otherwise), as the app store does.
      const backup = `${this.file}.bak`;
      await copyFile(this.file, backup).then(
        () => this.log.warn(`compare history: ${this.file} is not a history file Preflight reads; kept a copy at ${backup} and started a new one`, err),
        (copyErr: unknown) => this.log.warn(`compare history: ${this.file} is not a history file Preflight reads and could not be copied to ${backup}; starting a new one`, copyErr),
      );
      return (this.entries = []);
    }
  }

  async add(input: CompareInput, result: CompareResultData, now = new Date()): Promise<HistoryEntry> {
    const entries = await this.load();
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
    this.entries = [entry, ...entries].slice(0, MAX_ENTRIES);
    const snapshot = JSON.stringify({ version: 1, entries: this.entries });
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
  async list(query = '', limit = 50): Promise<{ entries: HistoryEntry[]; total: number }> {
    const q = query.trim();
    const all = await this.load();
    const pattern = q ? new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu') : null;
    const hits = pattern ? all.filter((e) => [e.sentence, e.modelPath, ...e.statuses.map((s) => s.name), e.body ?? ''].some((f) => pattern.test(f))) : all;
    return { entries: hits.slice(0, limit), total: hits.length };
  }
}
