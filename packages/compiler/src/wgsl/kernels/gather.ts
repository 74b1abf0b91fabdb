/**
 * Gather: entries of `data` along an axis picked by i32 indices (negative
 * indices count from the end; out-of-range picks give 0); OneHot, which
 * compares an index with each position of a new axis.
 */
import { elementTag } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop } from './flat.js';

/** Gather: data viewed as [outer, axis_dim, inner], output as [outer, index_count, inner]. */
export function gatherKernel(element: WgslElement): KernelDecl {
  return {
    name: `gather_${elementTag(element)}`,
    summary: 'entries of data along an axis picked by indices',
    storage: [
      { name: 'data', access: 'read', element },
      { name: 'indices', access: 'read', element: 'i32' },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'inner', type: 'u32' },
      { name: 'index_count', type: 'u32' },
      { name: 'axis_dim', type: 'u32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    let position = e % u.inner;
    let pick = (e / u.inner) % u.index_count;
    let outer = e / (u.inner * u.index_count);
    var index = indices[pick];
    if (index < 0) { index += i32(u.axis_dim); }
    if (index >= 0 && u32(index) < u.axis_dim) {
      y[e] = data[(outer * u.axis_dim + u32(index)) * u.inner + position];
    } else {
      y[e] = ${element}();
    }
  }`,
  };
}

/** OneHot: y viewed as [outer, depth, inner]; on (values[1]) where indices[o, i] (truncated, negative from the end) picks j, else off (values[0]). */
export function oneHotKernel(element: WgslElement, indexElement: WgslElement): KernelDecl {
  return {
    name: `one_hot_${elementTag(element)}_${elementTag(indexElement)}`,
    summary: 'a one-hot axis: on where the index picks the position, off elsewhere',
    storage: [
      { name: 'indices', access: 'read', element: indexElement },
      { name: 'values', access: 'read', element },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'inner', type: 'u32' },
      { name: 'depth', type: 'u32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    let position = e % u.inner;
    let j = i32((e / u.inner) % u.depth);
    let outer = e / (u.inner * u.depth);
    var index = i32(indices[outer * u.inner + position]);
    if (index < 0) { index += i32(u.depth); }
    y[e] = values[select(0u, 1u, index == j)];
  }`,
  };
}
