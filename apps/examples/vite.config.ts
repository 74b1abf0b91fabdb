// The browser demos: index.html (induction heads) and shapes.html (ViT and CBAM) + src/browser. `generated/` (written by
// src/node/precompile-programs.ts, not committed) is served as the public
// directory, so the precompiled programs land beside the page in dist/demo.
import { defineConfig } from 'vite';

/** COOP/COEP, so the page is cross-origin isolated (shared wasm memory needs it). */
const isolationHeaders = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  base: './',
  publicDir: 'generated',
  build: { outDir: 'dist/demo', emptyOutDir: true, target: 'es2022', rollupOptions: { input: { index: 'index.html', shapes: 'shapes.html' } } },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
