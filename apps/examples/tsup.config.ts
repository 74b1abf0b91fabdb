import { defineConfig } from 'tsup';

// The Node example (`npm start`) and the demo's build step; the browser demo is built by Vite.
export default defineConfig({
  entry: { 'node-example': 'src/node/main.ts', 'precompile-programs': 'src/node/precompile-programs.ts' },
  format: ['esm'],
  dts: false,
  clean: true,
  target: 'node20',
});
