/**
 * ReduceSum / ReduceMean over any set of axes: one invocation per output
 * element. Its kept coordinates (dims `dim0..5`, the input shape with the
 * reduced axes set to 1) give a base offset; a loop over the reduced
 * sub-space (dims `reduced_dim0..5`) adds the rest. Accumulates in f32
 * (i32 for integer tensors).
 */
import { computeType, elementTag, load, store } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { decomposeIndex, FLAT_PARAMS, FLAT_WORKGROUP, flatLoop, rankFields } from './flat.js';

/** The reduction kernel for an element type; `mean` divides by the reduced count. */
export function reduceKernel(element: WgslElement, mean: boolean): KernelDecl {
  const type = computeType(element);
  const total = mean ? `sum / ${type}(u.reduced_count)` : 'sum';
  return {
    name: `reduce_${mean ? 'mean' : 'sum'}_${elementTag(element)}`,
    summary: `${mean ? 'mean' : 'sum'} over a set of axes`,
    storage: [
      { name: 'x', access: 'read', element },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'reduced_count', type: 'u32' },
      ...rankFields('dim', 'u32'),
      ...rankFields('kept_stride', 'u32'),
      ...rankFields('reduced_dim', 'u32'),
      ...rankFields('reduced_stride', 'u32'),
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: [
      `  ${flatLoop('count')} {`,
      '    var base = 0u;',
      decomposeIndex([{ variable: 'base', strides: 'kept_stride' }]),
      `    var sum = ${type}(0);`,
      '    for (var r = 0u; r < u.reduced_count; r++) {',
      '    var at = base;',
      decomposeIndex([{ variable: 'at', strides: 'reduced_stride' }], { index: 'r', dims: 'reduced_dim' }),
      `    sum += ${load('x', 'at', element)};`,
      '    }',
      `    y[e] = ${store(total, element)};`,
      '  }',
    ].join('\n'),
  };
}
