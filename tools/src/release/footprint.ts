/**
 * Footprint of the installed packages, for the README's figures: the
 * installed size of a package with all it depends on (e.g. the compiler
 * with binaryen), and the gzipped size of the runtime as a browser
 * application bundles it (esbuild, minified, with the @ladon/ir it
 * imports; the compiler, ONNX import and Dawn are loaded only on demand).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

function directoryBytes(directory: string): number {
  let total = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** Bytes on disk of `name` and its dependency closure in `project/node_modules` (a flat install). */
export function installedBytes(project: string, name: string): { bytes: number; packages: string[] } {
  const seen = new Set<string>();
  const visit = (dependency: string): void => {
    if (seen.has(dependency)) return;
    const directory = path.join(project, 'node_modules', dependency);
    if (!existsSync(directory)) return;
    seen.add(dependency);
    const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const next of Object.keys(manifest.dependencies ?? {})) visit(next);
  };
  visit(name);
  const packages = [...seen].sort();
  return { bytes: packages.reduce((sum, dependency) => sum + directoryBytes(path.join(project, 'node_modules', dependency)), 0), packages };
}

/** gzip -9 bytes of `@ladon/runtime` bundled for the browser from `project` (minified; on-demand imports left out). */
export async function runtimeBundleGzipBytes(project: string): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({
    stdin: { contents: "export * from '@ladon/runtime';", resolveDir: project, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    external: ['@ladon/compiler', '@ladon/onnx', 'webgpu'], // the runtime's browser build imports none of them: a safety net
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/** A figure the README states, and the measured value it must be near. */
export interface FootprintClaim {
  readonly what: string;
  /** Finds the stated number in the README text. */
  readonly pattern: RegExp;
  readonly measured: number;
  readonly unit: 'MB' | 'KiB';
}

/** Each claim the README makes that is missing or more than `tolerance` (relative) off its measurement. */
export function footprintProblems(readme: string, claims: readonly FootprintClaim[], tolerance = 0.2): string[] {
  return claims.flatMap((claim) => {
    const stated = claim.pattern.exec(readme);
    const shown = `${claim.measured.toFixed(claim.unit === 'MB' ? 0 : 1)} ${claim.unit}`;
    if (!stated) return [`README.md does not state ${claim.what} (${claim.pattern}); measured ${shown}`];
    const value = Number(stated[1]);
    return Math.abs(value - claim.measured) > tolerance * claim.measured ? [`README.md says ${claim.what} is ${value} ${claim.unit}; measured ${shown}`] : [];
  });
}
