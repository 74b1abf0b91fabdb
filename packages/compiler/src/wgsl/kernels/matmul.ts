/**
 * Tiled matrix multiply for MatMul, FusedMatMul, Gemm and Linear:
 *
 *   Y[z, m, n] = alpha · Σ_k A(z, m, k) · B(z, k, n)  (+ beta · C(m, n))
 *
 * A workgroup of 16×16 invocations computes a 32×32 tile of Y, each
 * invocation a 2×2 block (rows ty, ty+16; columns tx, tx+16). K advances in
 * slabs of 16: the 32×16 slab of A and the 16×32 slab of B are staged in
 * workgroup memory, so every element read from storage is used 32 times.
 * A and B are addressed through strides (uniforms), so transposed operands
 * (FusedMatMul transA/transB, Linear's [N, K] weight) need no copy, and the
 * batch index z is split over up to four broadcast batch axes. C is read
 * through strides too (0 on broadcast axes: Linear's bias is C = [N]).
 */
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, UniformDecl, WgslElement } from '../kernel.js';

/** Output rows and columns per workgroup. */
export const MATMUL_TILE = 32;
/** Batch axes the kernel splits z over. */
export const MATMUL_BATCH_RANK = 4;

const SLAB = 16;

/** Compile-time variant of the matmul kernel. */
export interface MatMulVariant {
  /** Element of A, B, C and Y. */
  readonly element: WgslElement;
  /** True when a C operand is added (bias). */
  readonly hasC: boolean;
}

function batchFields(prefix: string): UniformDecl[] {
  return Array.from({ length: MATMUL_BATCH_RANK }, (_, axis) => ({ name: `${prefix}${axis}`, type: 'u32' as const }));
}

/** The matmul kernel of a variant. */
export function matmulKernel(variant: MatMulVariant): KernelDecl {
  const { element, hasC } = variant;
  const uniforms: UniformDecl[] = [
    { name: 'm', type: 'u32' },
    { name: 'n', type: 'u32' },
    { name: 'k', type: 'u32' },
    ...batchFields('batch_dim'),
    ...batchFields('a_batch_stride'),
    ...batchFields('b_batch_stride'),
    { name: 'a_stride_m', type: 'u32' },
    { name: 'a_stride_k', type: 'u32' },
    { name: 'b_stride_k', type: 'u32' },
    { name: 'b_stride_n', type: 'u32' },
    { name: 'alpha', type: 'f32' },
  ];
  if (hasC) uniforms.push({ name: 'c_stride_m', type: 'u32' }, { name: 'c_stride_n', type: 'u32' }, { name: 'beta', type: 'f32' });
  return {
    name: `matmul_${elementTag(element)}${hasC ? '_c' : ''}`,
    summary: 'tiled matrix multiply, 32x32 tiles staged through workgroup memory',
    storage: [
      { name: 'a', access: 'read', element },
      { name: 'b', access: 'read', element },
      ...(hasC ? [{ name: 'c', access: 'read' as const, element }] : []),
      { name: 'y', access: 'read_write', element },
    ],
    uniforms,
    workgroupSize: [16, 16, 1],
    workgroupStorageBytes: 2 * MATMUL_TILE * SLAB * 4,
    helpers: matmulHelpers(element),
    entryParams: '@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u',
    entryBody: matmulBody(element, hasC),
  };
}

function matmulHelpers(element: WgslElement): string {
  return `const TILE: u32 = ${MATMUL_TILE}u;
const SLAB: u32 = ${SLAB}u;
var<workgroup> a_tile: array<f32, ${MATMUL_TILE * SLAB}>;
var<workgroup> b_tile: array<f32, ${MATMUL_TILE * SLAB}>;

// Offsets of batch z in A and B: z split over the batch axes (outermost first).
fn batch_offsets(z: u32) -> vec2u {
  var rest = z;
  var offsets = vec2u(0u, 0u);
  let i3 = rest % u.batch_dim3; rest = rest / u.batch_dim3;
  let i2 = rest % u.batch_dim2; rest = rest / u.batch_dim2;
  let i1 = rest % u.batch_dim1; rest = rest / u.batch_dim1;
  let i0 = rest;
  offsets.x = i0 * u.a_batch_stride0 + i1 * u.a_batch_stride1 + i2 * u.a_batch_stride2 + i3 * u.a_batch_stride3;
  offsets.y = i0 * u.b_batch_stride0 + i1 * u.b_batch_stride1 + i2 * u.b_batch_stride2 + i3 * u.b_batch_stride3;
  return offsets;
}

// Stages A[row0.., k0..] (32x16) and B[k0.., col0..] (16x32); zeros outside the matrices.
fn stage_slabs(base: vec2u, row0: u32, col0: u32, k0: u32, thread: u32) {
  for (var r = 0u; r < 2u; r++) {
    let e = thread + r * 256u;
    let row = row0 + e / SLAB;
    let ka = k0 + e % SLAB;
    var a_value = 0.0;
    if (row < u.m && ka < u.k) { a_value = ${load('a', 'base.x + row * u.a_stride_m + ka * u.a_stride_k', element)}; }
    a_tile[e] = a_value;
    let kb = k0 + e / TILE;
    let col = col0 + e % TILE;
    var b_value = 0.0;
    if (kb < u.k && col < u.n) { b_value = ${load('b', 'base.y + kb * u.b_stride_k + col * u.b_stride_n', element)}; }
    b_tile[e] = b_value;
  }
}`;
}

function matmulBody(element: WgslElement, hasC: boolean): string {
  const bias = hasC ? ` + u.beta * ${load('c', 'row * u.c_stride_m + col * u.c_stride_n', element)}` : '';
  return `  let base = batch_offsets(group.z);
  let row0 = group.y * TILE;
  let col0 = group.x * TILE;
  let thread = local.y * 16u + local.x;
  var acc = array<f32, 4>(0.0, 0.0, 0.0, 0.0);
  for (var k0 = 0u; k0 < u.k; k0 += SLAB) {
    workgroupBarrier();
    stage_slabs(base, row0, col0, k0, thread);
    workgroupBarrier();
    for (var kk = 0u; kk < SLAB; kk++) {
      let a0 = a_tile[local.y * SLAB + kk];
      let a1 = a_tile[(local.y + 16u) * SLAB + kk];
      let b0 = b_tile[kk * TILE + local.x];
      let b1 = b_tile[kk * TILE + local.x + 16u];
      acc[0] += a0 * b0;
      acc[1] += a0 * b1;
      acc[2] += a1 * b0;
      acc[3] += a1 * b1;
    }
  }
  let out_base = group.z * u.m * u.n;
  for (var i = 0u; i < 4u; i++) {
    let row = row0 + local.y + (i / 2u) * 16u;
    let col = col0 + local.x + (i % 2u) * 16u;
    if (row < u.m && col < u.n) {
      y[out_base + row * u.n + col] = ${store(`u.alpha * acc[i]${bias}`, element)};
    }
  }`;
}
