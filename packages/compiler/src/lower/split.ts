/**
 * How a step's work may be split over threads, decided at compile time and
 * recorded in the Program as plain data (`ProgramStep.split`): which work
 * units there are (an upper bound on the parts) and their cost in
 * multiply-adds, from which the runtime picks the number of parts (small
 * steps stay on one thread). Which units a part takes is the kernel's:
 *   attention: (batch × heads × query tiles), tiles interleaved over the
 *              parts so causal work balances (units: query rows);
 *   GEMM:      blocks of rows of A/Y (weights packed, nothing shared written);
 *   rows:      normalisation over independent rows;
 *   Conv:      blocks of output rows (pixels for a pointwise Conv);
 *              a depthwise Conv: blocks of channels;
 *   pools:     planes; CBAM: images.
 * The functions read the backend-neutral plans (lower/plans). Legend: B
 * batch, Hq query heads, Sq query rows, Skv keys, D/Dv head sizes.
 */
import { mulDims, type Dim, type StepSplit } from '@ladon/ir';
import type { AttentionPlan } from './plans/attention.js';
import type { MatMulPlan } from './plans/matmul.js';
import type { CbamPlan } from './plans/cbam.js';
import type { LayerNormPlan } from './plans/normalize.js';
import type { ConvPlan, PoolPlan } from './plans/window.js';

/** Attention over B·Hq·Sq query rows, each Skv·(D + Dv) multiply-adds (fewer when causal: an upper bound). */
export function attentionSplit(plan: AttentionPlan): StepSplit {
  return { units: mulDims(mulDims(plan.batch, plan.qHeads), plan.qSeq), unitCost: mulDims(plan.totalSeq, plan.headSize + plan.vHeadSize) };
}

/** Independent rows (of a GEMM's A and Y, or a normalisation), each `rowCost` multiply-adds. */
function rowSplit(rows: Dim, rowCost: Dim): StepSplit {
  return { units: rows, unitCost: rowCost };
}

/** Work per normalised element, in multiply-adds: two statistics passes and the normalisation. */
const NORMALIZATION_COST_PER_ELEMENT = 4;

/** A LayerNorm over its rows. */
export function normalizationSplit(plan: LayerNormPlan): StepSplit {
  return rowSplit(plan.rows, mulDims(plan.size, NORMALIZATION_COST_PER_ELEMENT));
}

/** A GEMM Y[M, N] = A[M, K]·B[K, N] over rows of A: each row costs K·N. */
export function gemmRowSplit(plan: MatMulPlan): StepSplit {
  return rowSplit(plan.m, mulDims(plan.k, plan.n));
}

/**
 * A Conv over blocks of output rows (every image, group and channel panel
 * of a row block goes to one part), each row costing batch · M · OW · K;
 * a pointwise Conv (1×1, stride 1, no padding) over its output pixels.
 */
export function convSplit(plan: ConvPlan): StepSplit {
  const [od, oh, ow] = plan.window.output;
  const depth = (plan.inChannels / plan.group) * plan.window.kernel[0] * plan.window.kernel[1] * plan.window.kernel[2];
  const pointwise = plan.window.kernel.every((size) => size === 1) && plan.window.strides.every((stride) => stride === 1) && plan.window.padBegin.every((pad) => pad === 0) && plan.window.padEnd.every((pad) => pad === 0);
  const perPixel = mulDims(plan.batch, plan.outChannels * depth);
  return pointwise ? rowSplit(od * oh * ow, perPixel) : rowSplit(od * oh, mulDims(perPixel, ow));
}

/** A depthwise Conv (group = channels) over its channels, each costing batch · output pixels · taps. */
export function depthwiseConvSplit(plan: ConvPlan): StepSplit {
  const [od, oh, ow] = plan.window.output;
  const taps = plan.window.kernel[0] * plan.window.kernel[1] * plan.window.kernel[2];
  return rowSplit(plan.outChannels, mulDims(plan.batch, od * oh * ow * taps));
}

/** A pool over its planes (N · C), each costing its window taps per output. */
export function poolSplit(plan: PoolPlan): StepSplit {
  const taps = plan.window.kernel[0] * plan.window.kernel[1] * plan.window.kernel[2];
  return rowSplit(plan.planes, plan.window.output[0] * plan.window.output[1] * plan.window.output[2] * taps);
}

/** CBAM over its images, each reading its map three times. */
export function cbamSplit(plan: CbamPlan): StepSplit {
  return rowSplit(plan.batch, 3 * plan.channels * plan.height * plan.width);
}
