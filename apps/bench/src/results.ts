/** Everything one benchmark run measured: what the report writer reads. */
import type { BenchPlan } from './cases.js';
import type { BundlePart, FirstResult } from './footprint.js';
import type { LongContextOutcome } from './long-context.js';
import type { MachineInfo } from './machine.js';
import type { CaseOutcome } from './measure-case.js';

/** The results of one run of the benchmark. */
export interface BenchResults {
  readonly plan: BenchPlan;
  readonly startedAt: Date;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  /** Each runtime's name and how it runs. */
  readonly setups: readonly { readonly runtime: string; readonly setup: string }[];
  readonly cases: readonly CaseOutcome[];
  readonly longContext: LongContextOutcome;
  readonly bundles: readonly BundlePart[];
  readonly firstResults: readonly FirstResult[];
  /** The case time to first result was measured on, and the sizes of its model files. */
  readonly firstResultCase: { readonly label: string; readonly onnxBytes: number; readonly programBytes?: number };
}

/** The name of the runtime every ratio is taken against. */
export const BASELINE_RUNTIME = 'onnxruntime-web';
