/**
 * Time to first result, whole processes: Ladon's first `attention()` of q, k,
 * v [1, 8, 128, 64] in a fresh Node process with an empty compile cache
 * (cold) and again with the cache that run left (warm), beside
 * onnxruntime-web's import + session create + first run in a fresh process
 * (start-up-child.ts is each process). Medians over `runs` processes of each;
 * also the gzipped size of what a page downloads to run a program without the
 * compiler (@ladon/runtime's browser build + @ladon/ir).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { packageDirectory } from './footprint.js';
import { prepareCase } from './inputs.js';
import { median } from './statistics.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'start-up-child.js');

/** What one child process printed, and its whole wall time. */
interface ChildTiming {
  readonly sinceStart: number;
  readonly sinceImport: number;
  readonly interim?: boolean;
  readonly processMs: number;
}

/** Medians of one kind of start. */
export interface StartUpLine {
  readonly label: string;
  readonly sinceStart: number;
  readonly sinceImport: number;
  readonly processMs: number;
  readonly note: string;
}

/** The start-up table and the runtime's size. */
export interface StartUpReport {
  readonly runs: number;
  readonly lines: readonly StartUpLine[];
  readonly runtimeGzipKiB: number;
}

function runChild(args: readonly string[]): ChildTiming {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CHILD, ...args], { encoding: 'utf8', timeout: 300_000 });
  const processMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`start-up child ${args[0]} failed (exit ${result.status}): ${result.stderr}`);
  return { ...(JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Omit<ChildTiming, 'processMs'>), processMs };
}

function line(label: string, timings: readonly ChildTiming[], note: string): StartUpLine {
  return {
    label,
    sinceStart: median(timings.map((timing) => timing.sinceStart)),
    sinceImport: median(timings.map((timing) => timing.sinceImport)),
    processMs: median(timings.map((timing) => timing.processMs)),
    note,
  };
}

/** gzip -9 KiB of the runtime's browser build (without its /testing entry) and @ladon/ir's dist. */
export function runtimeGzipKiB(): number {
  const files = (directory: string) =>
    readdirSync(directory)
      .filter((file) => file.endsWith('.js') && !file.startsWith('testing'))
      .map((file) => path.join(directory, file));
  const all = [...files(path.join(packageDirectory('@ladon/runtime'), 'dist/browser')), ...files(path.join(packageDirectory('@ladon/ir'), 'dist'))];
  return all.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0) / 1024;
}

/** Runs `runs` cold, warm and onnxruntime-web processes (interleaved) and takes medians. */
export function measureStartUp(runs: number): StartUpReport {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ladon-start-up-'));
  try {
    const model = path.join(scratch, 'attention.onnx');
    const data = prepareCase({ id: 'start-up', label: 'start-up', spec: { kind: 'attention', heads: 8, seq: 128, headSize: 64, causal: false }, rounds: 1, warmups: 0, reference: 'interpreter' });
    writeFileSync(model, data.onnx);
    const cold: ChildTiming[] = [];
    const warm: ChildTiming[] = [];
    const ort: ChildTiming[] = [];
    for (let run = 0; run < runs; run++) {
      const cache = path.join(scratch, `cache-${run}`);
      cold.push(runChild(['ladon', cache]));
      warm.push(runChild(['ladon', cache]));
      ort.push(runChild(['ort', model]));
    }
    const interim = cold.every((timing) => timing.interim) ? 'answered by the interpreter while the program compiled in the worker' : 'waited for the compiled program';
    return {
      runs,
      lines: [
        line('Ladon attention(), cold (no cache)', cold, `${interim}; the process then finishes compiling and fills the cache`),
        line('Ladon attention(), warm persistent cache', warm, 'the program read from the cache directory the cold run filled'),
        line('onnxruntime-web session create + first run', ort, 'import, InferenceSession.create (1 thread, wasm EP), run once'),
      ],
      runtimeGzipKiB: runtimeGzipKiB(),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The report as Markdown. */
export function startUpMarkdown(report: StartUpReport): string {
  const rows = report.lines.map((entry) => `| ${entry.label} | ${entry.sinceImport.toFixed(0)} | ${entry.sinceStart.toFixed(0)} | ${entry.processMs.toFixed(0)} | ${entry.note} |`);
  return [
    `## Time to first result (fresh processes, q, k, v [1, 8, 128, 64]; medians of ${report.runs})`,
    '',
    '| start | ms from import | ms from process start | whole process ms | how |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    `@ladon/runtime (browser build) + @ladon/ir, gzipped, without the compiler: ${report.runtimeGzipKiB.toFixed(1)} KiB (limit 150 KiB).`,
    '',
  ].join('\n');
}
