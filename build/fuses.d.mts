// Types for build/fuses.mjs (an electron-builder hook must be plain JavaScript), for the test that runs it.
export interface FuseChoice {
  fuse: number;
  enabled: boolean;
  why: string;
}
export interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}
export declare const FUSES: Record<string, FuseChoice>;
export declare const WIRE: { DISABLE: number; ENABLE: number; REMOVED: number };
export declare function fuseConfig(platform: string, arch: number): Record<string | number, unknown>;
export declare function electronBinaryPath(context: Omit<AfterPackContext, 'arch'>): string;
export default function afterPack(context: AfterPackContext): Promise<void>;
