/**
 * Lowering Slice, Gather, Range, Trilu and ConstantOfShape. Their control
 * inputs (starts/ends/axes/steps, Range's scalars, Trilu's k, the target
 * shape) are read at compile time — from constants or from the symbolic
 * contents shape inference tracked — so sizes stay symbolic (`seq`) but
 * never depend on tensor data.
 */
import { addDims, dtypeSize, mulDims, normalizeAxis, subDims, tensor, type Dim, type Tensor } from '@ladon/ir';
import { constantFillKernel, rangeFloatKernel, rangeIntKernel, triluKernel } from '../kernels/fill.js';
import { gatherKernel } from '../kernels/gather.js';
import { addStep, bufferArg, dimArg, type LoweringContext } from '../lowering-context.js';
import { expectDType, productOf, requireStaticInts, requireStaticNumbers, shapeOf, unsupported } from './common.js';
import { emitCopy, stridesOf } from './copy.js';

/** Slice bounds at or beyond this magnitude mean "to the end" (as in the IR). */
const HUGE_INDEX = 2 ** 31 - 1;

/** The first index a slice reads on an axis of size `dim` (ONNX clamping; symbolic bounds are assumed in range). */
export function sliceStart(dim: Dim, start: Dim, step: number): Dim {
  if (typeof start !== 'number') return start;
  if (typeof dim === 'number') {
    const first = start < 0 ? start + dim : start;
    return step > 0 ? Math.min(Math.max(first, 0), dim) : Math.min(Math.max(first, 0), dim - 1);
  }
  if (start >= HUGE_INDEX) return step > 0 ? dim : subDims(dim, 1);
  if (start <= -HUGE_INDEX) return 0;
  return start < 0 ? addDims(dim, start) : start;
}

/** Lowers Slice (static or symbolic starts, any non-zero static steps). */
export function lowerSlice(ctx: LoweringContext): void {
  const [data, startsInput, , axesInput = '', stepsInput = ''] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const shape = shapeOf(ctx, data);
  const output = shapeOf(ctx, y);
  if (output.includes('?')) throw unsupported(ctx, `the output size [${output.join(', ')}] is not known from the shapes`, y);
  const starts = requireStaticInts(ctx, startsInput, 'starts');
  const axes = axesInput ? requireStaticNumbers(ctx, axesInput, 'axes') : starts.map((_, index) => index);
  const steps = stepsInput ? requireStaticNumbers(ctx, stepsInput, 'steps') : starts.map(() => 1);
  const inputStrides = stridesOf(shape);
  const sourceStrides = [...inputStrides];
  let sourceOffset: Dim = 0;
  axes.forEach((rawAxis, index) => {
    const axis = normalizeAxis(rawAxis, shape.length);
    const first = sliceStart(shape[axis], starts[index], steps[index]);
    sourceOffset = addDims(sourceOffset, mulDims(first, inputStrides[axis]));
    sourceStrides[axis] = mulDims(inputStrides[axis], steps[index]);
  });
  emitCopy(ctx, data, y, { dims: output, sourceStrides, targetStrides: stridesOf(output), sourceOffset, targetOffset: 0 });
}

/** Lowers Gather along any axis (out-of-range indices are clamped; see kernels/gather.ts). */
export function lowerGather(ctx: LoweringContext): void {
  const [data, indices] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const indexType = expectDType(ctx, indices, ['i32', 'i64'], 'indices') as 'i32' | 'i64';
  const shape = shapeOf(ctx, data);
  const axis = normalizeAxis((ctx.node.attrs.axis as number | undefined) ?? 0, shape.length);
  const kernel = ctx.kernels.request(gatherKernel(dtypeSize(ctx.graph.typeOf(data).dtype), indexType));
  addStep(ctx, kernel, [
    bufferArg(ctx, data), bufferArg(ctx, indices), bufferArg(ctx, y),
    dimArg(productOf(shape.slice(0, axis))), dimArg(shape[axis]), dimArg(productOf(shapeOf(ctx, indices))), dimArg(productOf(shape.slice(axis + 1))),
  ]);
}

/** Lowers Range whose scalars are known at compile time (integers may be symbolic, e.g. `seq`). */
export function lowerRange(ctx: LoweringContext): void {
  const [start, limit, delta] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const dtype = expectDType(ctx, y, ['f32', 'i32', 'i64'], 'output');
  const [first] = requireStaticInts(ctx, start, 'start');
  const [step] = requireStaticInts(ctx, delta, 'delta');
  let [count] = shapeOf(ctx, y);
  if (count === '?') {
    const [end] = requireStaticInts(ctx, limit, 'limit');
    if (typeof first !== 'number' || typeof end !== 'number' || typeof step !== 'number') throw unsupported(ctx, 'the length of the range is not known', y);
    count = Math.max(Math.ceil((end - first) / step), 0);
  }
  if (dtype === 'f32') {
    if (typeof first !== 'number' || typeof step !== 'number') throw unsupported(ctx, 'f32 ranges need numeric start and delta', y);
    addStep(ctx, ctx.kernels.request(rangeFloatKernel(first, step)), [bufferArg(ctx, y), dimArg(count)]);
    return;
  }
  addStep(ctx, ctx.kernels.request(rangeIntKernel(dtype as 'i32' | 'i64')), [bufferArg(ctx, y), dimArg(count), dimArg(first), dimArg(step)]);
}

/** Lowers Trilu (k known at compile time, default 0). */
export function lowerTrilu(ctx: LoweringContext): void {
  const [x, kInput = ''] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const shape = shapeOf(ctx, x);
  const k: Dim = kInput ? requireStaticInts(ctx, kInput, 'k')[0] : 0;
  const upper = ((ctx.node.attrs.upper as number | undefined) ?? 1) === 1;
  const kernel = ctx.kernels.request(triluKernel(upper, dtypeSize(ctx.graph.typeOf(x).dtype)));
  addStep(ctx, kernel, [bufferArg(ctx, x), bufferArg(ctx, y), dimArg(productOf(shape.slice(0, -2))), dimArg(shape[shape.length - 2]), dimArg(shape[shape.length - 1]), dimArg(k)]);
}

/** Lowers ConstantOfShape (the shape comes from the output's type). */
export function lowerConstantOfShape(ctx: LoweringContext): void {
  const y = ctx.node.outputs[0];
  const value = (ctx.node.attrs.value as Tensor | undefined) ?? tensor('f32', [1], [0]);
  const bytes = new Uint8Array(8);
  bytes.set(new Uint8Array(value.data.buffer, value.data.byteOffset, dtypeSize(value.dtype)));
  const words = Array.from(new Uint32Array(bytes.buffer));
  const kernel = ctx.kernels.request(constantFillKernel(value.dtype, dtypeSize(value.dtype) === 8 ? words : [words[0]]));
  addStep(ctx, kernel, [bufferArg(ctx, y), dimArg(productOf(shapeOf(ctx, y)))]);
}
