#!/usr/bin/env node
// The `preflight` command (package.json "bin"): runs the bundled CLI on plain Node >= 20.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'node', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`preflight: the CLI is not built (${cli} is missing); run npm run build first.\n`);
  process.exit(3);
}
await import(pathToFileURL(cli).href);
