/**
 * The strided copy: `dst[dst_offset + Σ i·t] = src[src_offset + Σ i·s]` over
 * an index space of up to six axes. Transpose, Slice, Split, Concat, Expand
 * and the KV-cache concatenation are all this one shader with different
 * sizes and strides (uniforms). Source strides are signed (negative Slice
 * steps). 32-bit elements are moved as u32 bits, so one shader serves f32,
 * i32 and bool.
 */
import { elementTag } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { decomposeIndex, FLAT_PARAMS, FLAT_WORKGROUP, flatLoop, rankFields } from './flat.js';

/** The copy kernel for an element type. */
export function copyKernel(element: WgslElement): KernelDecl {
  return {
    name: `copy_${elementTag(element)}`,
    summary: 'strided copy over up to six axes (transpose, slice, concat, expand)',
    storage: [
      { name: 'src', access: 'read', element },
      { name: 'dst', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      ...rankFields('dim', 'u32'),
      ...rankFields('src_stride', 'i32'),
      ...rankFields('dst_stride', 'u32'),
      { name: 'src_offset', type: 'i32' },
      { name: 'dst_offset', type: 'u32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: [
      `  ${flatLoop('count')} {`,
      '    var source_at = u.src_offset;',
      '    var target_at = u.dst_offset;',
      decomposeIndex([
        { variable: 'source_at', strides: 'src_stride', signed: true },
        { variable: 'target_at', strides: 'dst_stride' },
      ]),
      '    dst[target_at] = src[u32(source_at)];',
      '  }',
    ].join('\n'),
  };
}
