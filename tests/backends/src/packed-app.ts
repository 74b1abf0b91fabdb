/**
 * A page built the way a user builds one: every public @ladon package packed
 * (`npm pack`), installed from the tarballs into an empty project with Vite
 * (third-party packages from the registry or npm's cache), and built with
 * `vite build`. The page's files are the caller's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY } from './paths.js';

const PACKAGES = ['ir', 'compiler', 'runtime', 'onnx', 'ops'];

function run(command: string, args: readonly string[], cwd: string, timeoutSeconds: number): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutSeconds * 1000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}${result.error ? `, ${result.error.message}` : ''}):\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Packs the packages into `directory/tarballs` and installs them with Vite into `directory/app`; returns the app's directory. */
export function installPackedApp(directory: string, files: Readonly<Record<string, string>>): string {
  const tarballs = join(directory, 'tarballs');
  const app = join(directory, 'app');
  mkdirSync(tarballs, { recursive: true });
  mkdirSync(app, { recursive: true });
  for (const name of PACKAGES) run('npm', ['pack', '--silent', '--pack-destination', tarballs], join(REPOSITORY, 'packages', name), 300);
  const byName = Object.fromEntries(readdirSync(tarballs).map((file) => [`@ladon/${file.replace(/^ladon-(.*)-\d+\.\d+\.\d+\.tgz$/, '$1')}`, `file:${join(tarballs, file)}`]));
  const manifest = { name: 'ladon-bundled-page', private: true, type: 'module', dependencies: { ...byName, vite: '^8.3.4' }, overrides: byName };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(app, name), body);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app, 900);
  return app;
}

/** `vite build` in the app; returns the output directory. */
export function viteBuild(app: string): string {
  run('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], app, 900);
  return join(app, 'dist');
}
