/**
 * Lowering ReduceSum and ReduceMean (axes from the attribute or a static
 * input). Reduced axes that form one block (ignoring dims of size 1) become
 * rows ([rows, length], trailing block) or columns ([outer, length, inner]);
 * any other set of axes uses the general kernel. Empty axes reduce
 * everything, or pass the input through with `noop_with_empty_axes`.
 */
import { normalizeAxis, type Dim, type StepArg } from '@ladon/ir';
import { reduceColumnsKernel, reduceGeneralKernel, reduceRowsKernel, type ReduceKind } from '../kernels/reduce.js';
import { addStep, bufferArg, dimArg, type LoweringContext } from '../lowering-context.js';
import { expectDType, productOf, requireStaticNumbers, shapeOf, unsupported } from './common.js';

/** The normalised, sorted axes a reduction node reduces (empty = all, unless it is a no-op). */
function reducedAxes(ctx: LoweringContext, rank: number): number[] | 'noop' {
  const axesInput = ctx.node.inputs[1] ?? '';
  const raw = axesInput ? requireStaticNumbers(ctx, axesInput, 'axes') : ((ctx.node.attrs.axes as readonly number[] | undefined) ?? []);
  if (raw.length === 0) return ctx.node.attrs.noop_with_empty_axes === 1 ? 'noop' : Array.from({ length: rank }, (_, axis) => axis);
  return [...new Set(raw.map((axis) => normalizeAxis(axis, rank)))].sort((a, b) => a - b);
}

/** Lowers ReduceSum / ReduceMean on f32. */
export function lowerReduce(ctx: LoweringContext): void {
  const x = ctx.node.inputs[0];
  const y = ctx.node.outputs[0];
  expectDType(ctx, x, ['f32']);
  const kind: ReduceKind = ctx.node.op === 'ReduceMean' ? 'mean' : 'sum';
  const shape = shapeOf(ctx, x);
  const axes = reducedAxes(ctx, shape.length);
  if (axes === 'noop') return ctx.program.alias(y, x);
  const reduced = shape.map((_, axis) => axes.includes(axis));
  const block = reducedBlock(shape, reduced);
  if (block) {
    const outer = productOf(shape.slice(0, block.first));
    const length = productOf(shape.slice(block.first, block.last + 1));
    const inner = productOf(shape.slice(block.last + 1));
    if (inner === 1) {
      addStep(ctx, ctx.kernels.request(reduceRowsKernel(kind)), [bufferArg(ctx, x), bufferArg(ctx, y), dimArg(outer), dimArg(length)]);
    } else {
      addStep(ctx, ctx.kernels.request(reduceColumnsKernel(kind)), [bufferArg(ctx, x), bufferArg(ctx, y), dimArg(outer), dimArg(length), dimArg(inner)]);
    }
    return;
  }
  if (shape.length > 6) throw unsupported(ctx, `reducing a rank-${shape.length} tensor over scattered axes (at most rank 6)`);
  addStep(ctx, ctx.kernels.request(reduceGeneralKernel(kind, shape.length)), generalArgs(ctx, x, y, shape, reduced));
}

/** The first and last axis of the reduced block, when the reduced axes of size > 1 are contiguous. */
function reducedBlock(shape: readonly Dim[], reduced: readonly boolean[]): { first: number; last: number } | undefined {
  const significant = shape.map((dim, axis) => axis).filter((axis) => reduced[axis] && shape[axis] !== 1);
  if (significant.length === 0) return { first: shape.length, last: shape.length - 1 };
  const [first, last] = [significant[0], significant[significant.length - 1]];
  for (let axis = first; axis <= last; axis++) if (!reduced[axis] && shape[axis] !== 1) return undefined;
  return { first, last };
}

function generalArgs(ctx: LoweringContext, x: string, y: string, shape: readonly Dim[], reduced: readonly boolean[]): StepArg[] {
  const outputStrides: Dim[] = new Array<Dim>(shape.length).fill(0);
  let stride: Dim = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (reduced[axis]) continue;
    outputStrides[axis] = stride;
    stride = productOf([stride, shape[axis]]);
  }
  const count = productOf(shape.filter((_, axis) => reduced[axis]));
  const outSize = productOf(shape.filter((_, axis) => !reduced[axis]));
  return [bufferArg(ctx, x), bufferArg(ctx, y), dimArg(count), dimArg(outSize), ...shape.map(dimArg), ...outputStrides.map(dimArg)];
}
