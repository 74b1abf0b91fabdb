/**
 * How a step's work may be split over threads, decided at compile time and
 * recorded in the Program as plain data (`ProgramStep.split`): which work
 * units there are (an upper bound on the parts) and their cost in
 * multiply-adds, from which the runtime picks the number of parts (small
 * steps stay on one thread). Which units a part takes is the kernel's:
 *   attention: (batch × heads × query tiles), tiles interleaved over the
 *              parts so causal work balances (units: query rows);
 *   GEMM:      blocks of rows of A/Y (weights packed, nothing shared written);
 *   rows:      normalisation over independent rows.
 * The functions read the backend-neutral plans (lower/plans). Legend: B
 * batch, Hq query heads, Sq query rows, Skv keys, D/Dv head sizes.
 */
import { mulDims, type Dim, type StepSplit } from '@ladon/ir';
import type { AttentionPlan } from './plans/attention.js';
import type { MatMulPlan } from './plans/matmul.js';
import type { LayerNormPlan } from './plans/normalize.js';

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
