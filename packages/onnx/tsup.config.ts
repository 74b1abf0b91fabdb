import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts', 'src/testing.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: false, // the tarballs ship dist/ only; maps without the sources would point nowhere
  clean: true,
  target: 'es2022',
});
