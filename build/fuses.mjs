// @ts-check
/**
 * electron-builder `afterPack` hook (build/electron-builder.yml): flips Electron's fuses in the packaged binary,
 * before signing, so the OS signature then guards them. Each choice says why; test/integration/electron-fuses.test.ts
 * runs this hook on a binary carrying a real fuse wire and reads the result back.
 * https://www.electronjs.org/docs/latest/tutorial/fuses
 */
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';

/** How the wire stores a fuse: ASCII '0' / '1', 'r' once Electron removed it (@electron/fuses keeps this internal). */
export const WIRE = { DISABLE: 0x30, ENABLE: 0x31, REMOVED: 0x72 };

/** @type {Record<string, { fuse: number; enabled: boolean; why: string }>} */
export const FUSES = {
  runAsNode: {
    fuse: FuseV1Options.RunAsNode,
    // The Electron host starts its Node workers (ONNX worker and serving process, file reader) with
    // utilityProcess (src/main/electron/utility-worker.ts), which needs no run-as-node; the fuses test fails if a
    // worker start in the code Electron runs could fall back to child_process.fork.
    enabled: false,
    why: 'ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node for any local attacker',
  },
  cookieEncryption: {
    fuse: FuseV1Options.EnableCookieEncryption,
    enabled: true,
    why: 'cookies at rest encrypted with the OS key, as in Chrome (sign-in flows set cookies)',
  },
  nodeOptions: {
    fuse: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
    enabled: false,
    why: 'NODE_OPTIONS / NODE_EXTRA_CA_CERTS could inject code or trust into the app from the environment',
  },
  nodeCliInspect: {
    fuse: FuseV1Options.EnableNodeCliInspectArguments,
    enabled: false,
    why: '--inspect/--inspect-brk (and SIGUSR1) would open a debugger on the main process, which holds tokens',
  },
  asarIntegrity: {
    fuse: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
    enabled: true,
    why: 'app.asar is checked against the hash electron-builder records at pack time (macOS, Windows)',
  },
  onlyLoadAppFromAsar: {
    fuse: FuseV1Options.OnlyLoadAppFromAsar,
    enabled: true,
    why: 'only app.asar is loaded (no app/ folder beside it), so the integrity check cannot be sidestepped',
  },
  browserV8Snapshot: {
    fuse: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
    enabled: false,
    why: 'no custom V8 snapshot is shipped',
  },
  fileProtocolPrivileges: {
    fuse: FuseV1Options.GrantFileProtocolExtraPrivileges,
    enabled: false,
    why: 'the renderer is served from app://preflight, so file:// pages get no extra powers',
  },
};

/** electron-builder's Arch enum values for arm64 and universal builds (builder-util). */
const ARCH_ARM64 = 3;
const ARCH_UNIVERSAL = 4;

/**
 * The @electron/fuses configuration for one packaged platform. Not `strictlyRequireAllFuses`: @electron/fuses
 * 1.8 (the last release for Node 20) names eight fuses, and newer Electron wires may carry more, which keep
 * Electron's defaults.
 * @param {string} platform electron-builder's electronPlatformName (darwin, win32, linux, mas)
 * @param {number} arch electron-builder's Arch enum value
 */
export function fuseConfig(platform, arch) {
  /** @type {import('@electron/fuses').FuseV1Config} */
  const config = {
    version: FuseVersion.V1,
    // Flipping bits breaks the ad-hoc signature an unsigned Apple-silicon app needs to start at all.
    resetAdHocDarwinSignature: (platform === 'darwin' || platform === 'mas') && (arch === ARCH_ARM64 || arch === ARCH_UNIVERSAL),
  };
  for (const { fuse, enabled } of Object.values(FUSES)) config[/** @type {FuseV1Options} */ (fuse)] = enabled;
  return config;
}

/**
 * Where electron-builder put the Electron executable. macOS fuses live in the framework inside the bundle, which
 * @electron/fuses finds from the `.app` path.
 * @param {{ appOutDir: string; electronPlatformName: string; packager: { appInfo: { productFilename: string }; executableName?: string } }} context
 */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (platform === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName ?? packager.appInfo.productFilename);
}

/**
 * Flips the fuses and reads the wire back: a build whose binary did not take them fails here instead of
 * shipping unprotected.
 * @param {{ appOutDir: string; electronPlatformName: string; arch: number; packager: { appInfo: { productFilename: string }; executableName?: string } }} context
 */
export default async function afterPack(context) {
  const binary = electronBinaryPath(context);
  await flipFuses(binary, fuseConfig(context.electronPlatformName, context.arch));
  /** @type {Record<number, number | undefined>} */
  const wire = /** @type {any} */ (await getCurrentFuseWire(binary));
  for (const [name, { fuse, enabled }] of Object.entries(FUSES)) {
    const want = enabled ? WIRE.ENABLE : WIRE.DISABLE;
    if (wire[fuse] !== undefined && wire[fuse] !== WIRE.REMOVED && wire[fuse] !== want) {
      throw new Error(`Electron fuse ${name} did not take in ${binary}: wanted ${enabled ? 'enabled' : 'disabled'}.`);
    }
  }
}
