/**
 * Emitting select (TopK, ArgMax, ArgMin) and scan (CumSum) plans with the
 * line kernels on f32 (and f16 in f32 stand-ins), i32 and i64. A select without a values output
 * (ArgMax, ArgMin) keeps its values in a scratch buffer.
 */
import { mulDims, productOfDims, scalar } from '@ladon/ir';
import type { ScanPlan, SelectPlan } from '../../lower/plans/along-axis.js';
import { scanKernel, selectKernel } from '../kernels/along-axis.js';
import { bufferArg, type WasmLowering } from '../lowering.js';

const LINE_DTYPES = ['f32', 'i32', 'i64'] as const;

/** Emits TopK, ArgMax or ArgMin. */
export function emitSelect(lowering: WasmLowering, plan: SelectPlan): void {
  const dtype = lowering.expectDType(plan.node, plan.input, LINE_DTYPES);
  const type = scalar.scalarTypeOf(dtype);
  const values = plan.values ? lowering.buffer(plan.values) : lowering.program.scratch('select_values', dtype, [productOfDims([plan.outer, plan.k, plan.inner])]);
  const indices = plan.indices ? lowering.buffer(plan.indices) : lowering.program.scratch('select_indices', 'i64', [mulDims(mulDims(plan.outer, plan.k), plan.inner)]);
  lowering.call(selectKernel({ type, largest: plan.largest, ties: plan.ties }), plan.node, {
    x: bufferArg(lowering, plan.input),
    values: { buffer: values },
    indices: { buffer: indices },
    outer: { dim: plan.outer },
    length: { dim: plan.length },
    inner: { dim: plan.inner },
    k: { dim: plan.k },
  });
}

/** Emits CumSum. */
export function emitScan(lowering: WasmLowering, plan: ScanPlan): void {
  const dtype = lowering.expectDType(plan.node, plan.input, LINE_DTYPES);
  lowering.call(scanKernel({ type: scalar.scalarTypeOf(dtype), exclusive: plan.exclusive, reverse: plan.reverse }), plan.node, {
    x: bufferArg(lowering, plan.input),
    y: bufferArg(lowering, plan.output),
    outer: { dim: plan.outer },
    length: { dim: plan.length },
    inner: { dim: plan.inner },
  });
}
