/**
 * What `changeset version` would do, without touching the repository: the
 * root manifest, `.changeset/` and every workspace package.json are copied
 * into a scratch directory (node_modules linked), `changeset version` runs
 * there, and the versions and internal ranges it wrote are read back.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readManifest, workspacePackages, type Manifest } from './workspace.js';

/** One package's planned release. */
export interface PlannedVersion {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly private: boolean;
  /** Internal (`@ladon/*`) dependency and peer ranges after versioning. */
  readonly ranges: Readonly<Record<string, string>>;
}

function internalRanges(manifest: Manifest): Record<string, string> {
  const ranges: Record<string, string> = {};
  for (const [kind, deps] of [['', manifest.dependencies], ['peer ', manifest.peerDependencies]] as const) {
    for (const [name, range] of Object.entries(deps ?? {})) if (name.startsWith('@ladon/')) ranges[`${kind}${name}`] = range;
  }
  return ranges;
}

function copyManifests(root: string, scratch: string): void {
  cpSync(path.join(root, 'package.json'), path.join(scratch, 'package.json'));
  cpSync(path.join(root, '.changeset'), path.join(scratch, '.changeset'), { recursive: true });
  for (const { directory } of workspacePackages(root)) {
    mkdirSync(path.join(scratch, directory), { recursive: true });
    cpSync(path.join(root, directory, 'package.json'), path.join(scratch, directory, 'package.json'));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
}

/** Runs `changeset version` on a scratch copy of the manifests and returns every package's planned version. */
export function planVersions(root: string): PlannedVersion[] {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ladon-changeset-'));
  try {
    copyManifests(root, scratch);
    const changeset = path.join(root, 'node_modules/@changesets/cli/bin.js');
    const result = spawnSync(process.execPath, [changeset, 'version'], { cwd: scratch, encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) throw new Error(`changeset version failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
    return workspacePackages(root).map(({ directory, manifest }) => {
      const after = readManifest(path.join(scratch, directory));
      return { name: manifest.name, from: manifest.version, to: after.version, private: Boolean(manifest.private), ranges: internalRanges(after) };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function major(version: string): number {
  return Number(version.split('.')[0]);
}

/** Problems with a plan: a public 0.x package that would reach 1.0.0 or more. */
export function versionProblems(plan: readonly PlannedVersion[]): string[] {
  return plan
    .filter((entry) => !entry.private && major(entry.from) === 0 && major(entry.to) >= 1)
    .map((entry) => `${entry.name} would go from ${entry.from} to ${entry.to}: a major release by accident (a peer range that the new versions leave?)`);
}

/** The plan as lines: `@ladon/ir  0.1.0 -> 0.2.0`, with the internal ranges after versioning. */
export function formatPlan(plan: readonly PlannedVersion[]): string[] {
  const width = Math.max(...plan.map((entry) => entry.name.length));
  return plan
    .filter((entry) => !entry.private)
    .map((entry) => {
      const ranges = Object.entries(entry.ranges).map(([name, range]) => `${name} ${range}`);
      return `${entry.name.padEnd(width)}  ${entry.from} -> ${entry.to}${ranges.length ? `   (${ranges.join(', ')})` : ''}`;
    });
}
