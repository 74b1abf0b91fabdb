import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: false, // the tarballs ship dist/ only; maps without the sources would point nowhere
  clean: true,
  target: 'es2022',
  // Loaded on demand with import(): never bundled into the runtime.
  external: ['@ladon/compiler', '@ladon/onnx', 'webgpu'],
});
