/**
 * Flat kernels that write computed or constant values: Range
 * (start + i · delta), Fill (ConstantOfShape) and Trilu (keep a triangle of
 * each trailing matrix, zero the rest).
 */
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop } from './flat.js';

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

/** Range reading start and delta from one-element tensors (f32 or f16 elements, computed in f32). */
export function rangeOperandsKernel(element: 'f32' | 'half_t'): KernelDecl {
  return {
    name: `range_operands_${elementTag(element)}`,
    summary: 'the sequence start + i * delta, start and delta read from tensors',
    storage: [
      { name: 'start', access: 'read', element },
      { name: 'delta', access: 'read', element },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [{ name: 'count', type: 'u32' }],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    y[e] = ${store(`${load('start', '0', element)} + f32(e) * ${load('delta', '0', element)}`, element)};
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

/** Trilu: element (r, c) of each trailing [rows, cols] matrix kept when c - r >= k (upper) or <= k (lower), else 0. */
export function triluKernel(element: WgslElement, upper: boolean): KernelDecl {
  return {
    name: `trilu_${upper ? 'upper' : 'lower'}_${elementTag(element)}`,
    summary: 'upper or lower triangle of the trailing matrices',
    storage: [
      { name: 'x', access: 'read', element },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'rows', type: 'u32' },
      { name: 'cols', type: 'u32' },
      { name: 'k', type: 'i32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    let column = i32(e % u.cols);
    let row = i32((e / u.cols) % u.rows);
    let keep = ${upper ? 'column - row >= u.k' : 'column - row <= u.k'};
    y[e] = select(${element}(), x[e], keep);
  }`,
  };
}
