/**
 * Shared pieces of the flat kernels (one invocation per element, a grid
 * stride over x): the workgroup size, the entry parameters and loop, and
 * the unrolled row-major decomposition of a flat index over up to
 * {@link MAX_RANK} axes whose sizes and strides are uniforms.
 */
import type { UniformDecl } from '../kernel.js';

/** Invocations per workgroup of the flat kernels (the WebGPU default limit). */
export const FLAT_WORKGROUP = 256;

/** The highest rank the strided kernels index (shapes are padded on the left with 1s). */
export const MAX_RANK = 6;

/** Entry parameters of a flat kernel. */
export const FLAT_PARAMS = '@builtin(global_invocation_id) global_id: vec3u, @builtin(num_workgroups) workgroups: vec3u';

/** `for` header visiting every flat index `e` below `count` (a uniform) with a grid stride. */
export function flatLoop(count: string): string {
  return `for (var e = global_id.x; e < u.${count}; e += workgroups.x * ${FLAT_WORKGROUP}u)`;
}

/** Uniform fields `prefix0 .. prefix{MAX_RANK-1}`. */
export function rankFields(prefix: string, type: UniformDecl['type']): UniformDecl[] {
  return Array.from({ length: MAX_RANK }, (_, axis) => ({ name: `${prefix}${axis}`, type }));
}

/** Values for `rankFields(prefix)` from a list already padded to MAX_RANK. */
export function rankValues<T>(prefix: string, values: readonly T[]): Record<string, T> {
  return Object.fromEntries(values.map((value, axis) => [`${prefix}${axis}`, value]));
}

/** Where a decomposition reads its sizes and which flat index it splits. */
export interface IndexSpace {
  /** The flat index variable (default `e`). */
  readonly index?: string;
  /** Uniform prefix of the axis sizes (default `dim`: `u.dim0 .. u.dim5`). */
  readonly dims?: string;
}

/**
 * WGSL statements that split a flat index over the dims `<dims>0..5` and
 * add `index · stride` to each `offset` variable (declared by the caller),
 * with strides `<strides>0..5`. Innermost axis first.
 */
export function decomposeIndex(offsets: readonly { readonly variable: string; readonly strides: string; readonly signed?: boolean }[], space: IndexSpace = {}): string {
  const index = space.index ?? 'e';
  const dims = space.dims ?? 'dim';
  const rest = `${index}_rest`;
  const lines = [`    var ${rest} = ${index};`];
  for (let axis = MAX_RANK - 1; axis >= 0; axis--) {
    const coordinate = `${index}_${axis}`;
    lines.push(`    let ${coordinate} = ${rest} % u.${dims}${axis};`);
    if (axis > 0) lines.push(`    ${rest} = ${rest} / u.${dims}${axis};`);
    for (const offset of offsets) {
      lines.push(`    ${offset.variable} += ${offset.signed ? `i32(${coordinate})` : coordinate} * u.${offset.strides}${axis};`);
    }
  }
  return lines.join('\n');
}
