import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: false, // the tarballs ship dist/ only; maps without the sources would point nowhere
  clean: true,
  target: 'es2022',
});
