/**
 * The report's tables as markdown (printed to the console as they are, and
 * written into RESULTS.md): speed per case and runtime, the long-context
 * run, bundle sizes, time to first result, and the project's targets.
 */
import type { CaseOutcome, RunnerOutcome } from './measure-case.js';
import { formatBytes, formatError, formatMs, formatRate, formatDuration, markdownTable } from './report-format.js';
import { BASELINE_FAMILY, type BenchResults } from './results.js';
import type { RuntimeFamily } from './runner.js';
import { gflopsPerSecond } from './statistics.js';

/** The headings of the speed table (the smoke test looks for them). */
export const SPEED_HEADINGS = ['case', 'runtime', 'threads', 'median ms', 'IQR ms', 'runs', 'GFLOP/s', 'time ÷ ORT-web', 'max abs err', 'checked against'] as const;

/** An output further than this from the reference is wrong: such a variant cannot be the baseline. */
export const BASELINE_ERROR_LIMIT = 1e-3;

/** The fastest runner of `family` at `threads` whose output is right (undefined when none ran). */
export function fastestOf(outcome: CaseOutcome, family: RuntimeFamily, threads: number): RunnerOutcome | undefined {
  const candidates = outcome.runners.filter(
    (runner) => runner.family === family && runner.threads === threads && runner.timing && !(runner.maxAbsError! > BASELINE_ERROR_LIMIT),
  );
  return candidates.sort((a, b) => a.timing!.medianMs - b.timing!.medianMs)[0];
}

/** The median of the Ladon runner of `family` at `threads`, when it ran. */
export function medianOf(outcome: CaseOutcome, family: RuntimeFamily, threads: number): number | undefined {
  return outcome.runners.find((runner) => runner.family === family && runner.threads === threads)?.timing?.medianMs;
}

/** `runner`'s time ÷ the best onnxruntime-web variant's at the same thread count (undefined when either did not run). */
export function ratioVsBaseline(outcome: CaseOutcome, runner: RunnerOutcome): number | undefined {
  const baseline = fastestOf(outcome, BASELINE_FAMILY, runner.threads)?.timing?.medianMs;
  return baseline !== undefined && runner.timing ? runner.timing.medianMs / baseline : undefined;
}

function speedRow(outcome: CaseOutcome, runner: RunnerOutcome): string[] {
  const label = outcome.benchCase.label;
  const threads = String(runner.threads);
  if (!runner.timing) return [label, runner.runner, threads, `not available: ${runner.unavailable ?? 'no result'}`, '—', '0', '—', '—', '—', '—'];
  const { medianMs, q1Ms, q3Ms, runs } = runner.timing;
  const ratio = ratioVsBaseline(outcome, runner);
  return [
    label,
    runner.runner,
    threads,
    formatMs(medianMs),
    `${formatMs(q1Ms)}–${formatMs(q3Ms)}`,
    String(runs),
    formatRate(gflopsPerSecond(outcome.flops, medianMs)),
    ratio === undefined ? '—' : ratio.toFixed(2),
    runner.maxAbsError === undefined ? 'not checked' : formatError(runner.maxAbsError),
    outcome.reference,
  ];
}

/** Median time, GFLOP/s, time ratio to the best onnxruntime-web variant and accuracy, per case, runtime and thread count. */
export function speedTable(results: BenchResults): string {
  const rows = results.cases.flatMap((outcome) => outcome.runners.map((runner) => speedRow(outcome, runner)));
  return markdownTable(SPEED_HEADINGS, rows);
}

/** Per case and thread count: Ladon, the fastest correct onnxruntime-web variant (the baseline) and, at one thread, onnxruntime-node's. */
export function baselineTable(results: BenchResults): string {
  const describe = (runner: RunnerOutcome | undefined): string => (runner ? `${formatMs(runner.timing!.medianMs)} ms ${runner.runner.replace(/^.*\[(.*)\]$/, '$1')}` : '—');
  const rows = results.cases.flatMap((outcome) =>
    results.plan.threadCounts.map((threads) => {
      const ladon = medianOf(outcome, 'ladon', threads);
      const ortWeb = fastestOf(outcome, BASELINE_FAMILY, threads);
      const ratio = ladon !== undefined && ortWeb ? (ladon / ortWeb.timing!.medianMs).toFixed(2) : '—';
      const native = threads === 1 ? describe(fastestOf(outcome, 'onnxruntime-node', 1)) : '—';
      return [outcome.benchCase.label, String(threads), ladon === undefined ? '—' : `${formatMs(ladon)} ms`, describe(ortWeb), ratio, native];
    }),
  );
  return markdownTable(['case', 'threads', 'Ladon (wasm)', 'fastest onnxruntime-web variant', 'Ladon ÷ ORT-web', 'fastest onnxruntime-node variant (native)'], rows);
}

/** The long-context run: Ladon's time, rate, scratch memory and sampled accuracy; onnxruntime-web's attempt. */
export function longContextTable(results: BenchResults): string {
  if (!results.longContext) return 'Not run (only some cases were asked for).';
  const { longContext, flops, scoresBytes, ladon, ort } = results.longContext;
  const { heads, seq, headSize } = longContext.spec;
  const label = `attention S=${seq} H=${heads} D=${headSize}`;
  const ladonRow = ladon.ms === undefined
    ? [label, 'Ladon (wasm)', `not available: ${ladon.unavailable ?? 'no result'}`, '—', '—', '—']
    : [
        label,
        `Ladon (wasm), ${ladon.threads} threads`,
        `${formatDuration(ladon.ms)} (1 run)`,
        formatRate(gflopsPerSecond(flops, ladon.ms)),
        `${formatBytes(ladon.arena!.scratchBytes)} scratch (arena ${formatBytes(ladon.arena!.arenaBytes)}, of which Q, K, V and output ${formatBytes(ladon.arena!.inputOutputBytes)})`,
        `${formatError(ladon.maxAbsError!)} on ${ladon.sampledRows} query rows per head vs the IR interpreter`,
      ];
  const ortRow = ort.ms === undefined
    ? [label, 'onnxruntime-web', `cannot run: ${ort.cannotRun ?? 'no result'}`, '—', `the S×S scores alone would need ${formatBytes(scoresBytes)}`, '—']
    : [label, 'onnxruntime-web', `${formatDuration(ort.ms)} (1 run)`, formatRate(gflopsPerSecond(flops, ort.ms)), `materialises the S×S scores (${formatBytes(scoresBytes)})`, 'not checked'];
  return markdownTable(['case', 'runtime', 'time', 'GFLOP/s', 'memory', 'max abs err'], [ladonRow, ortRow]);
}

/** What each runtime downloads. */
export function bundleTable(results: BenchResults): string {
  const rows = results.bundles.map((bundle) => [bundle.label, formatBytes(bundle.bytes), formatBytes(bundle.gzipBytes), bundle.files.join(', ')]);
  return markdownTable(['what', 'bytes', 'gzip -9', 'files'], rows);
}

/** Import + create + first run, per runtime. */
export function firstResultTable(results: BenchResults): string {
  const rows = results.firstResults.map((first) => [first.runtime, first.ms === undefined ? `not available: ${first.unavailable}` : `${formatMs(first.ms)} ms`, first.note]);
  return markdownTable(['runtime', 'time to first result', 'what it includes'], rows);
}

/** One of the project's targets and whether this run met it. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

function ratioCheck(target: string, ratio: number | undefined, limit: number, atMost: boolean): TargetCheck {
  const met = ratio !== undefined && (atMost ? ratio <= limit : ratio >= limit);
  return { target, measured: ratio === undefined ? 'no ratio (a runtime did not run)' : ratio.toFixed(2), met };
}

/** The checks of one case's targets (see {@link CaseTargets}). */
function caseChecks(outcome: CaseOutcome, threadCounts: readonly number[]): TargetCheck[] {
  const targets = outcome.benchCase.targets;
  if (!targets) return [];
  const label = outcome.benchCase.label;
  const checks: TargetCheck[] = [];
  const vsOrtWeb = (family: RuntimeFamily, limit: number, what: string): void => {
    for (const threads of threadCounts) {
      const ladon = outcome.runners.find((runner) => runner.family === family && runner.threads === threads);
      checks.push(ratioCheck(`${label}, ${threads} thread${threads === 1 ? '' : 's'}: ${what} time ÷ best onnxruntime-web ≤ ${limit}`, ladon && ratioVsBaseline(outcome, ladon), limit, true));
    }
  };
  if (targets.maxTimeVsOrtWeb !== undefined) vsOrtWeb('ladon', targets.maxTimeVsOrtWeb, 'Ladon');
  if (targets.maxPlainSimdTimeVsOrtWeb !== undefined) vsOrtWeb('ladon-plain-simd', targets.maxPlainSimdTimeVsOrtWeb, 'Ladon plain SIMD');
  const one = medianOf(outcome, 'ladon', 1);
  if (targets.minTwoThreadSpeedup !== undefined) {
    const two = medianOf(outcome, 'ladon', 2);
    checks.push(ratioCheck(`${label}: Ladon 2 threads vs 1, speed-up ≥ ${targets.minTwoThreadSpeedup}`, one !== undefined && two !== undefined ? one / two : undefined, targets.minTwoThreadSpeedup, false));
  }
  if (targets.maxTimeVsNative !== undefined) {
    const native = fastestOf(outcome, 'onnxruntime-node', 1)?.timing?.medianMs;
    checks.push(ratioCheck(`${label}, 1 thread: Ladon time ÷ best onnxruntime-node (native) ≤ ${targets.maxTimeVsNative}`, one !== undefined && native !== undefined ? one / native : undefined, targets.maxTimeVsNative, true));
  }
  return checks;
}

/** The targets of issues 5 and 14, checked against this run (none in a --quick run). */
export function targetChecks(results: BenchResults): TargetCheck[] {
  if (results.plan.quick) return [];
  const checks = results.cases.flatMap((outcome) => caseChecks(outcome, results.plan.threadCounts));
  if (!results.longContext) return checks;
  const { longContext, ladon } = results.longContext;
  const limit = longContext.scratchTargetBytes;
  const scratch = ladon.arena?.scratchBytes;
  checks.push({
    target: `attention S=${longContext.spec.seq} runs, scratch < ${formatBytes(limit)}`,
    measured: scratch === undefined ? `did not run (${ladon.unavailable ?? 'no result'})` : `ran in ${formatDuration(ladon.ms!)}, scratch ${formatBytes(scratch)}`,
    met: scratch !== undefined && scratch < limit,
  });
  return checks;
}

/** The targets as a table. */
export function targetTable(checks: readonly TargetCheck[]): string {
  return markdownTable(['target', 'measured', 'status'], checks.map((check) => [check.target, check.measured, check.met ? 'met' : 'not met']));
}
