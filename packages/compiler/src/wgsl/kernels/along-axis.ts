/**
 * Kernels that work along each line of an [outer, length, inner] view
 * (see lower/plans/along-axis.ts), one invocation per line.
 *
 * - `select_<element>_<largest|smallest>_<first|last>`: the k best elements
 *   of the line, best first, and their indices (i32 on the GPU), by
 *   insertion into the outputs (TopK, ArgMax, ArgMin).
 * - `scan_<element>[_exclusive][_reverse]`: running sums (CumSum), in f32
 *   for floats, i32 for integers.
 */
import { computeType, elementTag, load, store } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop } from './flat.js';

/** What a select kernel bakes in. */
export interface SelectSpec {
  readonly element: WgslElement;
  readonly largest: boolean;
  readonly ties: 'first' | 'last';
}

const LINE = `    let outer = e / u.inner;
    let position = e % u.inner;`;

/** The select kernel. */
export function selectKernel(spec: SelectSpec): KernelDecl {
  const { element } = spec;
  const operator = spec.largest ? (spec.ties === 'first' ? '>' : '>=') : spec.ties === 'first' ? '<' : '<=';
  const kept = (rank: string) => `(outer * u.k + ${rank}) * u.inner + position`;
  return {
    name: `select_${elementTag(element)}_${spec.largest ? 'largest' : 'smallest'}_${spec.ties}`,
    summary: 'the k best elements of each line and their indices',
    storage: [
      { name: 'x', access: 'read', element },
      { name: 'values', access: 'read_write', element },
      { name: 'indices', access: 'read_write', element: 'i32' },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'length', type: 'u32' },
      { name: 'inner', type: 'u32' },
      { name: 'k', type: 'u32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  if (u.k == 0u) { return; }
  ${flatLoop('count')} {
${LINE}
    var kept = 0u;
    for (var j = 0u; j < u.length; j++) {
      let value = ${load('x', '(outer * u.length + j) * u.inner + position', element)};
      var slot = u.k - 1u;
      if (kept < u.k) {
        slot = kept;
        kept++;
      } else if (!(value ${operator} ${load('values', kept('slot'), element)})) {
        continue;
      }
      loop {
        if (slot == 0u) { break; }
        let above = ${kept('slot - 1u')};
        if (!(value ${operator} ${load('values', 'above', element)})) { break; }
        values[${kept('slot')}] = values[above];
        indices[${kept('slot')}] = indices[above];
        slot--;
      }
      values[${kept('slot')}] = ${store('value', element)};
      indices[${kept('slot')}] = i32(j);
    }
  }`,
  };
}

/** What a scan kernel bakes in. */
export interface ScanSpec {
  readonly element: WgslElement;
  readonly exclusive: boolean;
  readonly reverse: boolean;
}

/** The scan kernel. */
export function scanKernel(spec: ScanSpec): KernelDecl {
  const { element } = spec;
  const type = computeType(element);
  const step = spec.reverse ? 'u.length - 1u - step' : 'step';
  const update = spec.exclusive
    ? [`      y[at] = ${store('running', element)};`, `      running += ${load('x', 'at', element)};`]
    : [`      running += ${load('x', 'at', element)};`, `      y[at] = ${store('running', element)};`];
  return {
    name: `scan_${elementTag(element)}${spec.exclusive ? '_exclusive' : ''}${spec.reverse ? '_reverse' : ''}`,
    summary: 'running sums along each line',
    storage: [
      { name: 'x', access: 'read', element },
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'length', type: 'u32' },
      { name: 'inner', type: 'u32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: [
      `  ${flatLoop('count')} {`,
      LINE,
      `    var running = ${type}(0);`,
      '    for (var step = 0u; step < u.length; step++) {',
      `      let at = (outer * u.length + ${step}) * u.inner + position;`,
      ...update,
      '    }',
      '  }',
    ].join('\n'),
  };
}
