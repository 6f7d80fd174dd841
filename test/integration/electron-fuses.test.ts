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
      ON, // runAsNode: kept, see the guard below
      ON, // cookie encryption
      OFF, // NODE_OPTIONS
      OFF, // --inspect
      ON, // embedded ASAR integrity validation
      ON, // only load the app from app.asar
      OFF, // browser-specific V8 snapshot
      OFF, // file:// extra privileges
      ON, // unknown to @electron/fuses 1.8: untouched
    ]);
    // Nothing else in the binary moved: only the six fuses whose default we change.
    const before = fakeElectron();
    const after = await readFile(join(appOutDir, 'preflight'));
    const wireStart = before.indexOf(SENTINEL) + SENTINEL.length + 2;
    const changed = [...after].flatMap((b, i) => (b === before[i] ? [] : [i - wireStart]));
    expect(changed).toEqual([1, 2, 3, 4, 5, 7]);
    expect(after.length).toBe(before.length);
  });

  it('finds the binary where electron-builder puts it on macOS and Windows', async () => {
    const mac = join(dir, 'mac');
    const framework = join(mac, 'Preflight.app', 'Contents', 'Frameworks', 'Electron Framework.framework');
    await mkdir(framework, { recursive: true });
    await writeFile(join(framework, 'Electron Framework'), fakeElectron());
    // x64 (arch 1): no ad-hoc re-signing, which needs macOS's codesign.
    await afterPack({ appOutDir: mac, electronPlatformName: 'darwin', arch: 1, packager: { appInfo: { productFilename: 'Preflight' } } });
    expect((await readWire(join(framework, 'Electron Framework'))).slice(0, 8)).toEqual([ON, ON, OFF, OFF, ON, ON, OFF, OFF]);

    const win = join(dir, 'win-unpacked');
    await mkdir(win);
    await writeFile(join(win, 'Preflight.exe'), fakeElectron());
    await afterPack({ appOutDir: win, electronPlatformName: 'win32', arch: 1, packager: { appInfo: { productFilename: 'Preflight' } } });
    expect((await readWire(join(win, 'Preflight.exe'))).slice(0, 8)).toEqual([ON, ON, OFF, OFF, ON, ON, OFF, OFF]);
  });

  it('fails the build when the binary has no fuse wire, instead of shipping it unprotected', async () => {
    const appOutDir = join(dir, 'broken');
    await mkdir(appOutDir);
    await writeFile(join(appOutDir, 'preflight'), Buffer.alloc(2048, 0x41));
    await expect(
      afterPack({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Preflight' }, executableName: 'preflight' } }),
    ).rejects.toThrow(/sentinel/);
  });

  it('is the hook electron-builder runs, on an asar build that ships the ONNX worker main forks', async () => {
    const config = parse(await readFile(join(repoRoot, 'build', 'electron-builder.yml'), 'utf8')) as { afterPack: string; asar?: boolean; files: string[] };
    expect(config.afterPack).toBe('build/fuses.mjs');
    expect(config.asar).not.toBe(false);
    expect(config.files).toContain('out/node/onnx-worker.js');
    expect(config.files).not.toContain('out/node/**');
  });

  it('keeps runAsNode on only while the Electron host forks workers (fork() needs ELECTRON_RUN_AS_NODE)', async () => {
    // The code bundled into the Electron main process: everything but the other hosts and tests.
    const forking: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (!['host', 'cli'].includes(entry.name)) await walk(path);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          if (/\bfork\(/.test(await readFile(path, 'utf8'))) forking.push(path.slice(repoRoot.length + 1));
        }
      }
    };
    await walk(join(repoRoot, 'src', 'main'));
    // When this list empties (workers on utilityProcess), this test demands the fuse off.
    expect(forking.length > 0, `files calling fork(): ${forking.join(', ') || 'none'}`).toBe(FUSES.runAsNode.enabled);
  });

  it('decides every fuse @electron/fuses knows, each with a reason', () => {
    const known = Object.values(require('@electron/fuses').FuseV1Options as Record<string, string | number>).filter((v) => typeof v === 'number');
    expect(Object.values(FUSES).map((f) => f.fuse).sort()).toEqual([...known].sort());
    for (const [name, choice] of Object.entries(FUSES)) expect(choice.why.length, name).toBeGreaterThan(20);
  });
});
