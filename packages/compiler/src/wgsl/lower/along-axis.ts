/**
 * Emitting select (TopK, ArgMax, ArgMin) and scan (CumSum) plans with the
 * line kernels, one invocation per line. Indices are i32 on the GPU (the
 * runtime widens i64 outputs); a select without a values output keeps its
 * values in a scratch buffer.
 */
import { mulDims, productOfDims } from '@ladon/ir';
import type { ScanPlan, SelectPlan } from '../../lower/plans/along-axis.js';
import { deviceElement } from '../elements.js';
import { scanKernel, selectKernel } from '../kernels/along-axis.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { flatLaunch, unsupported, type WgslLowering } from '../lowering.js';

/** Emits TopK, ArgMax or ArgMin. */
export function emitSelect(lowering: WgslLowering, plan: SelectPlan): void {
  if (plan.dtype === 'bool') throw unsupported(plan.node, `${plan.node.op} of bool`, plan.input);
  const lines = mulDims(plan.outer, plan.inner);
  const size = productOfDims([plan.outer, plan.k, plan.inner]);
  const buffers = {
    x: lowering.buffer(plan.input),
    values: plan.values ? lowering.buffer(plan.values) : lowering.program.scratch('select_values', plan.dtype, [size]),
    indices: plan.indices ? lowering.buffer(plan.indices) : lowering.program.scratch('select_indices', 'i64', [size]),
  };
  const uniforms = { count: lines, length: plan.length, inner: plan.inner, k: plan.k };
  const kernel = selectKernel({ element: deviceElement(plan.dtype), largest: plan.largest, ties: plan.ties });
  lowering.call(kernel, plan.node, { buffers, uniforms }, flatLaunch(lines, FLAT_WORKGROUP));
}

/** Emits CumSum. */
export function emitScan(lowering: WgslLowering, plan: ScanPlan): void {
  if (plan.dtype === 'bool') throw unsupported(plan.node, 'CumSum of bool', plan.input);
  const lines = mulDims(plan.outer, plan.inner);
  const buffers = { x: lowering.buffer(plan.input), y: lowering.buffer(plan.output) };
  const uniforms = { count: lines, length: plan.length, inner: plan.inner };
  const kernel = scanKernel({ element: deviceElement(plan.dtype), exclusive: plan.exclusive, reverse: plan.reverse });
  lowering.call(kernel, plan.node, { buffers, uniforms }, flatLaunch(lines, FLAT_WORKGROUP));
}
