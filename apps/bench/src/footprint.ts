/**
 * Footprint (DESIGN.md): what each runtime makes an application download,
 * and the time to first result (import the runtime, create a session, run
 * once). Time to first result must be measured before anything else in the
 * process loads a runtime, so the benchmark measures it first.
 */
import { serializeProgram, type Graph, type Program } from '@ladon/ir';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { CaseData } from './inputs.js';
import { createLadonSession, runLadon } from './ladon-runner.js';
import { ortWebFirstResult } from './ort-web-runner.js';
import { describeFailure, isUnavailable, type Runner } from './runner.js';
import { timed } from './statistics.js';

/** One downloadable piece and its size. */
export interface BundlePart {
  readonly label: string;
  readonly files: readonly string[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** Time to first result of one runtime (or why it has none). */
export interface FirstResult {
  readonly runtime: string;
  readonly ms?: number;
  readonly unavailable?: string;
  readonly note: string;
}

const require = createRequire(import.meta.url);

/** The entry file `name` resolves to (ESM resolution first: some packages export only `import`). */
function entryFile(name: string): string {
  try {
    return fileURLToPath(import.meta.resolve(name));
  } catch {
    return require.resolve(name);
  }
}

/** The directory of an installed package (found from its entry point). */
export function packageDirectory(name: string): string {
  let directory = path.dirname(entryFile(name));
  while (directory !== path.dirname(directory)) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return directory;
    directory = path.dirname(directory);
  }
  throw new Error(`cannot find the package directory of ${name}`);
}

/** The version an installed package declares. */
export function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(packageDirectory(name), 'package.json'), 'utf8')) as { version: string }).version;
}

/** A file of an installed package: its package name and its path inside the package. */
interface PackageFile {
  readonly name: string;
  readonly file: string;
}

function part(label: string, files: readonly PackageFile[]): BundlePart {
  const contents = files.map(({ name, file }) => readFileSync(path.join(packageDirectory(name), file)));
  const bytes = contents.reduce((sum, content) => sum + content.length, 0);
  const gzipBytes = contents.reduce((sum, content) => sum + gzipSync(content, { level: 9 }).length, 0);
  return { label, files: files.map(({ name, file }) => `${name}/${file}`), bytes, gzipBytes };
}

/** Every built JS file of a workspace package (source maps and type declarations excluded). */
function distJavaScript(name: string): PackageFile[] {
  return readdirSync(path.join(packageDirectory(name), 'dist'))
    .filter((file) => /\.m?js$/.test(file))
    .sort()
    .map((file) => ({ name, file: `dist/${file}` }));
}

function packageFiles(name: string, files: readonly string[]): PackageFile[] {
  return files.map((file) => ({ name, file }));
}

/** Sizes of what each runtime ships to run a program (raw and gzip -9 per file). */
export function bundleSizes(): BundlePart[] {
  const ortFiles = ['dist/ort.wasm.min.mjs', 'dist/ort-wasm-simd-threaded.mjs', 'dist/ort-wasm-simd-threaded.wasm'];
  return [
    part('@ladon/runtime (built dist JS)', distJavaScript('@ladon/runtime')),
    part('@ladon/ir (built dist JS, imported by the runtime)', distJavaScript('@ladon/ir')),
    part('JIT only: @ladon/compiler dist + binaryen (loaded when compiling a graph)', [...distJavaScript('@ladon/compiler'), ...packageFiles('binaryen', ['index.js'])]),
    part('onnxruntime-web, wasm EP (JS + wasm)', packageFiles('onnxruntime-web', ortFiles)),
    part('tfjs-core + tfjs-backend-wasm (JS + SIMD wasm)', [
      ...packageFiles('@tensorflow/tfjs-core', ['dist/tf-core.min.js']),
      ...packageFiles('@tensorflow/tfjs-backend-wasm', ['dist/tf-backend-wasm.min.js', 'dist/tfjs-backend-wasm-simd.wasm']),
    ]),
  ];
}

/** Import + create + first run of a peer runner on `data`. */
async function peerFirstResult(runner: Runner, data: CaseData, note: string): Promise<FirstResult> {
  try {
    const { ms, value: prepared } = await timed(async () => {
      const prepared = await runner.prepare(data);
      if (!isUnavailable(prepared)) await prepared.run();
      return prepared;
    });
    if (isUnavailable(prepared)) return { runtime: runner.name, unavailable: prepared.unavailable, note };
    prepared.dispose();
    return { runtime: runner.name, ms, note };
  } catch (error) {
    return { runtime: runner.name, unavailable: describeFailure(error), note };
  }
}

/** Create a Ladon session from `source` and run once, timed; returns the program it ran. */
async function ladonFirstRun(source: Graph | Uint8Array, data: CaseData, runtime: string, note: string): Promise<{ result: FirstResult; program?: Program }> {
  const start = performance.now();
  const loaded = await createLadonSession(source);
  if ('unavailable' in loaded) return { result: { runtime, unavailable: loaded.unavailable, note } };
  try {
    await runLadon(loaded.session, data.feeds, data.outputName);
    return { result: { runtime, ms: performance.now() - start, note }, program: loaded.program };
  } catch (error) {
    return { result: { runtime, unavailable: `failed while running: ${describeFailure(error)}`, note } };
  } finally {
    loaded.session.dispose();
  }
}

/** Ladon's two paths: compiling the graph in the process, then loading the compiled program's bytes. */
async function ladonFirstResults(data: CaseData): Promise<{ results: FirstResult[]; programBytes?: number }> {
  const jitLabel = 'Ladon (wasm), compiling the graph';
  const aotLabel = 'Ladon (wasm), precompiled program';
  const jitNote = 'import @ladon/runtime, compile the graph (loads @ladon/compiler and binaryen), instantiate, run';
  const aotNote = 'Session.create(bytes of the precompiled .ladon program) + run; the runtime module was already imported';
  const jit = await ladonFirstRun(data.graph, data, jitLabel, jitNote);
  if (!jit.program) return { results: [jit.result, { runtime: aotLabel, unavailable: 'no compiled program (see the line above)', note: aotNote }] };
  const bytes = serializeProgram(jit.program);
  const aot = await ladonFirstRun(bytes, data, aotLabel, aotNote);
  return { results: [jit.result, aot.result], programBytes: bytes.length };
}

/** Time to first result for every runtime, on one case; also the size of Ladon's compiled program for it. */
export async function firstResults(data: CaseData, peers: readonly Runner[]): Promise<{ results: FirstResult[]; programBytes?: number }> {
  const ortNote = 'in a fresh worker thread: import onnxruntime-web, initialise its wasm, load the model (unfused), run once';
  const results: FirstResult[] = [{ runtime: 'onnxruntime-web', ...(await ortWebFirstResult(data)), note: ortNote }];
  for (const peer of peers) results.push(await peerFirstResult(peer, data, `import ${peer.name}, initialise its wasm, load the model, run once`));
  const ladon = await ladonFirstResults(data);
  return { results: [...results, ...ladon.results], ...(ladon.programBytes === undefined ? {} : { programBytes: ladon.programBytes }) };
}
