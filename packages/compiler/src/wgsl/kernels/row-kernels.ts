/**
 * Kernels that reduce along rows: one workgroup of 64 invocations per row
 * (looping over rows with a grid stride), partial sums combined by a tree
 * in workgroup memory. LayerNormalization (mean, variance, scale and
 * shift over the trailing axes) and Softmax (max, sum of exponentials over
 * one axis, possibly strided).
 */
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';

const ROW_WORKGROUP = 64;

const ROW_PARAMS =
  '@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) thread: u32';

/** Tree reductions over the workgroup (callers must be in uniform control flow). */
const REDUCTIONS = `const THREADS: u32 = ${ROW_WORKGROUP}u;
var<workgroup> partial: array<f32, ${ROW_WORKGROUP}>;

fn workgroup_sum(value: f32, thread: u32) -> f32 {
  partial[thread] = value;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride = stride / 2u) {
    if (thread < stride) { partial[thread] = partial[thread] + partial[thread + stride]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}

fn workgroup_max(value: f32, thread: u32) -> f32 {
  partial[thread] = value;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride = stride / 2u) {
    if (thread < stride) { partial[thread] = max(partial[thread], partial[thread + stride]); }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}`;

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

/** Softmax along an axis of `length` elements with stride `inner` (rows = outer · inner). */
export function softmaxKernel(element: WgslElement): KernelDecl {
  const x = (index: string) => load('x', index, element);
  return {
    name: `softmax_${elementTag(element)}`,
    summary: 'softmax along one axis, one workgroup per row',
    storage: [
      { name: 'x', access: 'read', element },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'rows', type: 'u32' },
      { name: 'axis_length', type: 'u32' },
      { name: 'inner', type: 'u32' },
    ],
    workgroupSize: [ROW_WORKGROUP, 1, 1],
    workgroupStorageBytes: ROW_WORKGROUP * 4,
    gridStride: true,
    helpers: REDUCTIONS,
    entryParams: ROW_PARAMS,
    entryBody: `  for (var row = group.x; row < u.rows; row += groups.x) {
    let base = (row / u.inner) * u.axis_length * u.inner + row % u.inner;
    var largest = -3.402823e38;
    for (var k = thread; k < u.axis_length; k += THREADS) { largest = max(largest, ${x('base + k * u.inner')}); }
    let row_max = workgroup_max(largest, thread);
    var sum = 0.0;
    for (var k = thread; k < u.axis_length; k += THREADS) { sum += exp(${x('base + k * u.inner')} - row_max); }
    let total = workgroup_sum(sum, thread);
    for (var k = thread; k < u.axis_length; k += THREADS) {
      y[base + k * u.inner] = ${store(`exp(${x('base + k * u.inner')} - row_max) / total`, element)};
    }
  }`,
  };
}
