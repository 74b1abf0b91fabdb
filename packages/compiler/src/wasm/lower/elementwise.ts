/**
 * Emitting element-wise plans with the broadcasting kernels of
 * kernels/elementwise.ts (at most 6 collapsed axes).
 */
import { productOfDims, toFloat32, type StepArg } from '@ladon/ir';
import { broadcastLayout, type BroadcastLayout } from '../../lower/plans/broadcast.js';
import type { ElementwisePlan } from '../../lower/plans/elementwise.js';
import { f16ToF32, f32ToF16 } from '../kernels/convert-f16.js';
import { elementwiseKernel, type ElementwiseOp } from '../kernels/elementwise.js';
import { arithmeticOp, castOp, equalOp, unaryOp, whereOp, type ArithmeticOp, type UnaryFloatOp } from '../kernels/elementwise-ops.js';
import { powByConstant, powGeneral } from '../kernels/elementwise-pow.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';

/** The most axes a broadcast layout may keep after merging. */
const MAX_RANK = 6;

/** Emits the kernel of `op` on `inputs` (default: all the node's inputs) broadcast as `layout`. */
function emitKernel(lowering: WasmLowering, plan: ElementwisePlan, op: ElementwiseOp, inputs: readonly string[] = plan.inputs, layout: BroadcastLayout = plan.layout): void {
  if (layout.dims.length > MAX_RANK) throw unsupported(plan.node, `broadcasting over ${layout.dims.length} independent axes (at most ${MAX_RANK})`);
  const args: Record<string, StepArg> = {};
  inputs.forEach((value, index) => (args[`in${index}`] = bufferArg(lowering, value)));
  args.out = bufferArg(lowering, plan.output);
  layout.dims.forEach((dim, axis) => (args[`d${axis}`] = { dim }));
  lowering.call(elementwiseKernel(op, layout), plan.node, args);
}

/** Emits one element-wise node. */
export function emitElementwise(lowering: WasmLowering, plan: ElementwisePlan): void {
  const { node } = plan;
  const [first] = node.inputs;
  switch (node.op) {
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return emitKernel(lowering, plan, arithmeticOp(node.op as ArithmeticOp, lowering.expectDType(node, first, ['f32', 'i32', 'i64'])));
    case 'Pow':
      return emitPow(lowering, plan);
    case 'Equal':
      return emitKernel(lowering, plan, equalOp(lowering.expectDType(node, first, ['f32', 'i32', 'i64', 'bool'])));
    case 'Where':
      return emitKernel(lowering, plan, whereOp(lowering.expectDType(node, node.inputs[1], ['f32', 'i32', 'i64', 'bool'])));
    case 'Relu':
      return emitKernel(lowering, plan, unaryOp('Relu', lowering.expectDType(node, first, ['f32', 'i32', 'i64'])));
    case 'Gelu':
      lowering.expectDType(node, first, ['f32']);
      return emitKernel(lowering, plan, unaryOp(node.attrs.approximate === 'tanh' ? 'GeluTanh' : 'Gelu'));
    case 'Cast':
      return emitCast(lowering, plan);
    default:
      lowering.expectDType(node, first, ['f32']);
      return emitKernel(lowering, plan, unaryOp(node.op as UnaryFloatOp));
  }
}

/** Pow: cheap exact forms for a constant scalar exponent, else exp(y·ln|x|). */
function emitPow(lowering: WasmLowering, plan: ElementwisePlan): void {
  const [base, exponent] = plan.inputs;
  lowering.expectDType(plan.node, base, ['f32'], 'base');
  const constant = lowering.program.constant(exponent);
  if (constant && constant.data.length >= 1) {
    const values = toFloat32(constant);
    const form = values.every((value) => value === values[0]) ? powByConstant(values[0]) : undefined;
    const shapes = [lowering.graph.typeOf(base).shape];
    if (form) return emitKernel(lowering, plan, form, [base], broadcastLayout(shapes, lowering.graph.typeOf(plan.output).shape));
  }
  lowering.expectDType(plan.node, exponent, ['f32'], 'exponent');
  emitKernel(lowering, plan, powGeneral);
}

/** Cast among f32, i32, i64 and bool, and between f16 and f32 (with the conversion kernels, rounding to nearest even). */
function emitCast(lowering: WasmLowering, plan: ElementwisePlan): void {
  const [from] = plan.inputTypes;
  const to = plan.outputType;
  const half = from === 'f16' && to === 'f32' ? f16ToF32 : from === 'f32' && to === 'f16' ? f32ToF16 : undefined;
  if (half) {
    lowering.call(half, plan.node, { src: bufferArg(lowering, plan.inputs[0]), dst: bufferArg(lowering, plan.output), count: { dim: productOfDims(lowering.graph.typeOf(plan.output).shape) } });
    return;
  }
  const supported = ['f32', 'i32', 'i64', 'bool'] as const;
  lowering.expectDType(plan.node, plan.inputs[0], supported, 'input');
  if (!(supported as readonly string[]).includes(to)) throw unsupported(plan.node, `casts to ${to} are not supported (supported: ${supported.join(', ')})`, plan.output);
  emitKernel(lowering, plan, castOp(from, to));
}
