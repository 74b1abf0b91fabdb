/**
 * The packed tarballs installed into an empty project, as a user would
 * install them from the registry: the `@ladon/*` packages come from the
 * tarballs (also as each other's dependencies, through `overrides`), every
 * third-party dependency from the npm registry (or npm's cache).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PackedPackage } from './pack.js';

/** Writes `project/package.json` for the tarballs and runs `npm install` there. */
export function installTarballs(project: string, packed: readonly PackedPackage[]): void {
  const fromTarballs = Object.fromEntries(packed.map((item) => [item.name, `file:${item.tarball}`]));
  const manifest = { name: 'ladon-release-dry-run', private: true, type: 'module', dependencies: fromTarballs, overrides: fromTarballs };
  writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: project, encoding: 'utf8', timeout: 600_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error('npm install of the tarballs timed out after 600 s');
  if (result.status !== 0) throw new Error(`npm install of the tarballs failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
}

/** Runs `npx ladon ARGS` in the project (the installed bin, as npx finds it); returns stdout, throws on failure. */
export function npxLadon(project: string, args: readonly string[]): string {
  const result = spawnSync('npx', ['--no-install', 'ladon', ...args], { cwd: project, encoding: 'utf8', timeout: 300_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error(`npx ladon ${args.join(' ')}: timed out after 300 s`);
  if (result.status !== 0) throw new Error(`npx ladon ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  return result.stdout;
}
