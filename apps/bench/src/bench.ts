/**
 * The benchmark run: time to first result first (before anything else loads
 * a runtime), then every case on every runtime, then the long-context run,
 * the machine facts and the bundle sizes.
 */
import type { BenchPlan } from './cases.js';
import { bundleSizes, firstResults } from './footprint.js';
import { prepareCase } from './inputs.js';
import { ladonPlainSimdRunner, ladonRunner } from './ladon-runner.js';
import { measureLongContext } from './long-context.js';
import { describeMachine } from './machine.js';
import { measureCase, type CaseOutcome, type Progress } from './measure-case.js';
import { ortRunner } from './ort-runner.js';
import type { BenchResults } from './results.js';
import type { Runner } from './runner.js';
import { tfjsRunner } from './tfjs-runner.js';

/** Writes a progress line to stderr. */
export const progressToStderr: Progress = (line) => process.stderr.write(`[bench] ${line}\n`);

/** The runtimes in table order; onnxruntime-web is the baseline of every ratio. */
const RUNNERS: readonly Runner[] = [ladonRunner, ladonPlainSimdRunner, ortRunner, tfjsRunner];

/** Runs the whole plan and collects the results. */
export async function runBenchmark(plan: BenchPlan, progress: Progress = progressToStderr): Promise<BenchResults> {
  const startedAt = new Date();
  const firstCase = prepareCase(plan.cases.find((benchCase) => benchCase.id === plan.firstResultCaseId)!);
  progress(`time to first result (${firstCase.benchCase.label})`);
  const first = await firstResults(firstCase, [ortRunner, tfjsRunner]);
  const cases: CaseOutcome[] = [];
  for (const benchCase of plan.cases) cases.push(await measureCase(benchCase, RUNNERS, progress));
  const longContext = await measureLongContext(plan.longContext, progress);
  return {
    plan,
    startedAt,
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: await describeMachine(),
    setups: RUNNERS.map((runner) => ({ runtime: runner.name, setup: runner.setup })),
    cases,
    longContext,
    bundles: bundleSizes(),
    firstResults: first.results,
    firstResultCase: { label: firstCase.benchCase.label, onnxBytes: firstCase.onnx.length, ...(first.programBytes === undefined ? {} : { programBytes: first.programBytes }) },
  };
}
