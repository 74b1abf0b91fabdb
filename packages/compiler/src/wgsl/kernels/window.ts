/**
 * Convolution, transposed convolution and pooling over three spatial axes
 * (depth, height, width; the plan pads lower ranks with axes of size 1):
 * one invocation per output element, looping over the window with bounds
 * checks. Every size is a uniform, so one shader serves every layer.
 *
 * - conv: Σ over the group's input channels and the window of x · w, plus
 *   the bias; positions outside the input read as 0.
 * - conv_transpose: output position p takes input position i through tap k
 *   when p + pb - k·d = i·s.
 * - pool: max or sum over the window's positions inside the input; an
 *   average is multiplied by the reciprocal divisor the plan's counts give
 *   (a table per output position); MaxPool can also write the flat index of
 *   each maximum.
 */
import type { KernelDecl, UniformDecl } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop } from './flat.js';

const AXES = ['d', 'h', 'w'] as const;

/** The window's uniform fields: sizes, kernel, strides, dilations and begin pads per axis. */
export const WINDOW_FIELDS = ['in', 'out', 'k', 's', 'dil', 'pad'] as const;

function windowUniforms(): UniformDecl[] {
  return WINDOW_FIELDS.flatMap((field) => AXES.map((axis) => ({ name: `${field}_${axis}`, type: 'u32' as const })));
}

/** Statements splitting flat output index `e` into o_d, o_h, o_w and the rest (`outer`). */
const SPLIT_OUTPUT = `    let o_w = i32(e % u.out_w);
    let o_h = i32((e / u.out_w) % u.out_h);
    let o_d = i32((e / (u.out_w * u.out_h)) % u.out_d);
    let outer = e / (u.out_w * u.out_h * u.out_d);`;

/** Loops over the window taps a, b, c (depth, height, width) with the input position of each (conv and pool). */
function windowLoops(body: string): string {
  return `for (var a = 0; a < i32(u.k_d); a++) {
        let z = o_d * i32(u.s_d) - i32(u.pad_d) + a * i32(u.dil_d);
        if (z < 0 || z >= i32(u.in_d)) { continue; }
        for (var b = 0; b < i32(u.k_h); b++) {
          let y_ = o_h * i32(u.s_h) - i32(u.pad_h) + b * i32(u.dil_h);
          if (y_ < 0 || y_ >= i32(u.in_h)) { continue; }
          for (var c = 0; c < i32(u.k_w); c++) {
            let x_ = o_w * i32(u.s_w) - i32(u.pad_w) + c * i32(u.dil_w);
            if (x_ < 0 || x_ >= i32(u.in_w)) { continue; }
            let spatial = (u32(z) * u.in_h + u32(y_)) * u.in_w + u32(x_);
            let tap = (u32(a) * u.k_h + u32(b)) * u.k_w + u32(c);
            ${body}
          }
        }
      }`;
}

/** Loops over the taps of a transposed convolution: the input position each tap reads, when it contributes. */
function transposedLoops(body: string): string {
  const axis = (name: string, out: string, index: string, next: string) => `let shifted_${name} = ${out} + i32(u.pad_${name}) - ${index} * i32(u.dil_${name});
          if (shifted_${name} < 0 || shifted_${name} % i32(u.s_${name}) != 0 || shifted_${name} / i32(u.s_${name}) >= i32(u.in_${name})) { continue; }
          ${next}`;
  return `for (var a = 0; a < i32(u.k_d); a++) {
        ${axis('d', 'o_d', 'a', `for (var b = 0; b < i32(u.k_h); b++) {
          ${axis('h', 'o_h', 'b', `for (var c = 0; c < i32(u.k_w); c++) {
            ${axis('w', 'o_w', 'c', `let spatial = (u32(shifted_d / i32(u.s_d)) * u.in_h + u32(shifted_h / i32(u.s_h))) * u.in_w + u32(shifted_w / i32(u.s_w));
            let tap = (u32(a) * u.k_h + u32(b)) * u.k_w + u32(c);
            ${body}`)}
          }`)}
        }`)}
      }`;
}

/** Conv or ConvTranspose on f32 (W is [M, C/group, k...] or [C, M/group, k...]). */
export function convolutionKernel(transposed: boolean, hasBias: boolean): KernelDecl {
  const weightIndex = transposed ? '((channel * u.per_group_out + m % u.per_group_out) * taps + tap)' : '((m * u.per_group_in + ci) * taps + tap)';
  const body = `sum += x[(n * u.in_channels + channel) * in_plane + spatial] * w[${weightIndex}];`;
  const loops = transposed ? transposedLoops(body) : windowLoops(body);
  return {
    name: `${transposed ? 'conv_transpose' : 'conv'}_f32${hasBias ? '_bias' : ''}`,
    summary: `${transposed ? 'transposed ' : ''}convolution, one invocation per output element`,
    storage: [
      { name: 'x', access: 'read', element: 'f32' },
      { name: 'w', access: 'read', element: 'f32' },
      ...(hasBias ? [{ name: 'bias', access: 'read' as const, element: 'f32' as const }] : []),
      { name: 'y', access: 'read_write', element: 'f32' },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'in_channels', type: 'u32' },
      { name: 'out_channels', type: 'u32' },
      { name: 'per_group_in', type: 'u32' },
      { name: 'per_group_out', type: 'u32' },
      ...windowUniforms(),
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  let in_plane = u.in_d * u.in_h * u.in_w;
  let taps = u.k_d * u.k_h * u.k_w;
  ${flatLoop('count')} {
${SPLIT_OUTPUT}
    let m = outer % u.out_channels;
    let n = outer / u.out_channels;
    let first = (m / u.per_group_out) * u.per_group_in;
    var sum = ${hasBias ? 'bias[m]' : '0.0'};
    for (var ci = 0u; ci < u.per_group_in; ci++) {
      let channel = first + ci;
      ${loops}
    }
    y[e] = sum;
  }`,
  };
}

/** MaxPool or AveragePool on f32 (optionally with MaxPool's indices, flat over x, i32 on the GPU). */
export function poolingKernel(reduce: 'max' | 'avg', withIndices: boolean): KernelDecl {
  const isMax = reduce === 'max';
  const update = isMax
    ? `let value = x[outer * in_plane + spatial];
            if (value > best) { best = value; best_at = i32(${withIndices ? 'index_of(spatial)' : 'spatial'}); }`
    : 'best += x[outer * in_plane + spatial];';
  return {
    name: `pool_${reduce}_f32${withIndices ? '_indices' : ''}`,
    summary: `${isMax ? 'maximum' : 'average'} over sliding windows, one invocation per output element`,
    storage: [
      { name: 'x', access: 'read', element: 'f32' },
      ...(isMax ? [] : [{ name: 'reciprocals', access: 'read' as const, element: 'f32' as const }]),
      { name: 'y', access: 'read_write', element: 'f32' },
      ...(withIndices ? [{ name: 'indices', access: 'read_write' as const, element: 'i32' as const }] : []),
    ],
    uniforms: [{ name: 'count', type: 'u32' }, ...windowUniforms(), ...(withIndices ? [{ name: 'by_columns', type: 'u32' as const }] : [])],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    ...(withIndices ? { helpers: INDEX_OF } : {}),
    entryParams: FLAT_PARAMS,
    entryBody: `  let in_plane = u.in_d * u.in_h * u.in_w;
  let out_plane = u.out_d * u.out_h * u.out_w;
  ${flatLoop('count')} {
${SPLIT_OUTPUT}
    var best = ${isMax ? '-3.4028234e38;\n    var best_at = -1' : '0.0'};
    ${windowLoops(update)}
    ${isMax ? 'y[e] = select(0.0, best, best_at >= 0);' : 'y[e] = best * reciprocals[e % out_plane];'}${withIndices ? '\n    indices[e] = select(-1, i32(outer * in_plane) + best_at, best_at >= 0);' : ''}
  }`,
  };
}

/** The flat spatial index of a row-major spatial offset, column-major when asked (storage_order = 1). */
const INDEX_OF = `fn index_of(spatial: u32) -> u32 {
  if (u.by_columns == 0u) { return spatial; }
  let w = spatial % u.in_w;
  let h = (spatial / u.in_w) % u.in_h;
  let d = spatial / (u.in_w * u.in_h);
  return d + h * u.in_d + w * u.in_d * u.in_h;
}`;
