/**
 * Measures one case on every runtime in one process: prepare each runtime,
 * warm each up (V8 first runs new wasm in its baseline tier), then timed
 * rounds in which every runtime runs once, in an order that rotates each
 * round, so drift in machine speed falls on all of them alike. Outputs are
 * checked against the reference (the IR interpreter, or onnxruntime-web's
 * output where the case says so).
 */
import { interpret } from '@ladon/ir';
import { caseFlops, type BenchCase } from './cases.js';
import { feedTensors, type CaseData } from './inputs.js';
import { describeFailure, isUnavailable, type PreparedCase, type Runner, type RuntimeFamily } from './runner.js';
import { maxAbsError, summarize, timed, type TimingSummary } from './statistics.js';

/** What one runtime did on one case. */
export interface RunnerOutcome {
  readonly runner: string;
  readonly family: RuntimeFamily;
  readonly threads: number;
  /** Why it did not run, when it did not. */
  readonly unavailable?: string;
  readonly timing?: TimingSummary;
  /** Max |output - reference| over the whole output. */
  readonly maxAbsError?: number;
}

/** One case's results. */
export interface CaseOutcome {
  readonly benchCase: BenchCase;
  readonly flops: number;
  /** What the outputs were checked against. */
  readonly reference: string;
  readonly runners: readonly RunnerOutcome[];
}

/** Writes a progress line (stderr). */
export type Progress = (line: string) => void;

interface Contender {
  readonly runner: Runner;
  prepared?: PreparedCase;
  unavailable?: string;
  firstOutput?: Float32Array;
  readonly samples: number[];
}

async function warmUp(contender: Contender, warmups: number): Promise<void> {
  for (let run = 0; run < Math.max(1, warmups) && contender.prepared; run++) {
    try {
      const { output } = await contender.prepared.run();
      contender.firstOutput ??= output;
    } catch (error) {
      retire(contender, error);
    }
  }
}

function retire(contender: Contender, error: unknown): void {
  contender.unavailable = `failed while running: ${describeFailure(error)}`;
  contender.prepared?.dispose();
  contender.prepared = undefined;
}

async function runRounds(contenders: readonly Contender[], benchCase: BenchCase, progress: Progress): Promise<void> {
  for (let round = 0; round < benchCase.rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const contender of order) {
      if (!contender.prepared) continue;
      try {
        contender.samples.push((await contender.prepared.run()).ms);
      } catch (error) {
        retire(contender, error);
      }
    }
    if ((round + 1) % Math.max(1, Math.ceil(benchCase.rounds / 4)) === 0) progress(`${benchCase.label}: round ${round + 1}/${benchCase.rounds}`);
  }
}

async function referenceOutput(data: CaseData, contenders: readonly Contender[], progress: Progress): Promise<{ output?: Float32Array; label: string }> {
  if (data.benchCase.reference === 'onnxruntime-web') {
    const ort = contenders.find((contender) => contender.runner.family === 'onnxruntime-web' && contender.firstOutput);
    return { output: ort?.firstOutput, label: 'onnxruntime-web output' };
  }
  const { ms, value } = await timed(async () => interpret(data.graph, feedTensors(data.feeds))[data.outputName].data);
  progress(`${data.benchCase.label}: reference (IR interpreter) took ${(ms / 1000).toFixed(1)} s`);
  return { output: value as Float32Array, label: 'IR interpreter' };
}

function outcomeOf(contender: Contender, reference: Float32Array | undefined): RunnerOutcome {
  const { name: runner, family, threads } = contender.runner;
  if (contender.samples.length === 0) return { runner, family, threads, unavailable: contender.unavailable ?? 'produced no timed run' };
  const error = reference && contender.firstOutput ? maxAbsError(contender.firstOutput, reference) : undefined;
  return { runner, family, threads, timing: summarize(contender.samples), ...(error === undefined ? {} : { maxAbsError: error }) };
}

/** Measures a case on `runners` (see the module comment). */
export async function measureCase(data: CaseData, runners: readonly Runner[], progress: Progress): Promise<CaseOutcome> {
  const { benchCase } = data;
  progress(`${benchCase.label}: preparing`);
  const contenders: Contender[] = [];
  for (const runner of runners) {
    const prepared = await runner.prepare(data);
    contenders.push(isUnavailable(prepared) ? { runner, unavailable: prepared.unavailable, samples: [] } : { runner, prepared, samples: [] });
    if (isUnavailable(prepared)) progress(`${benchCase.label}: ${runner.name} (${runner.threads} thread${runner.threads === 1 ? '' : 's'}) not available: ${prepared.unavailable}`);
  }
  for (const contender of contenders) await warmUp(contender, benchCase.warmups);
  await runRounds(contenders, benchCase, progress);
  for (const contender of contenders) contender.prepared?.dispose();
  const reference = await referenceOutput(data, contenders, progress);
  return {
    benchCase,
    flops: caseFlops(benchCase.spec),
    reference: reference.label,
    runners: contenders.map((contender) => outcomeOf(contender, reference.output)),
  };
}
