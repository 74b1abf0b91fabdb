/**
 * Flat kernels that compute positions rather than values: Gather (entries
 * of `data` along an axis, picked by i32 indices; out-of-range picks give
 * 0), Range (start + i · delta) and Fill (ConstantOfShape).
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

/** Range: y[i] = start + i · delta, in f32 or i32. */
export function rangeKernel(element: 'f32' | 'i32'): KernelDecl {
  return {
    name: `range_${element}`,
    summary: 'the sequence start + i * delta',
    storage: [{ name: 'y', access: 'read_write', element }],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'start', type: element },
      { name: 'delta', type: element },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    y[e] = u.start + ${element}(e) * u.delta;
  }`,
  };
}

/** Fill: every element set to one value (32-bit elements get its bits as a u32; f16 gets an f32). */
export function fillKernel(element: 'u32' | 'half_t'): KernelDecl {
  return {
    name: `fill_${elementTag(element)}`,
    summary: 'every element set to one value',
    storage: [{ name: 'y', access: 'read_write', element }],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'value', type: element === 'u32' ? 'u32' : 'f32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    y[e] = ${element === 'u32' ? 'u.value' : 'half_t(u.value)'};
  }`,
  };
}
