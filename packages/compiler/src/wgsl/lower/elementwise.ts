/**
 * Emitting element-wise plans with the map kernel: the plan's scalar
 * expression rendered to WGSL, one invocation per element; operands that
 * are broadcast are read through strides over the plan's collapsed layout.
 */
import { productOfDims, type Dim } from '@ladon/ir';
import { layoutStrides } from '../../lower/plans/broadcast.js';
import type { ElementwisePlan } from '../../lower/plans/elementwise.js';
import { deviceElement, padLeft } from '../elements.js';
import { wgslExpression } from '../kernels/elementwise-expression.js';
import { mapKernel, operandBinding, operandStrides, type MapSpec } from '../kernels/elementwise.js';
import { FLAT_WORKGROUP, MAX_RANK, rankValues } from '../kernels/flat.js';
import { flatLaunch, type WgslLowering } from '../lowering.js';

/** Emits one element-wise node: the map kernel over the plan's collapsed broadcast layout (at most six axes). */
export function emitElementwise(lowering: WgslLowering, plan: ElementwisePlan): void {
  const { node, layout } = plan;
  const broadcast = layout.broadcast.map((mask) => mask.some(Boolean));
  const spec: MapSpec = {
    op: plan.name,
    operands: plan.inputTypes.map((dtype, index) => ({ element: deviceElement(dtype), broadcast: broadcast[index] })),
    output: deviceElement(plan.outputType),
    expression: wgslExpression(plan.expression),
    ...(plan.outputType === 'i8' || plan.outputType === 'u8' ? { narrow: plan.outputType } : {}),
  };
  const what = `${node.op} ${plan.output}`;
  const count = productOfDims(lowering.graph.typeOf(plan.output).shape);
  const uniforms: Record<string, Dim> = { count };
  if (broadcast.some(Boolean)) {
    Object.assign(uniforms, rankValues('dim', padLeft(layout.dims, MAX_RANK, 1, what)));
    broadcast.forEach((isBroadcast, index) => {
      if (isBroadcast) Object.assign(uniforms, rankValues(operandStrides(index), padLeft(layoutStrides(layout, index), MAX_RANK, 0, what)));
    });
  }
  const buffers: Record<string, number> = { y: lowering.buffer(plan.output) };
  plan.inputs.forEach((input, index) => (buffers[operandBinding(index)] = lowering.buffer(input)));
  lowering.call(mapKernel(spec), node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}
