/**
 * `npm run check:packages`: packs every public package under `packages/`
 * and runs publint (strict) and Are The Types Wrong (`--profile esm-only`:
 * the packages ship ESM with .d.ts) on it. Exits 1 if any check fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Check {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

function checksFor(directory: string, bin: string): Check[] {
  return [
    { name: 'publint', command: path.join(bin, 'publint'), args: ['--strict', directory] },
    { name: 'attw', command: path.join(bin, 'attw'), args: ['--pack', directory, '--profile', 'esm-only', '--format', 'table-flipped'] },
  ];
}

function main(): number {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const bin = path.join(root, 'node_modules/.bin');
  const packagesDir = path.join(root, 'packages');
  let failures = 0;
  for (const name of readdirSync(packagesDir).sort()) {
    const directory = path.join(packagesDir, name);
    const manifestPath = path.join(directory, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; private?: boolean };
    if (manifest.private) continue;
    for (const check of checksFor(directory, bin)) {
      const result = spawnSync(check.command, check.args, { cwd: root, encoding: 'utf8' });
      const ok = result.status === 0;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${check.name} ${manifest.name}`);
      if (!ok) {
        failures++;
        process.stdout.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
      }
    }
  }
  console.log(failures === 0 ? 'check:packages: all packages pass' : `check:packages: ${failures} check(s) failed`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main();
