/**
 * Channel normalisation (BatchNormalization with computed statistics or in
 * training mode, InstanceNormalization, GroupNormalization) in two kernels:
 *
 * - `channel_norm_stats_*`: one invocation per statistics group writes its
 *   mean and 1 / sqrt(var + epsilon) into a [groups, 2] scratch (two-pass
 *   variance; `given` reads them from the inputs), and in training mode the
 *   running statistics;
 * - `channel_norm_apply`: one invocation per element,
 *   y = (x - mean) · inverse · scale[p] + bias[p].
 *
 * A statistics group covers `spans` blocks of `span` consecutive elements,
 * `stride` apart, from `first`: per (image, group) one block of (C/G) ·
 * plane elements; per channel over the batch, one plane per image.
 */
import { f32Literal } from '../elements.js';
import type { KernelDecl } from '../kernel.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop } from './flat.js';

/** Where the statistics come from (see lower/plans/channel-norm.ts). */
export type StatisticsKind = 'given' | 'batch' | 'groups';

/** The statistics kernel. */
export function channelStatsKernel(kind: StatisticsKind, running: boolean, momentum: number): KernelDecl {
  const computed = `      var sum = 0.0;
      for (var s = 0u; s < spans; s++) { for (var i = 0u; i < span; i++) { sum += x[first + s * stride + i]; } }
      let mean = sum / f32(spans * span);
      var squares = 0.0;
      for (var s = 0u; s < spans; s++) { for (var i = 0u; i < span; i++) { let d = x[first + s * stride + i] - mean; squares += d * d; } }
      let variance = squares / f32(spans * span);`;
  const update = running
    ? `
      running_mean[e] = given_mean[e] * ${f32Literal(momentum)} + mean * ${f32Literal(1 - momentum)};
      running_variance[e] = given_variance[e] * ${f32Literal(momentum)} + variance * ${f32Literal(1 - momentum)};`
    : '';
  const geometry =
    kind === 'groups'
      ? '      let spans = 1u;\n      let span = u.plane * u.per_group;\n      let stride = 0u;\n      let first = e * span;'
      : '      let spans = u.batch;\n      let span = u.plane;\n      let stride = u.channels * u.plane;\n      let first = e * u.plane;';
  const body = kind === 'given' ? '      let mean = given_mean[e];\n      let variance = given_variance[e];' : `${geometry}\n${computed}${update}`;
  const readsGiven = kind !== 'groups';
  return {
    name: `channel_norm_stats_${kind}${running ? '_running' : ''}`,
    summary: 'channel normalisation: mean and inverse deviation per statistics group',
    storage: [
      { name: 'x', access: 'read', element: 'f32' },
      ...(readsGiven ? [{ name: 'given_mean', access: 'read' as const, element: 'f32' as const }, { name: 'given_variance', access: 'read' as const, element: 'f32' as const }] : []),
      { name: 'stats', access: 'read_write', element: 'f32' },
      ...(running ? [{ name: 'running_mean', access: 'read_write' as const, element: 'f32' as const }, { name: 'running_variance', access: 'read_write' as const, element: 'f32' as const }] : []),
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'batch', type: 'u32' },
      { name: 'channels', type: 'u32' },
      { name: 'per_group', type: 'u32' },
      { name: 'plane', type: 'u32' },
      { name: 'epsilon', type: 'f32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
${body}
      stats[2u * e] = mean;
      stats[2u * e + 1u] = 1.0 / sqrt(variance + u.epsilon);
  }`,
  };
}

/** The normalising kernel: element e of channel c uses statistics group `stat` and parameter `p`. */
export function channelApplyKernel(kind: StatisticsKind, perGroupParameters: boolean): KernelDecl {
  const stat = kind === 'groups' ? '(e / (u.plane * u.channels)) * (u.channels / u.per_group) + c / u.per_group' : 'c';
  const parameter = perGroupParameters ? 'c / u.per_group' : 'c';
  return {
    name: `channel_norm_apply_${kind === 'groups' ? 'groups' : 'channels'}${perGroupParameters ? '_pg' : ''}`,
    summary: 'channel normalisation: (x - mean) · inverse · scale + bias',
    storage: [
      { name: 'x', access: 'read', element: 'f32' },
      { name: 'stats', access: 'read', element: 'f32' },
      { name: 'scale', access: 'read', element: 'f32' },
      { name: 'bias', access: 'read', element: 'f32' },
      { name: 'y', access: 'read_write', element: 'f32' },
    ],
    uniforms: [
      { name: 'count', type: 'u32' },
      { name: 'channels', type: 'u32' },
      { name: 'per_group', type: 'u32' },
      { name: 'plane', type: 'u32' },
    ],
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    entryParams: FLAT_PARAMS,
    entryBody: `  ${flatLoop('count')} {
    let c = (e / u.plane) % u.channels;
    let s = ${stat};
    let p = ${parameter};
    y[e] = (x[e] - stats[2u * s]) * stats[2u * s + 1u] * scale[p] + bias[p];
  }`,
  };
}
