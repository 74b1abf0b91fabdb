import { defineConfig } from 'tsup';

// cli.ts starts with a `#!/usr/bin/env node` line, which tsup keeps (and marks the file executable).
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: false, // the tarballs ship dist/ only; maps without the sources would point nowhere
  clean: true,
  target: 'node20',
});
