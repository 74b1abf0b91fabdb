/**
 * Lowering the element-wise ops (Add, Sub, Mul, Div, Pow, Equal, Where,
 * Relu, Gelu, Erf, Tanh, Exp, Sqrt, Cast) to the broadcasting kernels of
 * kernels/elementwise.ts.
 *
 * The broadcast layout: output axes of size 1 are dropped; an input is
 * broadcast along an axis where its (right-aligned) dim is 1 and the
 * output's is not; neighbouring axes along which every input behaves the
 * same are merged. Same-shape operands become one contiguous axis, a bias
 * row becomes [rows (broadcast), N], a scalar one broadcast axis.
 */
import { mulDims, productOfDims, toFloat32, type Dim, type DType } from '@ladon/ir';
import { f16ToF32, f32ToF16 } from '../kernels/convert-f16.js';
import type { BroadcastLayout, ElementwiseOp } from '../kernels/elementwise.js';
import { elementwiseKernel } from '../kernels/elementwise.js';
import { arithmeticOp, castOp, equalOp, unaryOp, whereOp, type ArithmeticOp, type UnaryFloatOp } from '../kernels/elementwise-ops.js';
import { powByConstant, powGeneral } from '../kernels/elementwise-pow.js';
import { addStep, bufferArg, dimArg, type LoweringContext } from '../lowering-context.js';
import { expectDType, shapeOf, unsupported } from './common.js';

/** The most axes a broadcast layout may keep after merging. */
const MAX_RANK = 6;

/** The collapsed layout of `inputs` broadcast to `output`, with the collapsed output dims. */
export function broadcastLayout(inputs: readonly (readonly Dim[])[], output: readonly Dim[]): { layout: BroadcastLayout; dims: Dim[] } {
  const axes = output.map((dim, axis) => ({ dim, axis })).filter(({ dim }) => dim !== 1);
  const masks = inputs.map((shape) => {
    const offset = output.length - shape.length;
    return axes.map(({ axis }) => axis < offset || shape[axis - offset] === 1);
  });
  const dims: Dim[] = [];
  const merged: boolean[][] = inputs.map(() => []);
  axes.forEach(({ dim }, index) => {
    const sameAsPrevious = index > 0 && masks.every((mask) => mask[index] === mask[index - 1]);
    if (sameAsPrevious) {
      dims[dims.length - 1] = mulDims(dims[dims.length - 1], dim);
      return;
    }
    dims.push(dim);
    masks.forEach((mask, input) => merged[input].push(mask[index]));
  });
  if (dims.length === 0) {
    dims.push(1);
    merged.forEach((mask) => mask.push(false));
  }
  return { layout: { rank: dims.length, broadcast: merged }, dims };
}

/** Adds the step of `op` on the node's inputs `inputs` (default: all) writing output 0. */
function emitElementwise(ctx: LoweringContext, op: ElementwiseOp, inputs: readonly string[] = ctx.node.inputs): void {
  const output = ctx.node.outputs[0];
  const { layout, dims } = broadcastLayout(inputs.map((value) => shapeOf(ctx, value)), shapeOf(ctx, output));
  if (layout.rank > MAX_RANK) throw unsupported(ctx, `broadcasting over ${layout.rank} independent axes (at most ${MAX_RANK})`);
  const kernel = ctx.kernels.request(elementwiseKernel(op, layout));
  addStep(ctx, kernel, [...inputs.map((value) => bufferArg(ctx, value)), bufferArg(ctx, output), ...dims.map(dimArg)]);
}

/** Add, Sub, Mul, Div. */
export function lowerArithmetic(ctx: LoweringContext): void {
  const dtype = expectDType(ctx, ctx.node.inputs[0], ['f32', 'i32', 'i64']);
  emitElementwise(ctx, arithmeticOp(ctx.node.op as ArithmeticOp, dtype));
}

/** Pow: cheap exact forms for a constant scalar exponent, else exp(y·ln|x|). */
export function lowerPow(ctx: LoweringContext): void {
  const [base, exponent] = ctx.node.inputs;
  expectDType(ctx, base, ['f32'], 'base');
  const constant = ctx.program.constant(exponent);
  if (constant && constant.data.length >= 1) {
    const values = toFloat32(constant);
    const form = values.every((value) => value === values[0]) ? powByConstant(values[0]) : undefined;
    if (form) return emitElementwise(ctx, form, [base]);
  }
  expectDType(ctx, exponent, ['f32'], 'exponent');
  emitElementwise(ctx, powGeneral);
}

/** Equal (bool output). */
export function lowerEqual(ctx: LoweringContext): void {
  emitElementwise(ctx, equalOp(expectDType(ctx, ctx.node.inputs[0], ['f32', 'i32', 'i64', 'bool'])));
}

/** Where(condition, X, Y). */
export function lowerWhere(ctx: LoweringContext): void {
  emitElementwise(ctx, whereOp(expectDType(ctx, ctx.node.inputs[1], ['f32', 'i32', 'i64', 'bool'])));
}

/** Relu (f32, i32, i64). */
export function lowerRelu(ctx: LoweringContext): void {
  emitElementwise(ctx, unaryOp('Relu', expectDType(ctx, ctx.node.inputs[0], ['f32', 'i32', 'i64'])));
}

/** Sqrt, Exp, Erf, Tanh (f32). */
export function lowerUnaryFloat(ctx: LoweringContext): void {
  expectDType(ctx, ctx.node.inputs[0], ['f32']);
  emitElementwise(ctx, unaryOp(ctx.node.op as UnaryFloatOp));
}

/** Gelu, exact (erf) or tanh-approximated. */
export function lowerGelu(ctx: LoweringContext): void {
  expectDType(ctx, ctx.node.inputs[0], ['f32']);
  emitElementwise(ctx, unaryOp(ctx.node.attrs.approximate === 'tanh' ? 'GeluTanh' : 'Gelu'));
}

/** Cast among f32, i32, i64 and bool, and between f16 and f32; a cast to the same dtype is a view. */
export function lowerCast(ctx: LoweringContext): void {
  const input = ctx.node.inputs[0];
  const output = ctx.node.outputs[0];
  if (lowerHalfCast(ctx, input, output)) return;
  const supported: DType[] = ['f32', 'i32', 'i64', 'bool'];
  const from = expectDType(ctx, input, supported, 'input');
  const to = ctx.graph.typeOf(output).dtype;
  if (!supported.includes(to)) throw unsupported(ctx, `casts to ${to} are not supported (supported: ${supported.join(', ')})`, output);
  if (from === to) return ctx.program.alias(output, input);
  emitElementwise(ctx, castOp(from, to));
}

/** f16 <-> f32 casts with the conversion kernels (round to nearest even); false for any other pair. */
function lowerHalfCast(ctx: LoweringContext, input: string, output: string): boolean {
  const from = ctx.graph.typeOf(input).dtype;
  const to = ctx.graph.typeOf(output).dtype;
  const kernel = from === 'f16' && to === 'f32' ? f16ToF32 : from === 'f32' && to === 'f16' ? f32ToF16 : undefined;
  if (!kernel) return false;
  addStep(ctx, ctx.kernels.request(kernel), [{ buffer: ctx.program.buffer(input) }, { buffer: ctx.program.buffer(output) }, { dim: productOfDims(ctx.graph.typeOf(output).shape) }]);
  return true;
}
