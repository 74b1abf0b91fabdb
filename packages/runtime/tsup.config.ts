import path from 'node:path';
import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  format: ['esm'],
  sourcemap: false, // the tarballs ship dist/ only; maps without the sources would point nowhere
  target: 'es2022',
  // Loaded on demand (handed in by the application, or by name in Node): never bundled into the runtime.
  external: ['@ladon/compiler', '@ladon/onnx', 'webgpu'],
};

/** The browser build: every import of host/host.node.js resolves to host/host.browser.ts (no Node built-in, no import by name). */
const browserHost = {
  name: 'ladon-browser-host',
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { path: string; resolveDir: string }) => { path: string }): void }) {
    build.onResolve({ filter: /host\/host\.node\.js$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/host\.node\.js$/, 'host.browser.ts')) }));
  },
};

export default defineConfig([
  // Node (the `node` condition): dist/index.js, dist/testing.js and their types.
  { ...shared, entry: ['src/index.ts', 'src/testing.ts'], outDir: 'dist', dts: true, clean: true },
  // Browsers and bundlers (the `browser` and `default` conditions): dist/browser/.
  { ...shared, entry: ['src/index.ts', 'src/testing.ts'], outDir: 'dist/browser', dts: false, clean: false, esbuildPlugins: [browserHost] },
]);
