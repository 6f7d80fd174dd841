// @ts-check
// `preflight/layers`: the house rules of ARCHITECTURE.md §2 that a path pattern cannot express, checked on the
// resolved target of every relative import (so `../../x` is judged by where it lands, not by how it is spelled).
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
const rel = (abs) => relative(root, abs).split(sep).join('/');

/** [importer prefix, forbidden target prefixes, why] */
const MAIN_RULES = [
  ['src/main/services/', ['src/main/app/', 'src/main/ipc/', 'src/main/host/', 'src/main/cli/', 'src/main/electron/', 'src/main/index.ts'],
    'services know no host: depend on a port in src/main/ports/ instead (e.g. EventSink), and let app/compose.ts wire it.'],
  ['src/main/cli/', ['src/main/host/', 'src/main/electron/', 'src/main/ipc/'],
    'the CLI is a host of its own: it reaches services through app/ (compose, ports); `open` starts the browser-mode host as a process.'],
];

const FEATURES = 'src/renderer/src/features/';

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: { type: 'problem', docs: { description: 'ARCHITECTURE.md layer rules on resolved import paths' }, schema: [] },
  create(context) {
    const importer = rel(context.filename);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = rel(resolve(dirname(context.filename), source));
      for (const [from, forbidden, why] of MAIN_RULES) {
        if (!importer.startsWith(from)) continue;
        const hit = forbidden.find((f) => target === f.replace(/\/$/, '') || target.startsWith(f));
        if (hit) context.report({ node, message: `${importer} imports ${target}: ${why}` });
      }
      if (importer.startsWith(FEATURES) && target.startsWith(FEATURES)) {
        const own = importer.slice(FEATURES.length).split('/')[0];
        const other = target.slice(FEATURES.length).split('/')[0];
        if (own !== other) {
          context.report({ node, message: `feature "${own}" imports feature "${other}" (${target}): features do not import each other; compose them in src/renderer/src/app/ (e.g. a model-tab slot).` });
        }
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers } };
