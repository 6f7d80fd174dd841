/**
 * package-large's Preflight side in a process of its own (bundled to out/node/bench/package-child.js), so its
 * peak RSS is the packaging's own: `process.resourceUsage().maxRSS` is a process's high-water mark for its
 * whole life, and in `npm run bench` the benchmarks before package-large (payload-validate's 100 000-row body,
 * the score benches' clients) had already taken the bench process to ~300 MiB before any file was packaged.
 *
 *   node package-child.js <modelDir> <out.tar.gz> <wheelsDir> → prints {"ms": …, "maxRssMiB": …} on stdout
 */
import { PackageService } from '../src/main/services/packaging/package-service';

async function main(): Promise<void> {
  const [modelPath, out, wheels] = process.argv.slice(2);
  if (!modelPath || !out || !wheels) throw new Error('usage: package-child.js <modelDir> <out.tar.gz> <wheelsDir>');
  const service = new PackageService({ toolVersion: 'bench' });
  const start = process.hrtime.bigint();
  const s = await service.build({ modelPath, out, wheels });
  if (s.status !== 'succeeded') throw new Error(`package failed: ${s.error ?? s.status}`);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
