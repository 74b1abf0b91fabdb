/**
 * Kernels that address elements through an i32 index tensor (negative
 * indices count from the end; out-of-range ones clamp into the axis):
 * GatherElements and GatherND read, one invocation per output element;
 * ScatterElements and ScatterND write into an output that already holds
 * data. Scatters keep ONNX's order: ScatterND runs one invocation per slice
 * element and loops over the tuples in order; ScatterElements one per
 * coordinate off the indexed axis, looping along it (updates that can land
 * on the same element always share an invocation). Shapes of up to six
 * axes, and up to six indices per tuple; sizes and strides are uniforms.
 */
import type { ScatterReduction } from '@ladon/ir';
import { elementTag } from '../elements.js';
import type { KernelDecl, StorageDecl, UniformDecl, WgslElement } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop, MAX_RANK, rankFields } from './flat.js';

/** The most indices per tuple the GatherND/ScatterND kernels read. */
export const MAX_TUPLE_DEPTH = MAX_RANK;

const WRAP = `fn wrap_index(index: i32, size: u32) -> u32 {
  let wrapped = select(index, index + i32(size), index < 0);
  return u32(clamp(wrapped, 0, i32(size) - 1));
}`;

const axesDown = (): number[] => Array.from({ length: MAX_RANK }, (_, axis) => MAX_RANK - 1 - axis);

/** `y[place]` combined with `value` by the reduction, as a WGSL statement. */
function combine(reduction: ScatterReduction, place: string, value: string): string {
  switch (reduction) {
    case 'none':
      return `y[${place}] = ${value};`;
    case 'add':
      return `y[${place}] = y[${place}] + ${value};`;
    case 'mul':
      return `y[${place}] = y[${place}] * ${value};`;
    case 'max':
    case 'min':
      return `y[${place}] = ${reduction}(y[${place}], ${value});`;
  }
}

/** GatherElements: y[e] reads data at e's coordinates with the `axis` one from indices[e]. */
export function gatherElementsKernel(element: WgslElement): KernelDecl {
  const perAxis = axesDown().flatMap((axis) => [
    `    let c${axis} = rest % u.dim${axis};`,
    `    rest = rest / u.dim${axis};`,
    `    source += select(c${axis}, pick, ${axis}u == u.axis) * u.data_stride${axis};`,
  ]);
  return {
    name: `gather_elements_${elementTag(element)}`,
    summary: 'data picked element by element along an axis',
    storage: [
      { name: 'data', access: 'read', element },
      { name: 'indices', access: 'read', element: 'i32' },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [{ name: 'count', type: 'u32' }, ...rankFields('dim', 'u32'), ...rankFields('data_stride', 'u32'), { name: 'axis', type: 'u32' }, { name: 'axis_size', type: 'u32' }],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    helpers: WRAP,
    entryParams: FLAT_PARAMS,
    entryBody: [`  ${flatLoop('count')} {`, '    let pick = wrap_index(indices[e], u.axis_size);', '    var rest = e;', '    var source = 0u;', ...perAxis, '    y[e] = data[source];', '  }'].join('\n'),
  };
}

const TUPLE_UNIFORMS: readonly UniformDecl[] = [
  { name: 'tuples', type: 'u32' },
  { name: 'batch_stride', type: 'u32' },
  { name: 'slice', type: 'u32' },
  { name: 'depth', type: 'u32' },
  ...rankFields('k', 'u32'),
  ...rankFields('t', 'u32'),
];

/** WGSL statements adding tuple `tuple`'s offset (from `depth` indices) to `offset`. */
function tupleOffset(tuple: string): string {
  return Array.from({ length: MAX_TUPLE_DEPTH }, (_, k) => `    if (${k}u < u.depth) { offset += wrap_index(indices[${tuple} * u.depth + ${k}u], u.k${k}) * u.t${k}; }`).join('\n');
}

/** GatherND: y[e] is element e % slice of the slice tuple e / slice addresses (batch = tuple / tuples). */
export function gatherNdKernel(element: WgslElement): KernelDecl {
  return {
    name: `gather_nd_${elementTag(element)}`,
    summary: 'slices of data picked by coordinate tuples',
    storage: [
      { name: 'data', access: 'read', element },
      { name: 'indices', access: 'read', element: 'i32' },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [{ name: 'count', type: 'u32' }, ...TUPLE_UNIFORMS],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    helpers: WRAP,
    entryParams: FLAT_PARAMS,
    entryBody: [`  ${flatLoop('count')} {`, '    let tuple = e / u.slice;', '    var offset = (tuple / u.tuples) * u.batch_stride;', tupleOffset('tuple'), '    y[e] = data[offset + e % u.slice];', '  }'].join('\n'),
  };
}

function scatterStorage(element: WgslElement): StorageDecl[] {
  return [
    { name: 'indices', access: 'read', element: 'i32' },
    { name: 'updates', access: 'read', element },
    { name: 'y', access: 'read_write', element },
  ];
}

/** ScatterND: invocation e (< slice) writes element e of every tuple's slice, tuples in order. */
export function scatterNdKernel(element: WgslElement, reduction: ScatterReduction): KernelDecl {
  return {
    name: `scatter_nd_${reduction}_${elementTag(element)}`,
    summary: `slices of updates written at coordinate tuples (${reduction})`,
    storage: scatterStorage(element),
    uniforms: [{ name: 'count', type: 'u32' }, ...TUPLE_UNIFORMS],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    helpers: WRAP,
    entryParams: FLAT_PARAMS,
    entryBody: [
      `  ${flatLoop('count')} {`,
      '    for (var tuple = 0u; tuple < u.tuples; tuple++) {',
      '      var offset = 0u;',
      tupleOffset('tuple'),
      `      ${combine(reduction, 'offset + e', 'updates[tuple * u.slice + e]')}`,
      '    }',
      '  }',
    ].join('\n'),
  };
}

/**
 * ScatterElements: invocation e walks one coordinate off the axis (`dim`
 * has 1 on the axis) and loops along the axis over the updates in order.
 */
export function scatterElementsKernel(element: WgslElement, reduction: ScatterReduction): KernelDecl {
  const perAxis = axesDown().flatMap((axis) => [
    `    let c${axis} = rest % u.dim${axis};`,
    `    rest = rest / u.dim${axis};`,
    `    base += c${axis} * u.data_stride${axis};`,
    `    first += c${axis} * u.index_stride${axis};`,
  ]);
  return {
    name: `scatter_elements_${reduction}_${elementTag(element)}`,
    summary: `updates written element by element along an axis (${reduction})`,
    storage: scatterStorage(element),
    uniforms: [
      { name: 'count', type: 'u32' },
      ...rankFields('dim', 'u32'),
      ...rankFields('data_stride', 'u32'),
      ...rankFields('index_stride', 'u32'),
      { name: 'axis_count', type: 'u32' },
      { name: 'axis_size', type: 'u32' },
      { name: 'axis_data_stride', type: 'u32' },
      { name: 'axis_index_stride', type: 'u32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    helpers: WRAP,
    entryParams: FLAT_PARAMS,
    entryBody: [
      `  ${flatLoop('count')} {`,
      '    var rest = e;',
      '    var base = 0u;',
      '    var first = 0u;',
      ...perAxis,
      '    for (var j = 0u; j < u.axis_count; j++) {',
      '      let at = first + j * u.axis_index_stride;',
      '      let place = base + wrap_index(indices[at], u.axis_size) * u.axis_data_stride;',
      `      ${combine(reduction, 'place', 'updates[at]')}`,
      '    }',
      '  }',
    ].join('\n'),
  };
}
