/**
 * `node tools/dist/check-api.js [--update]`: the API report of every
 * public package under `packages/*` (see api-report.ts) compared with its
 * checked-in `api-report.md`; exits 1 and says how to update when one
 * differs. `--update` (`npm run api-report`) rewrites them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { apiReport, entryPoints } from './api-report.js';

/** The first line where two texts differ, 1-based, with both versions. */
function firstDifference(expected: string, actual: string): string {
  const [a, b] = [expected.split('\n'), actual.split('\n')];
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line < 0 ? a.length : line;
  return `line ${at + 1}:\n  checked in: ${b[at] ?? '(end of file)'}\n  exports:    ${a[at] ?? '(end of file)'}`;
}

function main(): number {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const update = process.argv.includes('--update');
  const packagesDir = path.join(root, 'packages');
  let stale = 0;
  for (const name of readdirSync(packagesDir).sort()) {
    const directory = path.join(packagesDir, name);
    const manifestFile = path.join(directory, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { name: string; private?: boolean; exports?: Record<string, unknown> };
    if (manifest.private) continue;
    const project = new Project({ tsConfigFilePath: path.join(directory, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
    const report = apiReport(manifest.name, entryPoints(project, directory, manifest));
    const file = path.join(directory, 'api-report.md');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current === report) continue;
    if (update) {
      writeFileSync(file, report);
      console.log(`check-api: updated ${path.relative(root, file)}`);
      continue;
    }
    stale++;
    console.log(`check-api: the exports of ${manifest.name} differ from ${path.relative(root, file)} at ${firstDifference(report, current)}`);
  }
  if (stale > 0) console.log('check-api: if the change is intended, run `npm run api-report` and commit the updated api-report.md files');
  else console.log('check-api: every API report matches');
  return stale === 0 ? 0 : 1;
}

process.exitCode = main();
