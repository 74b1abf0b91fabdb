/**
 * Emitting LayerNormalization and Softmax plans on f32 (f16 tensors in f32 copies). The LayerNorm
 * kernel bakes in epsilon and whether Scale and B are whole rows or one
 * value (a trailing part of a row repeated is not supported here); Softmax
 * runs row-wise when inner is 1, else on [outer, length, inner]. LayerNorm
 * splits over blocks of rows (lower/split.ts).
 */
import type { LayerNormPlan, NormParameter, SoftmaxPlan } from '../../lower/plans/normalize.js';
import { normalizationSplit } from '../../lower/split.js';
import { layerNormKernel } from '../kernels/layer-norm.js';
import { softmaxColumnsKernel, softmaxRowsKernel } from '../kernels/softmax.js';
import { unsupported, type WasmLowering } from '../lowering.js';

function coverage(plan: LayerNormPlan, parameter: NormParameter): 'row' | 'scalar' {
  if (parameter.coverage !== 'trailing') return parameter.coverage;
  throw unsupported(plan.node, `%${parameter.value} repeats along the leading normalised dims (only whole rows or single values are supported)`, parameter.value);
}

/** Emits LayerNormalization (and its optional Mean / InvStdDev outputs; f16 tensors in f32 copies, WasmLowering.inF32). */
export function emitLayerNorm(lowering: WasmLowering, plan: LayerNormPlan): void {
  for (const value of [plan.input, plan.scale.value, plan.bias?.value ?? '']) if (value) lowering.expectDType(plan.node, value, ['f32', 'f16']);
  const inputs = [plan.input, plan.scale.value, plan.bias?.value ?? ''];
  lowering.inF32(plan.node, inputs, [plan.output, plan.mean, plan.invStdDev], (buffer) => emitLayerNormF32(lowering, plan, buffer));
}

function emitLayerNormF32(lowering: WasmLowering, plan: LayerNormPlan, buffer: (value: string) => number): void {
  const kernel = layerNormKernel({
    epsilon: plan.epsilon,
    scale: coverage(plan, plan.scale),
    bias: plan.bias ? coverage(plan, plan.bias) : 'none',
    writeMean: Boolean(plan.mean),
    writeInvStd: Boolean(plan.invStdDev),
  });
  const pointer = (value: string) => (value ? { buffer: buffer(value) } : { int: 0 });
  lowering.call(kernel, plan.node, {
    x: pointer(plan.input),
    scale: pointer(plan.scale.value),
    bias: pointer(plan.bias?.value ?? ''),
    y: pointer(plan.output),
    mean: pointer(plan.mean),
    invStd: pointer(plan.invStdDev),
    rows: { dim: plan.rows },
    size: { dim: plan.size },
  }, normalizationSplit(plan));
}

/** Emits Softmax along any axis (f16 in f32 copies, WasmLowering.inF32). */
export function emitSoftmax(lowering: WasmLowering, plan: SoftmaxPlan): void {
  lowering.expectDType(plan.node, plan.input, ['f32', 'f16']);
  lowering.inF32(plan.node, [plan.input], [plan.output], (buffer) => {
    const [x, y] = [{ buffer: buffer(plan.input) }, { buffer: buffer(plan.output) }];
    if (plan.inner === 1) {
      lowering.call(softmaxRowsKernel, plan.node, { x, y, rows: { dim: plan.outer }, length: { dim: plan.length } });
      return;
    }
    lowering.call(softmaxColumnsKernel, plan.node, { x, y, outer: { dim: plan.outer }, length: { dim: plan.length }, inner: { dim: plan.inner } });
  });
}
