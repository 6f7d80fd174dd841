/**
 * Interpreter discovery per model folder, reused: discovery probes every candidate interpreter (a second
 * or more of process starts), so the runner and batch jobs look once per model and interpreter setting,
 * not once per request or job (issue 11). An entry made under another setting is not used; a failed
 * discovery is not kept; owners `forget` a model after a failure that may be the environment's, so the
 * next call looks again (the user may be fixing it right now).
 */
import type { PythonDiscovery } from './interpreter-discovery';

export class DiscoveryCache {
  private readonly entries = new Map<string, { setting: string | null; discovery: Promise<PythonDiscovery> }>();

  /** The discovery for `modelPath` under `setting`: the kept one, or `discover()` (kept once it resolves). */
  get(modelPath: string, setting: string | null, discover: () => Promise<PythonDiscovery>): Promise<PythonDiscovery> {
    const hit = this.entries.get(modelPath);
    if (hit && hit.setting === setting) return hit.discovery;
    return this.fresh(modelPath, setting, discover);
  }

  /** Looks again now and keeps the result (e.g. `runner.environment`, which must show the current state). */
  fresh(modelPath: string, setting: string | null, discover: () => Promise<PythonDiscovery>): Promise<PythonDiscovery> {
    const entry = { setting, discovery: discover() };
    this.entries.set(modelPath, entry);
    entry.discovery.catch(() => {
      if (this.entries.get(modelPath) === entry) this.entries.delete(modelPath);
    });
    return entry.discovery;
  }

  forget(modelPath: string): void {
    this.entries.delete(modelPath);
  }

  clear(): void {
    this.entries.clear();
  }
}
