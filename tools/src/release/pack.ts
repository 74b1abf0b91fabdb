/**
 * `npm pack` of every published package, what the tarballs hold (no source
 * maps without sources, a LICENSE, a README), and publint (strict) and Are
 * The Types Wrong (`esm-only`: the packages ship ESM with .d.ts) on the
 * packed files.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { WorkspacePackage } from './workspace.js';

/** One packed package. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** The .tgz file. */
  readonly tarball: string;
  readonly files: readonly string[];
  /** Tarball size in bytes. */
  readonly size: number;
  readonly unpackedSize: number;
}

interface NpmPackEntry {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { path: string }[];
}

/** Packs `item` into `destination`. */
export function packPackage(root: string, item: WorkspacePackage, destination: string): PackedPackage {
  const result = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: path.join(root, item.directory), encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`npm pack ${item.manifest.name} failed:\n${result.stderr}`);
  const [entry] = JSON.parse(result.stdout) as NpmPackEntry[];
  return {
    name: item.manifest.name,
    version: item.manifest.version,
    tarball: path.join(destination, entry.filename),
    files: entry.files.map((file) => file.path),
    size: entry.size,
    unpackedSize: entry.unpackedSize,
  };
}

/** Problems with what a tarball holds (empty when all is well). */
export function contentProblems(packed: PackedPackage): string[] {
  const problems: string[] = [];
  const maps = packed.files.filter((file) => file.endsWith('.map'));
  const shipsSources = packed.files.some((file) => file.startsWith('src/'));
  if (maps.length > 0 && !shipsSources) problems.push(`${packed.name}: the tarball ships source maps without the sources (${maps.slice(0, 3).join(', ')})`);
  for (const required of ['LICENSE', 'README.md', 'package.json']) if (!packed.files.includes(required)) problems.push(`${packed.name}: the tarball has no ${required}`);
  const tests = packed.files.filter((file) => /\.test\./.test(file));
  if (tests.length > 0) problems.push(`${packed.name}: the tarball ships tests (${tests.slice(0, 3).join(', ')})`);
  return problems;
}

/** One lint of a tarball. */
export interface LintResult {
  readonly tool: 'publint' | 'attw';
  readonly ok: boolean;
  readonly output: string;
}

/** publint --strict and attw --profile esm-only on a packed tarball. */
export function lintTarball(root: string, packed: PackedPackage): LintResult[] {
  const bin = path.join(root, 'node_modules/.bin');
  const runs = [
    { tool: 'publint' as const, command: path.join(bin, 'publint'), args: ['run', '--strict', packed.tarball] },
    { tool: 'attw' as const, command: path.join(bin, 'attw'), args: [packed.tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-color'] },
  ];
  return runs.map(({ tool, command, args }) => {
    const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 120_000 });
    return { tool, ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
  });
}
