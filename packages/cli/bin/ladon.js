#!/usr/bin/env node
// The `ladon` command. This file is committed (npm links a workspace's bin
// only if the file exists when `npm ci` runs) and starts the built CLI in
// ../dist. In a source checkout whose packages are not built yet, it builds
// them first (`npm run build`, which turbo caches); a published package
// always ships dist/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const inSourceCheckout = existsSync(new URL('../src/cli.ts', import.meta.url)) && existsSync(`${repositoryRoot}turbo.json`);

if (!existsSync(cli)) {
  if (!inSourceCheckout) {
    process.stderr.write(`ladon: ${fileURLToPath(cli)} is missing: reinstall @ladon/cli\n`);
    process.exit(1);
  }
  process.stderr.write('ladon: the packages are not built yet; building them first (once)...\n');
  const build = spawnSync('npm', ['run', 'build', '--', '--filter=@ladon/cli...', '--output-logs=errors-only'], { cwd: repositoryRoot, stdio: ['ignore', 2, 2] });
  if (build.status !== 0 || !existsSync(cli)) {
    process.stderr.write('ladon: the build failed; run `npm run build` in the repository root and try again\n');
    process.exit(1);
  }
}

await import(cli.href);
