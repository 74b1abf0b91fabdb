/**
 * Lowering LayerNormalization and Softmax. LayerNorm normalises the
 * trailing axes from `axis` on as rows of prod(shape[axis:]) values; Scale
 * and B must cover that row whole or be a single value. Softmax on the last
 * axis runs row-wise; on another axis it runs on [outer, length, inner].
 */
import { normalizeAxis, type Dim } from '@ladon/ir';
import { layerNormKernel, type ParameterKind } from '../kernels/layer-norm.js';
import { softmaxColumnsKernel, softmaxRowsKernel } from '../kernels/softmax.js';
import { addStep, bufferArg, dimArg, type LoweringContext } from '../lowering-context.js';
import { expectDType, productOf, shapeOf, unsupported } from './common.js';

/** How Scale or B covers the normalised dims: a single value, or the whole row (right-aligned, equal dims). */
function parameterKind(ctx: LoweringContext, value: string, normalized: readonly Dim[]): Exclude<ParameterKind, 'none'> {
  const shape = shapeOf(ctx, value);
  if (shape.every((dim) => dim === 1)) return 'scalar';
  const offset = normalized.length - shape.length;
  const covers = offset >= 0 && shape.every((dim, axis) => dim === normalized[offset + axis]) && normalized.slice(0, offset).every((dim) => dim === 1);
  if (covers) return 'row';
  throw unsupported(ctx, `%${value} of shape [${shape.join(', ')}] broadcasts only partly over the normalised dims [${normalized.join(', ')}]`, value);
}

/** Lowers LayerNormalization (and its optional Mean / InvStdDev outputs). */
export function lowerLayerNorm(ctx: LoweringContext): void {
  const [x, scale, bias = ''] = ctx.node.inputs;
  const [y, mean = '', invStd = ''] = ctx.node.outputs;
  for (const value of [x, scale, bias]) if (value) expectDType(ctx, value, ['f32']);
  const shape = shapeOf(ctx, x);
  const axis = normalizeAxis((ctx.node.attrs.axis as number | undefined) ?? -1, shape.length);
  const normalized = shape.slice(axis);
  const epsilon = (ctx.node.attrs.epsilon as number | undefined) ?? 1e-5;
  const kernel = layerNormKernel({
    epsilon,
    scale: parameterKind(ctx, scale, normalized),
    bias: bias ? parameterKind(ctx, bias, normalized) : 'none',
    writeMean: Boolean(mean),
    writeInvStd: Boolean(invStd),
  });
  const pointer = (value: string) => (value ? bufferArg(ctx, value) : { int: 0 });
  addStep(ctx, ctx.kernels.request(kernel), [
    bufferArg(ctx, x), bufferArg(ctx, scale), pointer(bias), bufferArg(ctx, y), pointer(mean), pointer(invStd),
    dimArg(productOf(shape.slice(0, axis))), dimArg(productOf(normalized)),
  ]);
}

/** Lowers Softmax along any axis. */
export function lowerSoftmax(ctx: LoweringContext): void {
  const x = ctx.node.inputs[0];
  const y = ctx.node.outputs[0];
  expectDType(ctx, x, ['f32']);
  const shape = shapeOf(ctx, x);
  const axis = normalizeAxis((ctx.node.attrs.axis as number | undefined) ?? -1, shape.length);
  const outer = productOf(shape.slice(0, axis));
  const inner = productOf(shape.slice(axis + 1));
  if (inner === 1) {
    addStep(ctx, ctx.kernels.request(softmaxRowsKernel), [bufferArg(ctx, x), bufferArg(ctx, y), dimArg(outer), dimArg(shape[axis])]);
    return;
  }
  addStep(ctx, ctx.kernels.request(softmaxColumnsKernel), [bufferArg(ctx, x), bufferArg(ctx, y), dimArg(outer), dimArg(shape[axis]), dimArg(inner)]);
}
