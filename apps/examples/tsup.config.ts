import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/seed-block.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  target: 'node20',
});
