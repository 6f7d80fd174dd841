import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYER_ALIASES } from '../../scripts/aliases.mjs';
// @ts-expect-error -- a plain .mjs script without types; its two functions are tested here.
import { aliasFor, rewrite } from '../../scripts/alias-imports.mjs';
import { repoRoot } from '../support/paths';

/**
 * Layer aliases (`@shared/…`, `@main/…`, `@preload/…`, `@renderer/…`): the house rules judge an aliased import
 * by where it lands exactly as a relative one, an import that leaves its layer root must use the alias, and
 * the codemod that writes them is idempotent.
 */
const eslint = new ESLint({ cwd: repoRoot });
const errors = async (filePath: string, code: string, rule = 'preflight/layers'): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
};

describe('preflight/layers on aliased imports', () => {
  it('catches every layer violation spelled with an alias, as it does spelled relatively', async () => {
    expect(await errors('src/main/services/server/x.ts', "import { AppEvents } from '@main/app/events';\nexport const y = AppEvents;\n")).toEqual([expect.stringMatching(/services know no host/)]);
    expect(await errors('src/main/services/model/x.ts', "export { runCli } from '@main/cli/run';\n")).toHaveLength(1);
    expect(await errors('src/main/cli/commands/x.ts', "export { runBrowserMode } from '@main/host/browser-mode';\n")).toEqual([expect.stringMatching(/the CLI is a host of its own/)]);
    expect(await errors('src/renderer/src/features/models/components/X.tsx', "export { RunTab } from '@renderer/features/run/components/RunTab';\n")).toEqual([expect.stringMatching(/feature "models" imports feature "run"/)]);
    expect(await errors('src/main/services/runner/onnx/x.ts', "export { createScoringHandler } from '@main/services/server/scoring-server';\n")).toEqual([expect.stringMatching(/services\/server already depends on services\/runner/)]);
    expect(await errors('src/main/services/model/x.ts', "export type { EventSink } from '@main/ports/event-sink';\nexport { AppError } from '@shared/errors';\n")).toEqual([]);
    expect(await errors('src/renderer/src/app/X.tsx', "export { RunTab } from '@renderer/features/run/components/RunTab';\n")).toEqual([]);
  });

  it('keeps the cross-layer bans for aliases: shared, renderer and preload never import main', async () => {
    const restricted = (f: string, code: string) => errors(f, code, 'no-restricted-imports');
    expect(await restricted('src/shared/x.ts', "export { ModelService } from '@main/services/model/model-service';\n")).toHaveLength(1);
    expect(await restricted('src/renderer/src/lib/x.ts', "export { ModelService } from '@main/services/model/model-service';\n")).toHaveLength(1);
    expect(await restricted('src/preload/x.ts', "export { App } from '@renderer/app/App';\n")).toHaveLength(1);
    expect(await restricted('src/main/services/x.ts', "export { App } from '@renderer/app/App';\n")).toHaveLength(1);
    expect(await restricted('src/renderer/src/lib/x.ts', "export { AppError } from '@shared/errors';\n")).toEqual([]);
  });
});

describe('preflight/layer-relative', () => {
  it('a relative import that leaves its layer root is an error naming the alias to write; inside a layer relative is fine', async () => {
    const rule = 'preflight/layer-relative';
    expect(await errors('src/main/services/model/x.ts', "export { AppError } from '../../../shared/errors';\n", rule)).toEqual([expect.stringMatching(/leaves src\/main for src\/shared: write '@shared\/errors'/)]);
    expect(await errors('src/renderer/src/features/run/x.ts', "export type { CallInput } from '../../../../shared/ipc/contract';\n", rule)).toEqual([expect.stringMatching(/write '@shared\/ipc\/contract'/)]);
    expect(await errors('src/main/services/model/x.ts', "export type { EventSink } from '../../ports/event-sink';\nexport { AppError } from '@shared/errors';\n", rule)).toEqual([]);
  });
});

describe('the aliases', () => {
  it('tsconfig paths (esbuild, Playwright, tsc) say what scripts/aliases.mjs (Vite, Vitest, lint) says', () => {
    const text = readFileSync(join(repoRoot, 'tsconfig.base.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const paths = JSON.parse(text).compilerOptions.paths as Record<string, string[]>;
    expect(paths).toEqual(Object.fromEntries(Object.entries(LAYER_ALIASES).map(([a, d]) => [`${a}/*`, [`./${d}/*`]])));
  });

  it('the codemod aliases only imports that leave their layer, and a second run changes nothing', () => {
    const file = 'src/main/services/model/x.ts';
    const before = "import { AppError } from '../../../shared/errors';\nimport type { EventSink } from '../../ports/event-sink';\nexport { App } from '../../../renderer/src/app/App';\nconst m = await import('../../../shared/mlflow/mlmodel');\nimport { x } from 'zod';\n";
    const once = rewrite(file, before);
    expect(once.count).toBe(3);
    expect(once.text).toBe("import { AppError } from '@shared/errors';\nimport type { EventSink } from '../../ports/event-sink';\nexport { App } from '@renderer/app/App';\nconst m = await import('@shared/mlflow/mlmodel');\nimport { x } from 'zod';\n");
    expect(rewrite(file, once.text)).toEqual({ text: once.text, count: 0 });
    expect(aliasFor('src/shared/mlflow/x.test.ts', '../../main/services/model/readiness/assess')).toBe('@main/services/model/readiness/assess');
    expect(aliasFor('src/renderer/src/features/run/x.ts', '../../lib/api')).toBeNull();
  });
});
