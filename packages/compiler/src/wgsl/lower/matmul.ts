/**
 * Emitting matrix-product plans with the one tiled matmul kernel: A and B
 * are read through strides (a transposed operand is only other strides),
 * batch axes through per-operand batch strides (up to four), C through its
 * broadcast strides over [M, N].
 */
import { productOfDims, type Dim } from '@ladon/ir';
import type { MatMulPlan } from '../../lower/plans/matmul.js';
import { deviceElement, padLeft } from '../elements.js';
import { MATMUL_BATCH_RANK, MATMUL_TILE, matmulKernel } from '../kernels/matmul.js';
import type { WgslLowering } from '../lowering.js';

/** Strides along (first, second) of op(X) for X stored [rows, cols]. */
function operandStrides([, cols]: readonly [Dim, Dim], transposed: boolean): readonly [Dim, Dim] {
  return transposed ? [1, cols] : [cols, 1];
}

/** Emits one matrix product. */
export function emitMatMul(lowering: WgslLowering, plan: MatMulPlan): void {
  const dtype = lowering.graph.typeOf(plan.y).dtype;
  const what = `${plan.node.op} ${plan.y} batch`;
  const [aStrides, bStrides] = [operandStrides(plan.aMatrix, plan.transA), operandStrides(plan.bMatrix, plan.transB)];
  const buffers: Record<string, number> = { a: lowering.buffer(plan.a), b: lowering.buffer(plan.b), y: lowering.buffer(plan.y) };
  const uniforms: Record<string, Dim> = { m: plan.m, n: plan.n, k: plan.k, a_stride_m: aStrides[0], a_stride_k: aStrides[1] };
  Object.assign(uniforms, { b_stride_k: bStrides[0], b_stride_n: bStrides[1], alpha: plan.alpha });
  const batch = padLeft(plan.batch, MATMUL_BATCH_RANK, 1, what);
  const aBatch = padLeft(plan.aBatchStrides, MATMUL_BATCH_RANK, 0, what);
  const bBatch = padLeft(plan.bBatchStrides, MATMUL_BATCH_RANK, 0, what);
  for (let axis = 0; axis < MATMUL_BATCH_RANK; axis++) {
    uniforms[`batch_dim${axis}`] = batch[axis];
    uniforms[`a_batch_stride${axis}`] = aBatch[axis];
    uniforms[`b_batch_stride${axis}`] = bBatch[axis];
  }
  if (plan.c) {
    buffers.c = lowering.buffer(plan.c.value);
    Object.assign(uniforms, { c_stride_m: plan.c.strides[0], c_stride_n: plan.c.strides[1], beta: plan.c.beta });
  }
  const launch = { items: [plan.n, plan.m, productOfDims(plan.batch)] as const, perWorkgroup: [MATMUL_TILE, MATMUL_TILE, 1] as const };
  lowering.call(matmulKernel({ element: deviceElement(dtype), hasC: plan.c !== undefined }), plan.node, { buffers, uniforms }, launch);
}

