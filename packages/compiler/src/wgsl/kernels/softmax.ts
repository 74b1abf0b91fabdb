/**
 * Softmax (or LogSoftmax) along one axis, possibly strided, one workgroup
 * per row: the maximum, the sum of exponentials, then the normalised
 * exponentials (or x - max - log(sum)).
 */
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { REDUCTIONS, ROW_PARAMS, ROW_WORKGROUP } from './rows.js';

/** Softmax (or LogSoftmax, `log`) along an axis of `length` elements with stride `inner` (rows = outer · inner). */
export function softmaxKernel(element: WgslElement, log = false): KernelDecl {
  const x = (index: string) => load('x', index, element);
  const result = log ? `${x('base + k * u.inner')} - row_max - log(total)` : `exp(${x('base + k * u.inner')} - row_max) / total`;
  return {
    name: `${log ? 'log_softmax' : 'softmax'}_${elementTag(element)}`,
    summary: `${log ? 'log softmax' : 'softmax'} along one axis, one workgroup per row`,
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
      y[base + k * u.inner] = ${store(result, element)};
    }
  }`,
  };
}
