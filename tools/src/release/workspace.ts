/** The repository's workspace packages, read from their package.json files. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What the release steps need from a package.json. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly engines?: Record<string, string>;
  readonly repository?: unknown;
  readonly keywords?: readonly string[];
  readonly sideEffects?: boolean | readonly string[];
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

/** A workspace package: its directory (relative to the root) and manifest. */
export interface WorkspacePackage {
  readonly directory: string;
  readonly manifest: Manifest;
}

/** Reads `directory/package.json`. */
export function readManifest(directory: string): Manifest {
  return JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as Manifest;
}

/** Every workspace package (packages/*, apps/*, tools), sorted by directory. */
export function workspacePackages(root: string): WorkspacePackage[] {
  const directories = ['packages', 'apps'].flatMap((parent) =>
    readdirSync(path.join(root, parent))
      .sort()
      .map((name) => path.join(parent, name)),
  );
  return [...directories, 'tools']
    .filter((directory) => existsSync(path.join(root, directory, 'package.json')))
    .map((directory) => ({ directory, manifest: readManifest(path.join(root, directory)) }));
}

/** The packages that get published (not private). */
export function publicPackages(root: string): WorkspacePackage[] {
  return workspacePackages(root).filter((item) => !item.manifest.private);
}
