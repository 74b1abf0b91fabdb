import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/check-docs.ts', 'src/check-packages.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  target: 'node20',
  external: ['ts-morph'],
});
