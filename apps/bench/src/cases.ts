/**
 * What is benchmarked: the attention core and the full MHA block, a CBAM
 * module and the two shapes-vision models (vision-cases.ts), their sizes,
 * FLOP counts and how many rounds each gets. Legend: B batch (1 for the
 * attention cases), H heads, S sequence length, D head size, E model width
 * (= H·D).
 */
import { cbamFlops, visionModelFlops, type CbamSpec, type VisionModelSpec } from './vision-cases.js';

import { POSITION_CASES, QUICK_POSITION_CASES, type PositionCase } from './position-cases.js';

/** The attention core: softmax(Q·Kᵀ·scale [+ causal mask])·V on Q, K, V of [B, H, S, D]. */
export interface AttentionSpec {
  readonly kind: 'attention';
  readonly heads: number;
  readonly seq: number;
  readonly headSize: number;
  readonly causal: boolean;
}

/** The MHA block: Q/K/V Linear, heads, attention, merge, output Linear, residual + LayerNorm on x of [B, S, E]. */
export interface MhaBlockSpec {
  readonly kind: 'mha-block';
  readonly heads: number;
  readonly seq: number;
  readonly modelWidth: number;
}

/** What a case computes. */
export type CaseSpec = AttentionSpec | MhaBlockSpec | CbamSpec | VisionModelSpec;

/** One benchmark case. */
export interface BenchCase {
  /** A stable id, e.g. `attention-s512`. */
  readonly id: string;
  /** What the table shows, e.g. `attention S=512 H=12 D=64`. */
  readonly label: string;
  readonly spec: CaseSpec;
  /** Timed rounds (each round runs every runtime once, interleaved). */
  readonly rounds: number;
  /** Untimed runs per runtime before the first round (V8 tiers wasm up meanwhile). */
  readonly warmups: number;
  /** What the outputs are checked against: the IR interpreter, or onnxruntime-web's output where the interpreter would take too long. */
  readonly reference: 'interpreter' | 'onnxruntime-web';
  /** The project's targets for this case (issue 14), when it set some. */
  readonly targets?: CaseTargets;
}

/**
 * Targets as time ratios at equal thread counts (below 1 = Ladon is faster).
 * The baseline is the fastest onnxruntime-web variant whose output is right.
 */
export interface CaseTargets {
  /** Ladon's time ÷ the best onnxruntime-web variant's, at every thread count: at most this. */
  readonly maxTimeVsOrtWeb?: number;
  /** The same for Ladon restricted to plain SIMD (no relaxed FMA). */
  readonly maxPlainSimdTimeVsOrtWeb?: number;
  /** Ladon's speed-up from 1 to 2 threads: at least this. */
  readonly minTwoThreadSpeedup?: number;
  /** Ladon at 1 thread ÷ the best onnxruntime-node (native) variant at 1 thread: at most this. */
  readonly maxTimeVsNative?: number;
}

/** The long-context run: the attention core at a length only a streaming kernel fits in memory. */
export interface LongContextCase {
  readonly spec: AttentionSpec;
  /** The length the session is warmed up at (the same compiled program, symbolic `seq`). */
  readonly warmupSeq: number;
  /** The scratch-memory target in bytes. */
  readonly scratchTargetBytes: number;
}

/** Everything one run of the benchmark does. */
export interface BenchPlan {
  readonly quick: boolean;
  readonly cases: readonly BenchCase[];
  /** The thread counts Ladon and onnxruntime-web run each case at (onnxruntime-node and tfjs run at 1). */
  readonly threadCounts: readonly number[];
  /** The long-context run (left out when only some cases are run). */
  readonly longContext?: LongContextCase;
  /** The case whose session creation + first run is timed as "time to first result". */
  readonly firstResultCaseId: string;
  /** That case, when {@link selectCases} left it out of `cases`. */
  readonly firstResultCase?: BenchCase;
  /** Rotary, ALiBi and relative-bias cases (position-bench.ts). */
  readonly positionCases: readonly PositionCase[];
}

/**
 * The plan restricted to the cases `ids` (all when empty; then without the
 * long-context run): attention and MHA cases and position cases by id.
 * Time to first result is still measured (on its case, even when not selected).
 */
export function selectCases(plan: BenchPlan, ids: readonly string[]): BenchPlan {
  if (ids.length === 0) return plan;
  const known = [...plan.cases.map((benchCase) => benchCase.id), ...plan.positionCases.map((positionCase) => positionCase.id)];
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(', ')} (cases: ${known.join(', ')})`);
  const cases = plan.cases.filter((benchCase) => ids.includes(benchCase.id));
  const positionCases = plan.positionCases.filter((positionCase) => ids.includes(positionCase.id));
  const firstResultCaseId = ids.includes(plan.firstResultCaseId) || cases.length === 0 ? plan.firstResultCaseId : cases[0].id;
  const firstResultCase = plan.cases.find((benchCase) => benchCase.id === firstResultCaseId)!;
  return { ...plan, cases, positionCases, firstResultCaseId, firstResultCase, longContext: undefined };
}

/** The case time to first result is measured on (it may be outside `plan.cases` after {@link selectCases}). */
export function firstResultCaseOf(plan: BenchPlan): BenchCase {
  const found = plan.firstResultCase ?? plan.cases.find((benchCase) => benchCase.id === plan.firstResultCaseId);
  if (!found) throw new Error(`the first-result case '${plan.firstResultCaseId}' is not in the plan`);
  return found;
}

/** FLOPs of the attention core: 4·B·H·S²·D (two S×S×D matrix products), halved when causal. */
export function attentionFlops(spec: AttentionSpec): number {
  const full = 4 * spec.heads * spec.seq * spec.seq * spec.headSize;
  return spec.causal ? full / 2 : full;
}

/** FLOPs of the MHA block: the attention core plus the four E×E projections, 4·2·S·E². */
export function mhaBlockFlops(spec: MhaBlockSpec): number {
  const headSize = spec.modelWidth / spec.heads;
  return attentionFlops({ kind: 'attention', heads: spec.heads, seq: spec.seq, headSize, causal: false }) + 8 * spec.seq * spec.modelWidth ** 2;
}

/** FLOPs of a case's computation. */
export function caseFlops(spec: CaseSpec): number {
  switch (spec.kind) {
    case 'attention':
      return attentionFlops(spec);
    case 'mha-block':
      return mhaBlockFlops(spec);
    case 'cbam':
      return cbamFlops(spec);
    case 'vision-model':
      return visionModelFlops(spec);
  }
}

/** The FLOP formulas, as the report states them. */
export const FLOP_FORMULAS = {
  attention: '4·B·H·S²·D (halved for causal)',
  mhaBlock: '4·B·H·S²·D + 4·2·B·S·E² (the Q, K, V and output projections)',
  cbam: '6·B·C·H·W (pools, gates) + 8·B·C·C/r (shared MLP) + 4·B·k²·H·W (spatial conv)',
  visionModel: "2 × the multiply-adds of the model's convolutions and matrix products",
} as const;

function attention(seq: number, heads: number, causal: boolean, extra: Partial<BenchCase> & { rounds: number; warmups: number }): BenchCase {
  const spec: AttentionSpec = { kind: 'attention', heads, seq, headSize: 64, causal };
  const label = `attention${causal ? ' causal' : ''} S=${seq} H=${heads} D=64`;
  return { id: `attention${causal ? '-causal' : ''}-s${seq}`, label, spec, reference: 'interpreter', ...extra };
}

function mhaBlock(seq: number, modelWidth: number, heads: number, extra: Partial<BenchCase> & { rounds: number; warmups: number }): BenchCase {
  const spec: MhaBlockSpec = { kind: 'mha-block', heads, seq, modelWidth };
  return { id: `mha-block-s${seq}`, label: `MHA block S=${seq} E=${modelWidth} H=${heads}`, spec, reference: 'interpreter', ...extra };
}

/** A CBAM module alone (reduction 16, 7×7 spatial conv) on [1, C, H, W]; issue 13's target: at least 2× onnxruntime-web's speed. */
function cbam(channels: number, size: number): BenchCase {
  const spec: CbamSpec = { kind: 'cbam', batch: 1, channels, height: size, width: size, reduction: 16, kernel: 7 };
  return { id: `cbam-c${channels}-s${size}`, label: `CBAM [1, ${channels}, ${size}, ${size}]`, spec, reference: 'interpreter', rounds: 20, warmups: 5, targets: { maxTimeVsOrtWeb: 0.5 } };
}

/** A shapes-vision model on B images; issue 13's target: at least 1.3× onnxruntime-web's speed. */
function visionModel(model: VisionModelSpec['model'], batch: number): BenchCase {
  const spec: VisionModelSpec = { kind: 'vision-model', model, batch };
  return { id: `${model}-b${batch}`, label: `${model} B=${batch}`, spec, reference: 'interpreter', rounds: 20, warmups: 5, targets: { maxTimeVsOrtWeb: 1 / 1.3 } };
}

/** The full benchmark (issues 5 and 14): about six minutes on a 2-vCPU machine. */
export const FULL_PLAN: BenchPlan = {
  quick: false,
  cases: [
    attention(128, 12, false, { rounds: 30, warmups: 10 }),
    attention(512, 12, false, {
      rounds: 12,
      warmups: 4,
      targets: { maxTimeVsOrtWeb: 0.55, maxPlainSimdTimeVsOrtWeb: 0.65, minTwoThreadSpeedup: 1.8, maxTimeVsNative: 2.5 },
    }),
    attention(2048, 12, false, { rounds: 4, warmups: 2 }),
    attention(1024, 8, true, { rounds: 8, warmups: 3, targets: { maxTimeVsOrtWeb: 0.33 } }),
    mhaBlock(512, 768, 12, { rounds: 8, warmups: 3, targets: { maxTimeVsOrtWeb: 0.55, minTwoThreadSpeedup: 1.8 } }),
    cbam(64, 56),
    cbam(256, 28),
    visionModel('cnn-cbam', 1),
    visionModel('cnn-cbam', 16),
    visionModel('vit-tiny', 1),
    visionModel('vit-tiny', 16),
  ],
  threadCounts: [1, 2],
  longContext: {
    spec: { kind: 'attention', heads: 12, seq: 16384, headSize: 64, causal: false },
    warmupSeq: 1024,
    scratchTargetBytes: 64 * 2 ** 20,
  },
  firstResultCaseId: 'attention-s512',
  positionCases: POSITION_CASES,
};

/** `--quick`: small sizes and few rounds, for the smoke test (its numbers mean little). */
export const QUICK_PLAN: BenchPlan = {
  quick: true,
  cases: [
    attention(64, 4, false, { rounds: 3, warmups: 1 }),
    attention(128, 4, true, { rounds: 3, warmups: 1 }),
    mhaBlock(64, 128, 4, { rounds: 3, warmups: 1 }),
  ],
  threadCounts: [1, 2],
  longContext: {
    spec: { kind: 'attention', heads: 4, seq: 1024, headSize: 64, causal: false },
    warmupSeq: 128,
    scratchTargetBytes: 64 * 2 ** 20,
  },
  firstResultCaseId: 'attention-s64',
  positionCases: QUICK_POSITION_CASES,
};
