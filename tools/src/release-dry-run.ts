/**
 * `npm run release:dry-run` (and the last step of `npm test`): everything a
 * release does, short of publishing.
 *
 * 1. `changeset version` on a scratch copy: prints the version each package
 *    would get; fails when a 0.x package would reach 1.0.0.
 * 2. The published package.json files: license, engines, repository,
 *    keywords, sideEffects, internal ranges.
 * 3. `npm pack` of every public package: no source maps without sources, a
 *    LICENSE and README in each; publint (strict) and attw on the tarballs.
 * 4. The tarballs installed into an empty project (third-party dependencies
 *    from the registry): `npx ladon --version` and `npx ladon check` there,
 *    and every TypeScript example of the READMEs type-checked and run
 *    against the installed packages.
 * 5. A browser app importing @ladon/ops and @ladon/runtime bundled from the
 *    installed tarballs with esbuild (`--platform=browser`, code splitting).
 * 6. Footprint: the installed size of the compiler with its dependencies
 *    and the gzipped runtime bundle, compared with the README's figures.
 *
 * Build first (`npm run release:dry-run` does). Needs ../shared beside the
 * repository (or LADON_SHARED_DIR). Exits 1 when anything fails.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeBlocks } from './readme/blocks.js';
import { runTypeScriptBlock, typecheckBlocks, type ExampleEnvironment } from './readme/run-blocks.js';
import { bundleBrowserApp } from './release/browser-bundle.js';
import { footprintProblems, installedBytes, runtimeBundleGzipBytes } from './release/footprint.js';
import { installTarballs, npxLadon } from './release/install.js';
import { manifestProblems } from './release/manifest-checks.js';
import { contentProblems, lintTarball, packPackage, type PackedPackage } from './release/pack.js';
import { formatPlan, planVersions, versionProblems } from './release/versions.js';
import { publicPackages } from './release/workspace.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = path.resolve(process.env.LADON_SHARED_DIR ?? path.join(ROOT, '../shared'));
const SEED_BLOCK = path.join(SHARED, 'fixtures/torch-export/seed_mha_block');

const problems: string[] = [];

function section(title: string): void {
  console.log(`\n== ${title}`);
}

function report(found: readonly string[]): void {
  for (const problem of found) console.log(`FAIL ${problem}`);
  problems.push(...found);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function checkVersions(): void {
  section('versions: `changeset version` on a scratch copy');
  const plan = planVersions(ROOT);
  for (const line of formatPlan(plan)) console.log(`  ${line}`);
  report(versionProblems(plan));
}

function packAndLint(destination: string): PackedPackage[] {
  section('npm pack, publint --strict, attw --profile esm-only');
  const packed = publicPackages(ROOT).map((item) => packPackage(ROOT, item, destination));
  for (const item of packed) {
    const lints = lintTarball(ROOT, item);
    const verdicts = lints.map((lint) => `${lint.tool} ${lint.ok ? 'ok' : 'FAIL'}`).join(', ');
    console.log(`  ${path.basename(item.tarball)}: ${item.files.length} files, ${kib(item.size)} packed, ${kib(item.unpackedSize)} unpacked; ${verdicts}`);
    report(contentProblems(item));
    for (const lint of lints.filter((entry) => !entry.ok)) report([`${lint.tool} ${item.name}:\n${lint.output}`]);
  }
  return packed;
}

function runInstalled(project: string, packed: readonly PackedPackage[]): void {
  section('the tarballs in an empty project');
  installTarballs(project, packed);
  const cli = packed.find((item) => item.name === '@ladon/cli');
  const version = npxLadon(project, ['--version']).trim();
  console.log(`  npx ladon --version: ${version}`);
  if (version !== cli?.version) report([`npx ladon --version printed '${version}', expected ${cli?.version}`]);
  const check = JSON.parse(npxLadon(project, ['check', SEED_BLOCK, '--backend', 'wasm', '--json'])) as { passed: number; failed: number };
  console.log(`  npx ladon check seed_mha_block --backend wasm: ${check.passed} passed, ${check.failed} failed`);
  if (check.passed !== 1) report(['npx ladon check on the seed block did not pass in the installed project']);
  const environment: ExampleEnvironment = {
    moduleDirectory: project,
    workDirectory: path.join(project, 'work'),
    sharedDirectory: SHARED,
    ladonBin: path.join(project, 'node_modules/@ladon/cli/bin/ladon.js'),
    typeRoots: [path.join(ROOT, 'node_modules/@types')],
    timeoutSeconds: 300,
  };
  mkdirSync(environment.workDirectory, { recursive: true });
  const examples = readmeBlocks(ROOT).filter((block) => block.lang === 'ts');
  report(typecheckBlocks(examples, environment).map((problem) => `type check against the packed types: ${problem}`));
  for (const block of examples) {
    try {
      runTypeScriptBlock(block, environment);
      console.log(`  README example ${block.file}:${block.line} ran`);
    } catch (error) {
      report([(error as Error).message]);
    }
  }
}

async function bundleForBrowser(project: string): Promise<void> {
  section('a browser app bundled from the tarballs (esbuild --platform=browser, code splitting)');
  const { bundle, problems: found } = await bundleBrowserApp(project);
  if (bundle) console.log(`  entry ${kib(bundle.entryBytes)}; lazy chunks: ${bundle.chunks.join(', ')}`);
  report(found);
}

async function measureFootprint(project: string): Promise<void> {
  section('footprint');
  const compiler = installedBytes(project, '@ladon/compiler');
  const runtime = await runtimeBundleGzipBytes(project);
  const compilerMb = compiler.bytes / 1e6;
  console.log(`  @ladon/compiler installed with its dependencies (${compiler.packages.join(', ')}): ${compilerMb.toFixed(1)} MB`);
  console.log(`  @ladon/runtime bundled for the browser (with @ladon/ir, minified): ${kib(runtime.bytes)}, ${kib(runtime.gzipBytes)} gzipped`);
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  report(
    footprintProblems(readme, [
      { what: "the compiler's installed size", pattern: /installs as about ([\d.]+) MB/, measured: compilerMb, unit: 'MB' },
      { what: 'the gzipped runtime', pattern: /about ([\d.]+) KiB gzipped/, measured: runtime.gzipBytes / 1024, unit: 'KiB' },
    ]),
  );
}

async function main(): Promise<number> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ladon-release-'));
  try {
    checkVersions();
    section('package.json of the published packages');
    const manifestIssues = manifestProblems(publicPackages(ROOT));
    report(manifestIssues);
    if (manifestIssues.length === 0) console.log('  license, engines, repository, keywords, sideEffects and internal ranges ok');
    const tarballs = path.join(scratch, 'tarballs');
    mkdirSync(tarballs);
    const packed = packAndLint(tarballs);
    const project = path.join(scratch, 'project');
    mkdirSync(project);
    runInstalled(project, packed);
    await bundleForBrowser(project);
    await measureFootprint(project);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(problems.length === 0 ? '\nrelease dry run: ok' : `\nrelease dry run: ${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`release dry run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
