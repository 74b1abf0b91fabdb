/**
 * Pad (and Tile): one invocation per output element; each axis maps its
 * output coordinate minus the leading pad into the input by the mode
 * (constant: outside gives the value; edge: clamp; reflect: mirror without
 * repeating the edge; wrap: periodic). Up to six axes; sizes, pads and input
 * strides are uniforms.
 */
import type { PadMode } from '@ladon/ir';
import { elementTag } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop, MAX_RANK, rankFields } from './flat.js';

/** The WGSL function mapping `c` into [0, n) for a mode (-1: outside, constant mode). */
function mapFunction(mode: PadMode): string {
  const body: Record<PadMode, string> = {
    constant: 'if (c < 0 || c >= n) { return -1; }\n  return c;',
    edge: 'return clamp(c, 0, n - 1);',
    wrap: 'let r = c % n;\n  return select(r, r + n, r < 0);',
    reflect: 'if (n <= 1) { return 0; }\n  let period = 2 * n - 2;\n  var r = c % period;\n  if (r < 0) { r += period; }\n  return select(r, period - r, r >= n);',
  };
  return `fn source_coordinate(c: i32, n: i32) -> i32 {\n  ${body[mode]}\n}`;
}

/** The pad kernel for an element type and mode; `withValue`: constant mode reads its value from a buffer (else zero). */
export function padKernel(element: WgslElement, mode: PadMode, withValue: boolean): KernelDecl {
  const axes = Array.from({ length: MAX_RANK }, (_, axis) => MAX_RANK - 1 - axis);
  const perAxis = axes.flatMap((axis) => [
    `    let c${axis} = source_coordinate(i32(rest % u.dim${axis}) - u.begin${axis}, i32(u.in_dim${axis}));`,
    `    rest = rest / u.dim${axis};`,
    `    inside = inside && c${axis} >= 0;`,
    `    source += u32(max(c${axis}, 0)) * u.in_stride${axis};`,
  ]);
  const fill = withValue ? 'value[0]' : `${element}()`;
  return {
    name: `pad_${mode}_${elementTag(element)}${withValue ? '_value' : ''}`,
    summary: `${mode} padding over up to six axes (Pad, Tile)`,
    storage: [
      { name: 'x', access: 'read', element },
      ...(withValue ? [{ name: 'value', access: 'read' as const, element }] : []),
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: [{ name: 'count', type: 'u32' }, ...rankFields('dim', 'u32'), ...rankFields('in_dim', 'u32'), ...rankFields('begin', 'i32'), ...rankFields('in_stride', 'u32')],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    helpers: mapFunction(mode),
    entryParams: FLAT_PARAMS,
    entryBody: [`  ${flatLoop('count')} {`, '    var rest = e;', '    var source = 0u;', '    var inside = true;', ...perAxis, `    y[e] = select(${fill}, x[source], inside);`, '  }'].join('\n'),
  };
}
