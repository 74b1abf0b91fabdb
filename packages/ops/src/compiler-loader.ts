/**
 * How the ops reach the compiler: a literal lazy `import()`, which bundlers
 * see and put in its own chunk (loaded on the first compile only), handed to
 * every Session the ops create.
 */
import type { CompilerModule } from '@ladon/runtime';

/** Loads @ladon/compiler on first use. */
export const loadCompiler = (): Promise<CompilerModule> => import('@ladon/compiler');
