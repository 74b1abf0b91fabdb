/**
 * The compiler's build identity: its version and a hash of its sources and
 * of @ladon/ir's (whose op definitions it lowers),
 * written in by the build (tsup.config.ts `define`), so a persistent cache
 * of compiled programs never serves a program from another compiler build.
 */
declare const __LADON_COMPILER_BUILD__: string | undefined;

/** `<version>+<source hash>` of this build (`source` when run from the sources, as in tests). */
export const COMPILER_VERSION: string = typeof __LADON_COMPILER_BUILD__ === 'string' ? __LADON_COMPILER_BUILD__ : 'source';
