/**
 * What every published package.json must say: license, engines,
 * repository, keywords, sideEffects; and internal ranges that hold the
 * workspace's own versions (dependencies `^x.y.z`, peers a range such as
 * `>=0.1.0 <1.0.0` that later 0.x minors stay inside).
 */
import type { Manifest, WorkspacePackage } from './workspace.js';

const REQUIRED_FIELDS = ['license', 'engines', 'repository', 'keywords', 'sideEffects'] as const;

function parseVersion(text: string): number[] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!match) throw new Error(`'${text}' is not a plain x.y.z version`);
  return match.slice(1).map(Number);
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return a[index] - b[index];
  return 0;
}

/** The next version a caret range stops at (npm's rules: `^0.1.2` < 0.2.0, `^1.2.3` < 2.0.0). */
function caretLimit([major, minor, patch]: readonly number[]): number[] {
  if (major > 0) return [major + 1, 0, 0];
  return minor > 0 ? [0, minor + 1, 0] : [0, 0, patch + 1];
}

/** Whether `version` satisfies `range`, for the range forms used here: `^x.y.z` and space-joined `>=x.y.z` / `<x.y.z`. */
export function satisfies(version: string, range: string): boolean {
  const value = parseVersion(version);
  return range
    .trim()
    .split(/\s+/)
    .every((comparator) => {
      const [, operator, bound] = /^(\^|>=|<)(.+)$/.exec(comparator) ?? [];
      if (!operator) throw new Error(`range '${range}': only ^x.y.z, >=x.y.z and <x.y.z are understood here`);
      const limit = parseVersion(bound);
      if (operator === '^') return compare(value, limit) >= 0 && compare(value, caretLimit(limit)) < 0;
      return operator === '>=' ? compare(value, limit) >= 0 : compare(value, limit) < 0;
    });
}

function rangeProblems(item: WorkspacePackage, versions: ReadonlyMap<string, string>): string[] {
  const { manifest } = item;
  const problems: string[] = [];
  const sections: [string, Record<string, string> | undefined][] = [
    ['dependencies', manifest.dependencies],
    ['devDependencies', manifest.devDependencies],
    ['peerDependencies', manifest.peerDependencies],
  ];
  for (const [section, deps] of sections) {
    for (const [name, range] of Object.entries(deps ?? {})) {
      const version = versions.get(name);
      if (version === undefined) continue;
      if (section !== 'peerDependencies' && range !== `^${version}`) problems.push(`${manifest.name}: ${section}.${name} is '${range}'; expected '^${version}' (the workspace version)`);
      else if (!satisfies(version, range)) problems.push(`${manifest.name}: ${section}.${name} '${range}' does not hold the workspace version ${version}`);
    }
  }
  return problems;
}

function fieldProblems(manifest: Manifest): string[] {
  const problems = REQUIRED_FIELDS.filter((field) => manifest[field] === undefined).map((field) => `${manifest.name}: package.json has no "${field}"`);
  if (manifest.license !== undefined && manifest.license !== 'MIT') problems.push(`${manifest.name}: license is '${manifest.license}', but LICENSE is MIT`);
  return problems;
}

/** Problems with the published packages' manifests (empty when all is well). */
export function manifestProblems(published: readonly WorkspacePackage[]): string[] {
  const versions = new Map(published.map((item) => [item.manifest.name, item.manifest.version]));
  return published.flatMap((item) => [...fieldProblems(item.manifest), ...rangeProblems(item, versions)]);
}
