/**
 * LayerNormalization, one workgroup per row: mean, variance, then
 * (x - mean) / sqrt(variance + epsilon) · scale + bias over the trailing
 * `size` elements.
 */
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { REDUCTIONS, ROW_PARAMS, ROW_WORKGROUP } from './rows.js';

/** Mean, variance, then (x - mean) / sqrt(variance + epsilon) · scale + bias, per row. */
function layerNormBody(element: WgslElement, hasBias: boolean): string {
  const x = (index: string) => load('x', index, element);
  const bias = hasBias ? ` + ${load('bias', 'k % u.bias_count', element)}` : '';
  return `  for (var row = group.x; row < u.rows; row += groups.x) {
    let base = row * u.size;
    var sum = 0.0;
    for (var k = thread; k < u.size; k += THREADS) { sum += ${x('base + k')}; }
    let mean = workgroup_sum(sum, thread) / f32(u.size);
    var squares = 0.0;
    for (var k = thread; k < u.size; k += THREADS) {
      let centered = ${x('base + k')} - mean;
      squares += centered * centered;
    }
    let variance = workgroup_sum(squares, thread) / f32(u.size);
    let inverse = 1.0 / sqrt(variance + u.epsilon);
    for (var k = thread; k < u.size; k += THREADS) {
      let normalized = (${x('base + k')} - mean) * inverse;
      y[base + k] = ${store(`normalized * ${load('scale', 'k % u.scale_count', element)}${bias}`, element)};
    }
  }`;
}

/** LayerNormalization over rows of `size` elements; scale/bias index by `k % count` (leading broadcast). */
export function layerNormKernel(element: WgslElement, hasBias: boolean): KernelDecl {
  return {
    name: `layer_norm_${elementTag(element)}${hasBias ? '_bias' : ''}`,
    summary: 'layer normalization, one workgroup per row',
    storage: [
      { name: 'x', access: 'read', element },
      { name: 'scale', access: 'read', element },
      ...(hasBias ? [{ name: 'bias', access: 'read' as const, element }] : []),
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'rows', type: 'u32' },
      { name: 'size', type: 'u32' },
      { name: 'scale_count', type: 'u32' },
      ...(hasBias ? [{ name: 'bias_count', type: 'u32' as const }] : []),
      { name: 'epsilon', type: 'f32' },
    ],
    workgroupSize: [ROW_WORKGROUP, 1, 1],
    workgroupStorageBytes: ROW_WORKGROUP * 4,
    gridStride: true,
    helpers: REDUCTIONS,
    entryParams: ROW_PARAMS,
    entryBody: layerNormBody(element, hasBias),
  };
}
