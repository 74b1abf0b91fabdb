/**
 * `npm run bench`: Ladon (wasm) against onnxruntime-web (every variant,
 * 1 and 2 threads), onnxruntime-node (native) and tfjs-backend-wasm on the
 * attention core and the MHA block, in one Node process; prints the tables
 * and writes RESULTS.md and results.svg.
 *
 *   node apps/bench/dist/main.js [--quick] [--out DIR | --update-results] [--case ID]...
 *
 * --quick           small sizes and few rounds (the smoke test's run)
 * --out             where RESULTS.md and results.svg go (default:
 *                   apps/bench/results/, git-ignored)
 * --update-results  write the committed apps/bench/RESULTS.md and results.svg
 * --case ID         run only this case (repeatable; e.g. attention-s512), without the long-context run
 * --start-up        only the time to first result in fresh processes (printed; nothing written)
 * Progress lines go to stderr; the tables to stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progressToStderr, runBenchmark } from './bench.js';
import { FULL_PLAN, QUICK_PLAN, selectCases } from './cases.js';
import { parseArguments } from './options.js';
import { CHART_FILE, consoleSummary, resultsMarkdown } from './report.js';
import { resultsSvg } from './report-svg.js';
import { measureStartUp, startUpMarkdown } from './start-up.js';

async function main(): Promise<void> {
  const benchDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const options = parseArguments(process.argv.slice(2), benchDirectory);
  if (options.startUpOnly) return void process.stdout.write(startUpMarkdown(measureStartUp(options.quick ? 1 : 5)));
  const plan = selectCases(options.quick ? QUICK_PLAN : FULL_PLAN, options.caseIds);
  const results = await runBenchmark(options.threadCounts.length > 0 ? { ...plan, threadCounts: options.threadCounts } : plan);
  process.stdout.write(consoleSummary(results));
  progressToStderr('time to first result: fresh processes (cold, warm cache, onnxruntime-web)');
  const startUp = startUpMarkdown(measureStartUp(options.quick ? 1 : 5));
  process.stdout.write(`\n${startUp}`);
  mkdirSync(options.outDirectory, { recursive: true });
  writeFileSync(path.join(options.outDirectory, 'RESULTS.md'), `${resultsMarkdown(results)}\n${startUp}`);
  writeFileSync(path.join(options.outDirectory, CHART_FILE), resultsSvg(results));
  progressToStderr(`wrote ${path.join(options.outDirectory, 'RESULTS.md')} and ${CHART_FILE} in ${results.durationSeconds.toFixed(0)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
