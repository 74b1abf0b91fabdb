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

/** Training-mode Dropout on f32: y[e] = x[e] * scale where dropout_hash(seed, e) >= threshold (the reference's hash), else 0; the mask when asked. */
export function dropoutKernel(withMask: boolean): KernelDecl {
  return {
    name: `dropout_f32${withMask ? '_mask' : ''}`,
    summary: 'training-mode dropout with a hashed mask',
    storage: [
      { name: 'x', access: 'read', element: 'f32' },
      { name: 'y', access: 'read_write', element: 'f32' },
      ...(withMask ? [{ name: 'mask', access: 'read_write' as const, element: 'u32' as const }] : []),
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'seed', type: 'u32' },
      { name: 'threshold', type: 'u32' },
      { name: 'scale', type: 'f32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    helpers: `fn dropout_hash(seed: u32, index: u32) -> u32 {
  var h = (index * 0x9e3779b9u) ^ seed;
  h ^= h >> 16u;
  h *= 0x7feb352du;
  h ^= h >> 15u;
  h *= 0x846ca68bu;
  h ^= h >> 16u;
  return h;
}`,
    entryParams: FLAT_PARAMS,
    entryBody: [
      `  ${flatLoop('count')} {`,
      '    let keep = dropout_hash(u.seed, e) >= u.threshold;',
      '    y[e] = select(0.0, x[e] * u.scale, keep);',
      ...(withMask ? ['    mask[e] = select(0u, 1u, keep);'] : []),
      '  }',
    ].join('\n'),
  };
}
