import { resolve } from 'node:path';
import { writeSampleModel } from './sample-model';

/**
 * `npm run sample` → regenerates `resources/sample-model/` (or the folder given as the first argument).
 * The output is deterministic, so a clean regeneration leaves `git status` unchanged.
 */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'resources/sample-model');
  await writeSampleModel(target);
  console.log(`sample model written to ${target}`);
}

main().catch((e: unknown) => {
  console.error(`make-sample-model: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
