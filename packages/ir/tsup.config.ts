import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: false, // the tarballs ship dist/ only; maps without the sources would point nowhere
  clean: true,
  target: 'es2022',
});
