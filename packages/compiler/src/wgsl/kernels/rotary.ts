/**
 * The RotaryEmbedding kernel (see lower/plans/rotary.ts): one invocation
 * per output element of the logical [B, H, S, D] view. A feature below R
 * reads its pair's two inputs and the angle of its row's position (position
 * ids as i32 on the GPU, clamped to the caches' rows); the others are
 * copied.
 */
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, WgslElement } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop } from './flat.js';

/** What the rotary kernel bakes in. */
export interface RotarySpec {
  readonly element: WgslElement;
  readonly rotaryDim: number;
  readonly interleaved: boolean;
  readonly positionIds: boolean;
}

/** The feature index of (pair, second?) as WGSL expressions. */
function pairFeatures(spec: RotarySpec): { pair: string; second: string; partner: string } {
  const half = spec.rotaryDim / 2;
  return spec.interleaved
    ? { pair: 'd / 2u', second: '(d % 2u) == 1u', partner: '(d ^ 1u)' }
    : { pair: `d % ${half}u`, second: `d >= ${half}u`, partner: `select(d + ${half}u, d - ${half}u, d >= ${half}u)` };
}

/** The rotary-embedding kernel. */
export function rotaryKernel(spec: RotarySpec): KernelDecl {
  const { element } = spec;
  const features = pairFeatures(spec);
  const position = spec.positionIds ? 'u32(clamp(positions[flat], 0i, i32(u.cache_rows) - 1i))' : 'flat';
  return {
    name: `rotary_${elementTag(element)}_r${spec.rotaryDim}${spec.interleaved ? '_interleaved' : ''}${spec.positionIds ? '_positions' : ''}`,
    summary: 'rotary position embedding of head features',
    storage: [
      { name: 'x', access: 'read', element },
      { name: 'cos_cache', access: 'read', element },
      { name: 'sin_cache', access: 'read', element },
      ...(spec.positionIds ? [{ name: 'positions', access: 'read' as const, element: 'i32' as const }] : []),
      { name: 'y', access: 'read_write', element },
    ],
    uniforms: ['count', 'heads', 'sequence', 'head_size', 'stride_b', 'stride_h', 'stride_s', 'cache_rows'].map((name) => ({ name, type: 'u32' as const })),
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    let d = e % u.head_size;
    let s = (e / u.head_size) % u.sequence;
    let h = (e / (u.head_size * u.sequence)) % u.heads;
    let b = e / (u.head_size * u.sequence * u.heads);
    let row = b * u.stride_b + h * u.stride_h + s * u.stride_s;
    if (d >= ${spec.rotaryDim}u) {
      y[row + d] = x[row + d];
      continue;
    }
    let flat = b * u.sequence + s;
    let angle = ${position} * ${spec.rotaryDim / 2}u + ${features.pair};
    let c = ${load('cos_cache', 'angle', element)};
    let sn = ${load('sin_cache', 'angle', element)};
    let own = ${load('x', 'row + d', element)};
    let partner = ${load('x', `row + ${features.partner}`, element)};
    // the first of a pair gives c·x1 - s·x2, the second s·x1 + c·x2
    let value = select(c * own - sn * partner, sn * partner + c * own, ${features.second});
    y[row + d] = ${store('value', element)};
  }`,
  };
}
