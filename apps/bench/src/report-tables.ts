/**
 * The report's tables as markdown (printed to the console as they are, and
 * written into RESULTS.md): speed per case and runtime, the long-context
 * run, bundle sizes, time to first result, and the project's targets.
 */
import type { CaseOutcome, RunnerOutcome } from './measure-case.js';
import { formatBytes, formatError, formatMs, formatRate, formatRatio, formatDuration, markdownTable } from './report-format.js';
import { BASELINE_RUNTIME, type BenchResults } from './results.js';
import { gflopsPerSecond } from './statistics.js';

/** The headings of the speed table (the smoke test looks for them). */
export const SPEED_HEADINGS = ['case', 'runtime', 'median ms', 'IQR ms', 'runs', 'GFLOP/s', 'vs ORT', 'max abs err', 'checked against'] as const;

/** The median of `runtime` on a case, when it ran. */
export function medianOf(outcome: CaseOutcome, runtime: string): number | undefined {
  return outcome.runners.find((runner) => runner.runner === runtime)?.timing?.medianMs;
}

/** How many times faster than onnxruntime-web `runner` was on the case (undefined when either did not run). */
export function ratioVsBaseline(outcome: CaseOutcome, runner: RunnerOutcome): number | undefined {
  const baseline = medianOf(outcome, BASELINE_RUNTIME);
  return baseline !== undefined && runner.timing ? baseline / runner.timing.medianMs : undefined;
}

function speedRow(outcome: CaseOutcome, runner: RunnerOutcome): string[] {
  const label = outcome.benchCase.label;
  if (!runner.timing) return [label, runner.runner, `not available: ${runner.unavailable ?? 'no result'}`, '—', '0', '—', '—', '—', '—'];
  const { medianMs, q1Ms, q3Ms, runs } = runner.timing;
  const ratio = ratioVsBaseline(outcome, runner);
  return [
    label,
    runner.runner,
    formatMs(medianMs),
    `${formatMs(q1Ms)}–${formatMs(q3Ms)}`,
    String(runs),
    formatRate(gflopsPerSecond(outcome.flops, medianMs)),
    ratio === undefined ? '—' : formatRatio(ratio),
    runner.maxAbsError === undefined ? 'not checked' : formatError(runner.maxAbsError),
    outcome.reference,
  ];
}

/** Median time, GFLOP/s, ratio to onnxruntime-web and accuracy, per case and runtime. */
export function speedTable(results: BenchResults): string {
  const rows = results.cases.flatMap((outcome) => outcome.runners.map((runner) => speedRow(outcome, runner)));
  return markdownTable(SPEED_HEADINGS, rows);
}

/** The long-context run: Ladon's time, rate, scratch memory and sampled accuracy; onnxruntime-web's attempt. */
export function longContextTable(results: BenchResults): string {
  const { longContext, flops, scoresBytes, ladon, ort } = results.longContext;
  const { heads, seq, headSize } = longContext.spec;
  const label = `attention S=${seq} H=${heads} D=${headSize}`;
  const ladonRow = ladon.ms === undefined
    ? [label, 'Ladon (wasm)', `not available: ${ladon.unavailable ?? 'no result'}`, '—', '—', '—']
    : [
        label,
        'Ladon (wasm)',
        `${formatDuration(ladon.ms)} (1 run)`,
        formatRate(gflopsPerSecond(flops, ladon.ms)),
        `${formatBytes(ladon.arena!.scratchBytes)} scratch (arena ${formatBytes(ladon.arena!.arenaBytes)}, of which Q, K, V and output ${formatBytes(ladon.arena!.inputOutputBytes)})`,
        `${formatError(ladon.maxAbsError!)} on ${ladon.sampledRows} query rows per head vs the IR interpreter`,
      ];
  const ortRow = ort.ms === undefined
    ? [label, BASELINE_RUNTIME, `cannot run: ${ort.cannotRun ?? 'no result'}`, '—', `the S×S scores alone would need ${formatBytes(scoresBytes)}`, '—']
    : [label, BASELINE_RUNTIME, `${formatDuration(ort.ms)} (1 run)`, formatRate(gflopsPerSecond(flops, ort.ms)), `materialises the S×S scores (${formatBytes(scoresBytes)})`, 'not checked'];
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

function speedTarget(outcome: CaseOutcome, target: number): TargetCheck {
  const ladon = outcome.runners.find((runner) => runner.runner === 'Ladon (wasm)');
  const plain = outcome.runners.find((runner) => runner.runner === 'Ladon (wasm, plain SIMD)');
  const ratio = ladon ? ratioVsBaseline(outcome, ladon) : undefined;
  const plainRatio = plain ? ratioVsBaseline(outcome, plain) : undefined;
  const plainNote = plainRatio !== undefined ? ` (plain SIMD: ${formatRatio(plainRatio)})` : '';
  const measured = ratio !== undefined ? `${formatRatio(ratio)}${plainNote}` : `no ratio (Ladon: ${ladon?.unavailable ?? 'missing'})`;
  return { target: `${outcome.benchCase.label}: Ladon ≥ ${target}× onnxruntime-web`, measured, met: ratio !== undefined && ratio >= target };
}

/** The targets of issue 5, checked against this run (none in a --quick run). */
export function targetChecks(results: BenchResults): TargetCheck[] {
  if (results.plan.quick) return [];
  const checks = results.cases.filter((outcome) => outcome.benchCase.targetVsOrt !== undefined).map((outcome) => speedTarget(outcome, outcome.benchCase.targetVsOrt!));
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
