/**
 * Emitting convolution and pooling plans with the window kernels: one
 * invocation per output element, the plan's three-axis window as uniforms.
 * An average multiplies by the plan's reciprocal divisors (a weight of the
 * program).
 */
import { mulDims, productOfDims, type Dim } from '@ladon/ir';
import type { ConvPlan, PoolPlan, SpatialWindow } from '../../lower/plans/window.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { convolutionKernel, poolingKernel, WINDOW_FIELDS } from '../kernels/window.js';
import { flatLaunch, unsupported, type WgslLowering } from '../lowering.js';

const AXES = ['d', 'h', 'w'] as const;

function windowUniforms(window: SpatialWindow): Record<string, number> {
  const values: Record<(typeof WINDOW_FIELDS)[number], readonly number[]> = {
    in: window.input, out: window.output, k: window.kernel, s: window.strides, dil: window.dilations, pad: window.padBegin,
  };
  return Object.fromEntries(WINDOW_FIELDS.flatMap((field) => AXES.map((axis, index) => [`${field}_${axis}`, values[field][index]])));
}

function expectF32(lowering: WgslLowering, plan: ConvPlan | PoolPlan, values: readonly string[]): void {
  for (const value of values) {
    if (value && lowering.graph.typeOf(value).dtype !== 'f32') throw unsupported(plan.node, `${plan.node.op} on ${lowering.graph.typeOf(value).dtype} (f32 only)`, value);
  }
}

/** Emits Conv and ConvTranspose. */
export function emitConvolution(lowering: WgslLowering, plan: ConvPlan): void {
  expectF32(lowering, plan, [plan.x, plan.w, plan.bias ?? '']);
  const count: Dim = mulDims(mulDims(plan.batch, plan.outChannels), productOfDims([...plan.window.output]));
  const buffers: Record<string, number> = { x: lowering.buffer(plan.x), w: lowering.buffer(plan.w), y: lowering.buffer(plan.y) };
  if (plan.bias) buffers.bias = lowering.buffer(plan.bias);
  const uniforms: Record<string, Dim> = {
    count,
    in_channels: plan.inChannels,
    out_channels: plan.outChannels,
    per_group_in: plan.inChannels / plan.group,
    per_group_out: plan.outChannels / plan.group,
    ...windowUniforms(plan.window),
  };
  lowering.call(convolutionKernel(plan.kind === 'conv-transpose', plan.bias !== undefined), plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}

/** Emits MaxPool, AveragePool and the global pools. */
export function emitPool(lowering: WgslLowering, plan: PoolPlan): void {
  expectF32(lowering, plan, [plan.x]);
  const count: Dim = mulDims(plan.planes, productOfDims([...plan.window.output]));
  const buffers: Record<string, number> = { x: lowering.buffer(plan.x), y: lowering.buffer(plan.y) };
  if (plan.reduce === 'avg') {
    const table = plan.reciprocals!;
    buffers.reciprocals = lowering.program.derivedWeight(`${plan.y}:pool-reciprocals`, { dtype: 'f32', shape: [table.length], data: table });
  }
  if (plan.indices) buffers.indices = lowering.buffer(plan.indices);
  const uniforms: Record<string, Dim> = { count, ...windowUniforms(plan.window), ...(plan.indices ? { by_columns: plan.columnMajorIndices ? 1 : 0 } : {}) };
  lowering.call(poolingKernel(plan.reduce, Boolean(plan.indices)), plan.node, { buffers, uniforms }, flatLaunch(count, FLAT_WORKGROUP));
}
