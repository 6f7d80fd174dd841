import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import afterPack, { FUSES } from '../../build/fuses.mjs';
import { repoRoot } from '../support/paths';

/**
 * No Electron binary exists on this machine, so the afterPack hook runs on a stand-in that carries what
 * @electron/fuses looks for in a real one: its sentinel, then the fuse wire (version 1, length, one byte per
 * fuse) with Electron's shipped defaults, between unrelated bytes. The hook must flip exactly our fuses.
 */
const require = createRequire(import.meta.url);
const { SENTINEL } = require('@electron/fuses/dist/constants.js') as { SENTINEL: string };
const [OFF, ON] = ['0', '1'];
// Electron's defaults, in wire order: runAsNode, cookieEncryption, nodeOptions, nodeCliInspect, asarIntegrity,
// onlyLoadAppFromAsar, browserV8Snapshot, grantFileProtocolExtraPrivileges, and a ninth (wasmTrapHandlers in newer
// Electron) that @electron/fuses 1.8 does not know and must leave alone.
const DEFAULT_WIRE = [ON, OFF, ON, ON, OFF, OFF, OFF, ON, ON];

function fakeElectron(wire = DEFAULT_WIRE): Buffer {
  const head = Buffer.alloc(4096, 0xcc);
  const fuses = Buffer.concat([Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, wire.length]), Buffer.from(wire.join(''), 'ascii')]);
  return Buffer.concat([head, fuses, Buffer.alloc(1024, 0xdd)]);
}

async function readWire(binary: string): Promise<string[]> {
  const bytes = await readFile(binary);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
  return [...bytes.subarray(at + 2, at + 2 + bytes[at + 1])].map((b) => String.fromCharCode(b));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-fuses-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Electron fuses flipped by the afterPack hook (build/fuses.mjs)', () => {
  it('on Linux: ASAR-only with integrity, cookie encryption, no NODE_OPTIONS, no --inspect, no file:// privileges', async () => {
    const appOutDir = join(dir, 'linux-unpacked');
    await mkdir(appOutDir);
    await writeFile(join(appOutDir, 'preflight'), fakeElectron());
    await afterPack({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Preflight' }, executableName: 'preflight' } });

    const wire = await readWire(join(appOutDir, 'preflight'));
    expect(wire).toEqual([
      OFF, // runAsNode: workers start with utilityProcess, see the guard below
      ON, // cookie encryption
      OFF, // NODE_OPTIONS
      OFF, // --inspect
      ON, // embedded ASAR integrity validation
      ON, // only load the app from app.asar
      OFF, // browser-specific V8 snapshot
      OFF, // file:// extra privileges
      ON, // unknown to @electron/fuses 1.8: untouched
    ]);
    // Nothing else in the binary moved: only the seven fuses whose default we change.
    const before = fakeElectron();
    const after = await readFile(join(appOutDir, 'preflight'));
    const wireStart = before.indexOf(SENTINEL) + SENTINEL.length + 2;
    const changed = [...after].flatMap((b, i) => (b === before[i] ? [] : [i - wireStart]));
    expect(changed).toEqual([0, 1, 2, 3, 4, 5, 7]);
    expect(after.length).toBe(before.length);
  });

  it('finds the binary where electron-builder puts it on macOS and Windows', async () => {
    const mac = join(dir, 'mac');
    const framework = join(mac, 'Preflight.app', 'Contents', 'Frameworks', 'Electron Framework.framework');
    await mkdir(framework, { recursive: true });
    await writeFile(join(framework, 'Electron Framework'), fakeElectron());
    // x64 (arch 1): no ad-hoc re-signing, which needs macOS's codesign.
    await afterPack({ appOutDir: mac, electronPlatformName: 'darwin', arch: 1, packager: { appInfo: { productFilename: 'Preflight' } } });
    expect((await readWire(join(framework, 'Electron Framework'))).slice(0, 8)).toEqual([OFF, ON, OFF, OFF, ON, ON, OFF, OFF]);

    const win = join(dir, 'win-unpacked');
    await mkdir(win);
    await writeFile(join(win, 'Preflight.exe'), fakeElectron());
    await afterPack({ appOutDir: win, electronPlatformName: 'win32', arch: 1, packager: { appInfo: { productFilename: 'Preflight' } } });
    expect((await readWire(join(win, 'Preflight.exe'))).slice(0, 8)).toEqual([OFF, ON, OFF, OFF, ON, ON, OFF, OFF]);
  });

  it('fails the build when the binary has no fuse wire, instead of shipping it unprotected', async () => {
    const appOutDir = join(dir, 'broken');
    await mkdir(appOutDir);
    await writeFile(join(appOutDir, 'preflight'), Buffer.alloc(2048, 0x41));
    await expect(
      afterPack({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Preflight' }, executableName: 'preflight' } }),
    ).rejects.toThrow(/sentinel/);
  });

  it('is the hook electron-builder runs, on an asar build that ships the ONNX worker main starts', async () => {
    const config = parse(await readFile(join(repoRoot, 'build', 'electron-builder.yml'), 'utf8')) as { afterPack: string; asar?: boolean; files: string[]; asarUnpack?: string[] };
    expect(config.afterPack).toBe('build/fuses.mjs');
    expect(config.asar).not.toBe(false);
    expect(config.files).toContain('out/node/onnx-worker.js');
    expect(config.files).not.toContain('out/node/**');
    // The workers main starts (utilityProcess) and the request preparation thread (worker_threads) stay inside the
    // integrity-checked archive: Electron reads asar in both (worker threads since electron/electron#33216).
    for (const worker of ['onnx-worker.js', 'file-worker.js', 'prepare-worker.js']) expect(config.files).toContain(`out/node/${worker}`);
    expect((config.asarUnpack ?? []).filter((glob) => glob.startsWith('out/'))).toEqual([]);
  });

  it('turns runAsNode off, and nothing the Electron host runs depends on run-as-node', async () => {
    expect(FUSES.runAsNode.enabled).toBe(false);
    const sources: { path: string; text: string }[] = [];
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (/\.(ts|tsx|mjs|js)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) sources.push({ path: path.slice(repoRoot.length + 1), text: await readFile(path, 'utf8') });
      }
    };
    for (const folder of ['src', 'build', 'scripts', 'test']) await walk(join(repoRoot, folder));
    for (const file of ['package.json', 'playwright.config.ts', 'electron.vite.config.ts']) sources.push({ path: file, text: await readFile(join(repoRoot, file), 'utf8') });
    // Nobody sets or reads the variable the fuse disables (comments may name it).
    const usesRunAsNode = /(env\.|\[\s*['"`])ELECTRON_RUN_AS_NODE|['"`]ELECTRON_RUN_AS_NODE['"`]|\bELECTRON_RUN_AS_NODE\s*[:=]/;
    expect(sources.filter((f) => usesRunAsNode.test(f.text)).map((f) => f.path)).toEqual([]);
    // child_process.fork is called in one place only: the launcher of the Node hosts (CLI, browser mode, tests).
    const forking = sources.filter((f) => f.path.startsWith('src/')).filter((f) => /\bfork\(/.test(f.text.replace(/utilityProcess\.fork\(/g, ''))).map((f) => f.path);
    expect(forking).toEqual(['src/main/services/child/worker-process.ts']);
    // Every worker start takes the host's launcher; forkNodeWorker is only the default when a host passes none.
    const code = (text: string): string[] => text.split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l));
    const uses = sources.filter((f) => f.path.startsWith('src/')).flatMap((f) => code(f.text).filter((l) => /\bforkNodeWorker\b/.test(l) && !/^import |^export const forkNodeWorker/.test(l)).map((l) => `${f.path}: ${l.trim()}`));
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/\?\? forkNodeWorker\b/);
    // …and the Electron host passes utilityProcess to the composition, so no default applies there.
    const main = sources.find((f) => f.path === 'src/main/electron/main.ts')!.text;
    expect(main).toMatch(/launchNodeWorker: utilityWorkerLauncher\(\(modulePath, args, options\) => utilityProcess\.fork\(modulePath, args, options\)\)/);
    const compose = sources.find((f) => f.path === 'src/main/app/compose.ts')!.text;
    expect(compose.match(/launchNodeWorker: ports\.launchNodeWorker/g)).toHaveLength(2);
  });

  it('decides every fuse @electron/fuses knows, each with a reason', () => {
    const known = Object.values(require('@electron/fuses').FuseV1Options as Record<string, string | number>).filter((v) => typeof v === 'number');
    expect(Object.values(FUSES).map((f) => f.fuse).sort()).toEqual([...known].sort());
    for (const [name, choice] of Object.entries(FUSES)) expect(choice.why.length, name).toBeGreaterThan(20);
  });
});
