/**
 * Lowering Linear (`Y = X · W + bias` over the last axis of X). With a
 * constant weight and bias (the usual case: exported projections) the
 * weight is packed at compile time into the micro-kernel's panel layout,
 * the bias padded in front of it, and the kernel bakes in K and N: only
 * the row count M = prod(X.shape[:-1]) is a runtime size. Otherwise the
 * general GEMM kernel packs W at run time.
 */
import { toFloat32 } from '@ladon/ir';
import { linearPackedKernel } from '../kernels/gemm.js';
import { packWeight } from '../kernels/gemm-pack.js';
import { addStep, bufferArg, dimArg, type LoweringContext } from '../lowering-context.js';
import { expectDType, productOf, shapeOf } from './common.js';
import { lowerGeneralGemm } from './matmul.js';

/** Lowers one Linear node. */
export function lowerLinear(ctx: LoweringContext): void {
  const [x, w, bias = ''] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  for (const value of [x, w, bias]) if (value) expectDType(ctx, value, ['f32']);
  const transB = ctx.node.attrs.transB === 1;
  const weight = ctx.program.constant(w);
  const biasValue = bias ? ctx.program.constant(bias) : undefined;
  const xShape = shapeOf(ctx, x);
  const rows = productOf(xShape.slice(0, -1));
  if (!weight || (bias && !biasValue)) {
    const [wRows, wColumns] = shapeOf(ctx, w);
    lowerGeneralGemm(ctx, {
      a: x, b: w, bias, y,
      m: rows, k: xShape[xShape.length - 1], n: transB ? wRows : wColumns,
      transA: false, transB, alpha: 1,
      batch: [], aBatchStrides: [], bBatchStrides: [],
    });
    return;
  }
  const [k, n] = transB ? [weight.shape[1], weight.shape[0]] : [weight.shape[0], weight.shape[1]];
  const packed = packWeight(toFloat32(weight), k, n, transB, biasValue ? toFloat32(biasValue) : undefined);
  const key = `${w}${bias ? `+${bias}` : ''}:panels${transB ? 'T' : ''}`;
  const packedBuffer = ctx.program.derivedWeight(key, { dtype: 'f32', shape: [packed.length], data: packed });
  const kernel = ctx.kernels.request(linearPackedKernel(k, n, Boolean(biasValue)));
  addStep(ctx, kernel, [bufferArg(ctx, x), { buffer: packedBuffer }, bufferArg(ctx, y), dimArg(rows)]);
}
