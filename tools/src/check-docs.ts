/**
 * `node tools/dist/check-docs.js [ROOT]`: checks every package under
 * `ROOT/packages/*` (default: the repository root) and prints
 * `file:line: message` for each exported symbol without a doc comment.
 * Exits 1 when any is found.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { findUndocumentedExports, type DocProblem } from './doc-check.js';

function main(): number {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  const packagesDir = path.join(root, 'packages');
  const problems: DocProblem[] = [];
  let checked = 0;
  for (const name of readdirSync(packagesDir).sort()) {
    const entry = path.join(packagesDir, name, 'src/index.ts');
    if (!existsSync(entry)) continue;
    const project = new Project({
      tsConfigFilePath: path.join(packagesDir, name, 'tsconfig.json'),
      skipAddingFilesFromTsConfig: true,
    });
    const source = project.addSourceFileAtPath(entry);
    project.resolveSourceFileDependencies();
    problems.push(...findUndocumentedExports(source, root));
    checked++;
  }
  for (const problem of problems) console.log(`${problem.file}:${problem.line}: ${problem.message}`);
  console.log(`check-docs: ${checked} packages, ${problems.length} undocumented export${problems.length === 1 ? '' : 's'}`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = main();
