/**
 * Channel normalisation plans: BatchNormalization, InstanceNormalization
 * and GroupNormalization all compute `(x - mean) / sqrt(var + epsilon) ·
 * scale[c] + bias[c]` on [N, C, spatial...]; they differ in where the
 * statistics come from:
 *
 * - `given`: BatchNormalization in inference mode reads mean and variance
 *   per channel (a BatchNormalization on constants is folded into its Conv
 *   or into a multiply-add before lowering; this plan is for computed ones);
 * - `batch`: BatchNormalization in training mode, per channel over every
 *   image (and it writes the running statistics);
 * - `groups`: per (image, group of C/G consecutive channels), a contiguous
 *   span (InstanceNormalization is G = C).
 */
import { normalizationGroups, productOfDims, type Dim, type Node } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** Where the statistics of a channel normalisation come from. */
export type StatisticsSource = 'given' | 'batch' | 'groups';

/** The plan of one channel normalisation. */
export interface ChannelNormPlan {
  readonly kind: 'channel-norm';
  readonly node: Node;
  readonly statistics: StatisticsSource;
  readonly x: string;
  readonly y: string;
  readonly scale: string;
  readonly bias: string;
  /** BatchNormalization's mean and variance inputs ('' otherwise). */
  readonly mean: string;
  readonly variance: string;
  /** BatchNormalization (training)'s running-statistics outputs ('' when not wanted). */
  readonly runningMean: string;
  readonly runningVariance: string;
  readonly momentum: number;
  readonly epsilon: number;
  readonly batch: Dim;
  readonly channels: number;
  /** Statistics groups per image (`groups` only; C otherwise). */
  readonly groups: number;
  /** Scale and bias have one entry per group instead of per channel (GroupNormalization-18). */
  readonly perGroupParameters: boolean;
  /** Elements per channel plane. */
  readonly plane: Dim;
}

/** Plans BatchNormalization, InstanceNormalization and GroupNormalization. */
export function planChannelNorm(ctx: PlanContext): ChannelNormPlan {
  const { node } = ctx;
  const [x, scale, bias, mean = '', variance = ''] = node.inputs;
  const shape = ctx.shape(x);
  const channels = ctx.staticDim(shape[1], 'the channel count');
  const isBatchNorm = node.op === 'BatchNormalization';
  const training = isBatchNorm && ctx.infer.int('training_mode') === 1;
  const groups = isBatchNorm ? channels : normalizationGroups(ctx.infer, channels);
  const parameterCount = ctx.shape(scale)[0];
  return {
    kind: 'channel-norm',
    node,
    statistics: isBatchNorm ? (training ? 'batch' : 'given') : 'groups',
    x,
    y: node.outputs[0],
    scale,
    bias,
    mean: isBatchNorm ? mean : '',
    variance: isBatchNorm ? variance : '',
    runningMean: training ? (node.outputs[1] ?? '') : '',
    runningVariance: training ? (node.outputs[2] ?? '') : '',
    momentum: isBatchNorm ? ctx.infer.float('momentum') : 0,
    epsilon: ctx.infer.float('epsilon'),
    batch: shape[0],
    channels,
    groups,
    perGroupParameters: !isBatchNorm && parameterCount === groups && groups !== channels,
    plane: productOfDims(shape.slice(2)),
  };
}
