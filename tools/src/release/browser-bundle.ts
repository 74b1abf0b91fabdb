/**
 * A browser application bundled from the installed tarballs, as a user's
 * bundler would (esbuild, `platform: 'browser'`, code splitting): it imports
 * `@ladon/runtime` and `@ladon/ops`, so the runtime must resolve to its
 * browser build (no Node built-in) and the compiler must be reached through
 * a lazy import esbuild can see (its own chunks, not the entry). The only
 * external is `node:module`, which binaryen imports in its Node-only branch.
 */
import { build } from 'esbuild';

/** The app's entry: what a page using attention() and Session would import. */
const APP = "import { attention } from '@ladon/ops';\nimport { Session } from '@ladon/runtime';\nexport { attention, Session };\n";

/** What bundling produced: the entry chunk's size and the other chunks' names. */
export interface BrowserBundle {
  readonly entryBytes: number;
  readonly chunks: readonly string[];
}

/** Bundles the app in `project`; problems (bundler errors, the compiler in the entry chunk) are returned, not thrown. */
export async function bundleBrowserApp(project: string): Promise<{ bundle?: BrowserBundle; problems: string[] }> {
  try {
    const result = await build({
      stdin: { contents: APP, resolveDir: project, loader: 'js', sourcefile: 'app.js' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outdir: 'out',
      write: false,
      minify: true,
      external: ['node:module'],
      logLevel: 'silent',
    });
    const entry = result.outputFiles.find((file) => /[/\\]stdin\.js$/.test(file.path));
    const chunks = result.outputFiles.filter((file) => file !== entry).map((file) => file.path.replace(/^.*[/\\]/, ''));
    const problems = entry && /binaryen|compile-worker\.js/.test(entry.text) ? ['the browser bundle has the compiler in its entry chunk (it must be a lazy chunk)'] : [];
    return { bundle: { entryBytes: entry?.contents.length ?? 0, chunks }, problems };
  } catch (error) {
    return { problems: [`esbuild --platform=browser could not bundle an app importing @ladon/ops and @ladon/runtime: ${(error as Error).message}`] };
  }
}
