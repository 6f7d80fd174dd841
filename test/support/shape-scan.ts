import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import type { z } from 'zod';
import { contract } from '../../src/shared/ipc/contract';
import { repoRoot } from './paths';

/**
 * "One request/answer shape" (issue 12, the house): every object that crosses the contract is declared once,
 * as a zod schema, and the services' types are derived from it (`z.output<…>`, `CallInput`/`CallOutput`).
 * This finds the second declarations: a TypeScript interface or type literal whose field names are those of
 * an object schema of the contract (or those minus one, e.g. a request without its `jobId`).
 */

export interface ObjectShape {
  /** Where in the contract: `batch.run input`, `batch.run output .files[]`, `event batch.progress`. */
  where: string;
  keys: string[];
}

export interface DeclaredShape {
  file: string;
  line: number;
  name: string;
  keys: string[];
}

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; getter?: () => z.ZodType; valueType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; left?: z.ZodType; right?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every object schema reachable from the contract's methods and events (recursion through lazy schemas stops). */
export function contractObjectShapes(): ObjectShape[] {
  const shapes: ObjectShape[] = [];
  const seen = new Set<z.ZodType>();
  const walk = (s: z.ZodType | undefined, where: string): void => {
    if (!s || seen.has(s)) return;
    seen.add(s);
    const def = defOf(s);
    if (def.type === 'object') {
      const shape = (s as unknown as { shape: Record<string, z.ZodType> }).shape;
      shapes.push({ where, keys: Object.keys(shape).sort() });
      for (const [k, v] of Object.entries(shape)) walk(v, `${where} .${k}`);
      return;
    }
    if (def.type === 'array') return walk(def.element, `${where}[]`);
    if (def.type === 'union') return def.options?.forEach((o, i) => walk(o, `${where} |${i}`));
    if (def.type === 'lazy') return walk(def.getter?.(), where);
    if (def.type === 'record') return walk(def.valueType, `${where}{}`);
    if (def.type === 'pipe') return (walk(def.in, where), walk(def.out, where));
    if (def.type === 'intersection') return (walk(def.left, where), walk(def.right, where));
    walk(def.innerType, where);
  };
  for (const [ns, methods] of Object.entries(contract.methods)) {
    for (const [m, spec] of Object.entries(methods as Record<string, { input: z.ZodType; output: z.ZodType }>)) {
      walk(spec.input, `${ns}.${m} input`);
      walk(spec.output, `${ns}.${m} output`);
    }
  }
  for (const [e, schema] of Object.entries(contract.events)) walk(schema as z.ZodType, `event ${e}`);
  return shapes;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const memberNames = (members: ts.NodeArray<ts.TypeElement>): string[] =>
  members.flatMap((m) => (ts.isPropertySignature(m) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? [m.name.text] : []));

/**
 * Interfaces (with the members of interfaces they extend in the same file) and object type literals
 * (also those inside unions and intersections of a type alias) declared in `src/`.
 */
export function declaredShapes(roots = ['src']): DeclaredShape[] {
  return roots.flatMap((r) => sourceFiles(join(repoRoot, r))).flatMap((file) => shapesIn(relative(repoRoot, file).split(sep).join('/'), readFileSync(file, 'utf8')));
}

/** The object shapes declared in one source text (`rel` names it in the findings). */
export function shapesIn(rel: string, text: string): DeclaredShape[] {
  const found: DeclaredShape[] = [];
  const file = rel;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const interfaces = new Map<string, ts.InterfaceDeclaration>();
    sf.forEachChild((n) => {
      if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n);
    });
    const allKeys = (decl: ts.InterfaceDeclaration, depth = 0): string[] => {
      const own = memberNames(decl.members);
      if (depth > 5) return own;
      const inherited = (decl.heritageClauses ?? []).flatMap((h) =>
        h.types.flatMap((t) => {
          const base = ts.isIdentifier(t.expression) ? interfaces.get(t.expression.text) : undefined;
          return base ? allKeys(base, depth + 1) : [];
        }),
      );
      return [...new Set([...inherited, ...own])];
    };
    const add = (node: ts.Node, name: string, keys: string[]): void => {
      if (keys.length) found.push({ file: rel, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, name, keys: [...keys].sort() });
    };
    const visit = (node: ts.Node, name: string): void => {
      if (ts.isInterfaceDeclaration(node)) add(node, node.name.text, allKeys(node));
      else if (ts.isTypeLiteralNode(node)) add(node, name, memberNames(node.members));
      ts.forEachChild(node, (c) => visit(c, ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node) ? node.name.text : name));
    };
    visit(sf, '(anonymous)');
  return found;
}

const sameKeys = (a: string[], b: string[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

/** Declarations that repeat a contract object: same field names, or the same but one (with at least 4 fields left). */
export function repeatedShapes(declared: DeclaredShape[] = declaredShapes(), minKeys = 3): { declared: DeclaredShape; schema: ObjectShape }[] {
  const schemas = contractObjectShapes().filter((s) => s.keys.length >= minKeys);
  const hits: { declared: DeclaredShape; schema: ObjectShape }[] = [];
  for (const d of declared) {
    const declared = d;
    const schema = schemas.find(
      (s) => sameKeys(declared.keys, s.keys) || (declared.keys.length >= 4 && declared.keys.length === s.keys.length - 1 && declared.keys.every((k) => s.keys.includes(k))),
    );
    if (schema) hits.push({ declared, schema });
  }
  return hits;
}

/** Type assertions (`x as T`, `<T>x`; `as const` is fine) in IPC handlers: a handler that needs one joins two shapes by force. */
export function handlerCasts(dir = 'src/main/ipc/handlers'): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(join(repoRoot, dir))) {
    const rel = relative(repoRoot, file).split(sep).join('/');
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const visit = (n: ts.Node): void => {
      if ((ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) && !(ts.isTypeReferenceNode(n.type) && n.type.getText(sf) === 'const')) {
        out.push(`${rel}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} ${n.getText(sf).slice(0, 80)}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/**
 * Declarations of "something that reads a model" outside the ModelReader port: an interface or type literal
 * with an `inspect` member, or `Pick<ModelService, …>` (a service depending on the class, not the port).
 */
export function modelReaderDeclarations(dir = 'src/main', port = 'src/main/ports/model-reader.ts'): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(join(repoRoot, dir))) {
    const rel = relative(repoRoot, file).split(sep).join('/');
    if (rel === port) continue;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const at = (n: ts.Node): string => `${rel}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
    const visit = (n: ts.Node): void => {
      if ((ts.isInterfaceDeclaration(n) || ts.isTypeLiteralNode(n)) && n.members.some((m) => m.name && ts.isIdentifier(m.name) && m.name.text === 'inspect')) out.push(`${at(n)} declares inspect()`);
      if (ts.isTypeReferenceNode(n) && n.typeName.getText(sf) === 'Pick' && n.typeArguments?.[0]?.getText(sf) === 'ModelService') out.push(`${at(n)} ${n.getText(sf)}`);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}
