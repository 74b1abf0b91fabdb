/**
 * The benchmark run: time to first result first (before anything else loads
 * a runtime), then every case on every runtime at every thread count, then
 * the long-context run, the machine facts and the bundle sizes.
 */
import { firstResultCaseOf, type BenchCase, type BenchPlan } from './cases.js';
import { bundleSizes, firstResults } from './footprint.js';
import { prepareCase } from './inputs.js';
import { ladonPlainSimdRunner, ladonRunner } from './ladon-runner.js';
import { measureLongContext } from './long-context.js';
import { describeMachine } from './machine.js';
import { measureCase, type CaseOutcome, type Progress } from './measure-case.js';
import { ortNodeRunner } from './ort-node-runner.js';
import { ortVariantNames } from './ort-variants.js';
import { closeOrtWebWorkers, ortWebRunner } from './ort-web-runner.js';
import { measurePositionCase, type PositionOutcome } from './position-bench.js';
import type { BenchResults } from './results.js';
import type { Runner } from './runner.js';
import { tfjsRunner } from './tfjs-runner.js';

/** Writes a progress line to stderr. */
export const progressToStderr: Progress = (line) => process.stderr.write(`[bench] ${line}\n`);

/**
 * The runtimes of a case in table order: Ladon (relaxed and plain SIMD) and
 * every onnxruntime-web variant at each thread count, then every
 * onnxruntime-node variant and tfjs at one thread.
 */
export function runnersFor(benchCase: BenchCase, threadCounts: readonly number[]): Runner[] {
  const variants = ortVariantNames(benchCase.spec);
  return [
    ...threadCounts.flatMap((threads) => [ladonRunner(threads), ladonPlainSimdRunner(threads)]),
    ...threadCounts.flatMap((threads) => variants.map((variant) => ortWebRunner(variant, threads))),
    ...variants.map((variant) => ortNodeRunner(variant)),
    tfjsRunner,
  ];
}

/** One line per family on how it runs (the first runner of each family says it). */
function setupsOf(plan: BenchPlan): { runtime: string; setup: string }[] {
  const seen = new Set<string>();
  const setups: { runtime: string; setup: string }[] = [];
  for (const runner of runnersFor(plan.cases[0] ?? firstResultCaseOf(plan), plan.threadCounts)) {
    if (seen.has(runner.family)) continue;
    seen.add(runner.family);
    setups.push({ runtime: runner.name.replace(/ \[.*\]$/, ''), setup: runner.setup });
  }
  return setups;
}

/** Runs the whole plan and collects the results. */
export async function runBenchmark(plan: BenchPlan, progress: Progress = progressToStderr): Promise<BenchResults> {
  const startedAt = new Date();
  const firstCase = prepareCase(firstResultCaseOf(plan));
  progress(`time to first result (${firstCase.benchCase.label})`);
  const first = await firstResults(firstCase, [tfjsRunner]);
  const cases: CaseOutcome[] = [];
  const positions: PositionOutcome[] = [];
  try {
    for (const benchCase of plan.cases) cases.push(await measureCase(prepareCase(benchCase), runnersFor(benchCase, plan.threadCounts), progress));
    for (const positionCase of plan.positionCases) positions.push(...(await measurePositionCase(positionCase, plan.threadCounts, progress)));
  } finally {
    await closeOrtWebWorkers();
  }
  const longContext = plan.longContext && (await measureLongContext(plan.longContext, Math.max(...plan.threadCounts), progress));
  return {
    plan,
    startedAt,
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: await describeMachine(),
    setups: setupsOf(plan),
    cases,
    ...(longContext ? { longContext } : {}),
    positions,
    bundles: bundleSizes(),
    firstResults: first.results,
    firstResultCase: { label: firstCase.benchCase.label, onnxBytes: firstCase.onnx.length, ...(first.programBytes === undefined ? {} : { programBytes: first.programBytes }) },
  };
}
