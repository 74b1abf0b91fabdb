/**
 * Emitting element-wise plans with the broadcasting kernel of
 * kernels/elementwise.ts (at most 6 collapsed axes): the plan's scalar
 * expression rendered as a vector form (four lanes) and a scalar form (one
 * element). A kernel with an f32 output runs its last 1-3 elements through
 * the vector form on splatted lanes (so they round as the others do); any
 * other runs them through its scalar form when it has one. The kernels
 * compute f16 tensors in f32: f16 inputs are converted into f32 copies
 * first and an f16 result is rounded back once at the end (nearest even),
 * the reference interpreter's contract; a plain cast between f16 and f32
 * is just the conversion kernel.
 */
import { scalar, type DType, type StepArg } from '@ladon/ir';
import type { ElementwisePlan } from '../../lower/plans/elementwise.js';
import { f16ToF32, f32ToF16 } from '../kernels/convert-f16.js';
import { elementwiseKernel, type ElementwiseOp } from '../kernels/elementwise.js';
import { scalarForm } from '../kernels/elementwise-scalar.js';
import { vectorForm } from '../kernels/elementwise-vector.js';
import { bufferArg, unsupported, type WasmLowering } from '../lowering.js';

/** The most axes a broadcast layout may keep after merging. */
const MAX_RANK = 6;

/** The dtypes the element-wise kernels compute. */
const KERNEL_DTYPES: readonly DType[] = ['f32', 'f16', 'i32', 'i64', 'i8', 'u8', 'bool'];

/** The kernel's op: the plan's expression rendered both ways. */
function renderedOp(plan: ElementwisePlan): ElementwiseOp {
  const vector = vectorForm(plan.expression);
  const scalarOne = plan.outputType === 'f32' && vector ? undefined : scalarForm(plan.expression);
  if (!vector && !scalarOne) throw unsupported(plan.node, `no wasm kernel computes ${scalar.printScalarExpr(plan.expression)}`);
  return {
    name: plan.name,
    inputs: plan.inputTypes,
    output: plan.outputType,
    ...(vector ? { vector } : {}),
    ...(scalarOne ? { scalar: scalarOne } : {}),
    identity: scalar.printScalarExpr(plan.expression),
  };
}

/** A cast between f16 and f32 runs a conversion kernel; true when `plan` is one. */
function emitHalfCast(lowering: WasmLowering, plan: ElementwisePlan): boolean {
  const [from] = plan.inputTypes;
  const kernel = from === 'f16' && plan.outputType === 'f32' ? f16ToF32 : from === 'f32' && plan.outputType === 'f16' ? f32ToF16 : undefined;
  if (!kernel || plan.expression.kind !== 'input') return false;
  lowering.call(kernel, plan.node, { src: bufferArg(lowering, plan.inputs[0]), dst: bufferArg(lowering, plan.output), count: lowering.elementCount(plan.output) });
  return true;
}

/** Emits one element-wise node. */
export function emitElementwise(lowering: WasmLowering, plan: ElementwisePlan): void {
  if (emitHalfCast(lowering, plan)) return;
  plan.inputs.forEach((value) => lowering.expectDType(plan.node, value, KERNEL_DTYPES));
  lowering.expectDType(plan.node, plan.output, KERNEL_DTYPES, 'output');
  const { layout } = plan;
  if (layout.dims.length > MAX_RANK) throw unsupported(plan.node, `broadcasting over ${layout.dims.length} independent axes (at most ${MAX_RANK})`);
  const computed: ElementwisePlan = { ...plan, inputTypes: plan.inputTypes.map(inF32), outputType: inF32(plan.outputType) };
  lowering.inF32(plan.node, () => {
    const args: Record<string, StepArg> = {};
    plan.inputs.forEach((value, index) => (args[`in${index}`] = bufferArg(lowering, value)));
    args.out = bufferArg(lowering, plan.output);
    layout.dims.forEach((dim, axis) => (args[`d${axis}`] = { dim }));
    lowering.call(elementwiseKernel(renderedOp(computed), layout), plan.node, args);
  });
}

/** The dtype a kernel computes a tensor of `dtype` in (f16 in f32 copies). */
function inF32(dtype: DType): DType {
  return dtype === 'f16' ? 'f32' : dtype;
}
