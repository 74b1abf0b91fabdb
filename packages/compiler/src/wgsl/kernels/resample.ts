/**
 * One resampling step of Resize along one axis (lower/plans/resize.ts), one
 * invocation per output element:
 * `y[outer, o, inner] = Σ_j w[o, j] · x[outer, idx[o, j], inner] + c[o]`.
 */
import type { KernelDecl } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop } from './flat.js';

/** The resampling kernel (sizes and tap count are uniforms). */
export function resampleKernel(): KernelDecl {
  return {
    name: 'resample_f32',
    summary: 'Resize along one axis: a weighted sum of taps per output position',
    storage: [
      { name: 'x', access: 'read', element: 'f32' },
      { name: 'indices', access: 'read', element: 'i32' },
      { name: 'weights', access: 'read', element: 'f32' },
      { name: 'constants', access: 'read', element: 'f32' },
      { name: 'y', access: 'read_write', element: 'f32' },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'input', type: 'u32' },
      { name: 'output', type: 'u32' },
      { name: 'inner', type: 'u32' },
      { name: 'width', type: 'u32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    let i = e % u.inner;
    let o = (e / u.inner) % u.output;
    let outer = e / (u.inner * u.output);
    var sum = constants[o];
    for (var j = 0u; j < u.width; j++) {
      sum += weights[o * u.width + j] * x[(outer * u.input + u32(indices[o * u.width + j])) * u.inner + i];
    }
    y[e] = sum;
  }`,
  };
}
