/**
 * Emitting matrix-product plans. A Linear whose weight (and bias) are
 * constants runs the packed kernel: the weight is packed at compile time
 * into the micro-kernel's panel layout with the bias in front, and the
 * kernel bakes in K and N, so only the row count is a run-time size. Every
 * other product runs the general GEMM kernel (B packed at run time; a bias
 * row with beta = 1 added by it, any other C by the addend kernel after
 * it). When B is shared by every batch and A is
 * neither broadcast nor transposed, A's batch folds into the rows: one GEMM
 * of prod(batch)·M rows, B packed once.
 */
import { addDims, mulDims, productOfDims, toFloat32, type StepArg } from '@ladon/ir';
import type { MatMulPlan } from '../../lower/plans/matmul.js';
import { aBlockFloats, linearPackedKernel } from '../kernels/gemm.js';
import { gemmRowSplit } from '../../lower/split.js';
import { gemmAddendKernel } from '../kernels/gemm-addend.js';
import { generalGemmKernel } from '../kernels/gemm-general.js';
import { packWeight } from '../kernels/gemm-pack.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';

/** Emits one matrix product. */
export function emitMatMul(lowering: WasmLowering, plan: MatMulPlan): void {
  for (const value of [plan.a, plan.b, plan.c?.value ?? '']) if (value) lowering.expectDType(plan.node, value, ['f32']);
  if (plan.batch.length > 4) throw unsupported(plan.node, `at most 4 batch dims are supported, got ${plan.batch.length}`);
  if (plan.c && (!plan.c.row || plan.c.beta !== 1)) {
    if (plan.batch.length > 0) throw unsupported(plan.node, 'a batched product with an added C', plan.c.value);
    const { c, ...product } = plan;
    emitGeneralGemm(lowering, product);
    const [strideM, strideN] = c.strides;
    const args = { y: bufferArg(lowering, plan.y), c: bufferArg(lowering, c.value), M: { dim: plan.m }, N: { dim: plan.n }, strideM: { dim: strideM }, strideN: { dim: strideN } };
    lowering.call(gemmAddendKernel(c.beta), plan.node, args);
    return;
  }
  if (plan.node.op === 'Linear' && emitPackedLinear(lowering, plan)) return;
  emitGeneralGemm(lowering, foldBatchIntoRows(plan));
}

/** Linear with a constant weight and bias: the packed kernel. False when the weight or bias is computed. */
function emitPackedLinear(lowering: WasmLowering, plan: MatMulPlan): boolean {
  const weight = lowering.program.constant(plan.b);
  const bias = plan.c ? lowering.program.constant(plan.c.value) : undefined;
  if (!weight || (plan.c && !bias)) return false;
  const [k, n] = plan.transB ? [weight.shape[1], weight.shape[0]] : [weight.shape[0], weight.shape[1]];
  const packed = packWeight(toFloat32(weight), k, n, plan.transB, bias ? toFloat32(bias) : undefined);
  const key = `${plan.b}${plan.c ? `+${plan.c.value}` : ''}:panels${plan.transB ? 'T' : ''}`;
  const packedBuffer = lowering.program.derivedWeight(key, { dtype: 'f32', shape: [packed.length], data: packed });
  lowering.call(linearPackedKernel(k, n, Boolean(bias)), plan.node, {
    x: bufferArg(lowering, plan.a),
    packed: { buffer: packedBuffer },
    y: bufferArg(lowering, plan.y),
    rows: { dim: plan.m },
  }, gemmRowSplit(plan));
  return true;
}

function foldBatchIntoRows(plan: MatMulPlan): MatMulPlan {
  if (plan.batch.length === 0 || plan.transA) return plan;
  const bShared = plan.bBatchStrides.every((stride) => stride === 0);
  const aWhole = plan.aBatchStrides.every((stride, axis) => stride !== 0 || plan.batch[axis] === 1);
  if (!bShared || !aWhole) return plan;
  return { ...plan, m: mulDims(productOfDims(plan.batch), plan.m), batch: [], aBatchStrides: [], bBatchStrides: [] };
}

function emitGeneralGemm(lowering: WasmLowering, plan: MatMulPlan): void {
  const { program } = lowering;
  const pack = program.scratch('gemm_pack', 'f32', [mulDims(addDims(plan.k, 1), addDims(plan.n, 7))]);
  const transposedA = program.scratch('gemm_transposed_a', 'f32', [plan.transA ? mulDims(plan.m, plan.k) : 1]);
  const aBlock = program.scratch('gemm_a_block', 'f32', [aBlockFloats(typeof plan.k === 'number' ? plan.k : undefined)]);
  const kernel = generalGemmKernel({ batchRank: plan.batch.length, transA: plan.transA, transB: plan.transB, alpha: plan.alpha, hasBias: Boolean(plan.c) });
  const args: Record<string, StepArg> = {
    a: bufferArg(lowering, plan.a),
    b: bufferArg(lowering, plan.b),
    bias: plan.c ? bufferArg(lowering, plan.c.value) : { int: 0 },
    y: bufferArg(lowering, plan.y),
    pack: { buffer: pack },
    transposedA: { buffer: transposedA },
    aBlock: { buffer: aBlock },
    M: { dim: plan.m },
    N: { dim: plan.n },
    K: { dim: plan.k },
  };
  plan.batch.forEach((dim, axis) => {
    args[`batch${axis}`] = { dim };
    args[`aStride${axis}`] = { dim: plan.aBatchStrides[axis] };
    args[`bStride${axis}`] = { dim: plan.bBatchStrides[axis] };
  });
  lowering.call(kernel, plan.node, args);
}
