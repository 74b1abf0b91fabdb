/** Everything one benchmark run measured: what the report writer reads. */
import type { BenchPlan } from './cases.js';
import type { BundlePart, FirstResult } from './footprint.js';
import type { LongContextOutcome } from './long-context.js';
import type { MachineInfo } from './machine.js';
import type { PositionOutcome } from './position-bench.js';
import type { CaseOutcome } from './measure-case.js';
import type { RuntimeFamily } from './runner.js';

/** The results of one run of the benchmark. */
export interface BenchResults {
  readonly plan: BenchPlan;
  readonly startedAt: Date;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  /** Each runtime's name and how it runs. */
  readonly setups: readonly { readonly runtime: string; readonly setup: string }[];
  readonly cases: readonly CaseOutcome[];
  /** Absent when the run was restricted to some cases. */
  readonly longContext?: LongContextOutcome;
  readonly positions: readonly PositionOutcome[];
  readonly bundles: readonly BundlePart[];
  readonly firstResults: readonly FirstResult[];
  /** The case time to first result was measured on, and the sizes of its model files. */
  readonly firstResultCase: { readonly label: string; readonly onnxBytes: number; readonly programBytes?: number };
}

/** The family every ratio is taken against: its fastest correct variant at the same thread count. */
export const BASELINE_FAMILY: RuntimeFamily = 'onnxruntime-web';
