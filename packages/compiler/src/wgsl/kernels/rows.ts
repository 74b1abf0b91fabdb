/**
 * What the kernels that reduce along rows share (LayerNormalization,
 * Softmax): one workgroup of 64 invocations per row (looping over rows with
 * a grid stride), partial results combined by a tree in workgroup memory.
 */

/** Invocations per row. */
export const ROW_WORKGROUP = 64;

/** Entry parameters of a row kernel. */
export const ROW_PARAMS =
  '@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) thread: u32';

/** Tree reductions over the workgroup (callers must be in uniform control flow). */
export const REDUCTIONS = `const THREADS: u32 = ${ROW_WORKGROUP}u;
var<workgroup> partial: array<f32, ${ROW_WORKGROUP}>;

fn workgroup_sum(value: f32, thread: u32) -> f32 {
  partial[thread] = value;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride = stride / 2u) {
    if (thread < stride) { partial[thread] = partial[thread] + partial[thread + stride]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}

fn workgroup_max(value: f32, thread: u32) -> f32 {
  partial[thread] = value;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride = stride / 2u) {
    if (thread < stride) { partial[thread] = max(partial[thread], partial[thread + stride]); }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}`;
