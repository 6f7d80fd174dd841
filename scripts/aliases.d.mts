export declare const repoRoot: string;
export declare const LAYER_ALIASES: { readonly '@shared': 'src/shared'; readonly '@main': 'src/main'; readonly '@preload': 'src/preload'; readonly '@renderer': 'src/renderer/src' };
export declare function viteAliases(): { find: RegExp; replacement: string }[];
export declare function layerOf(relPath: string): { alias: string; dir: string } | null;
export declare function unalias(specifier: string): string | null;
