import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/check-docs.ts', 'src/check-api.ts', 'src/release-dry-run.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  target: 'node20',
  external: ['ts-morph', 'typescript', 'esbuild'],
});
