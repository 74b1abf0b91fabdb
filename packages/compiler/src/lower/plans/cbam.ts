/**
 * The CBAM plan (the Ladon extension op; ops/cbam.ts in @ladon/ir): the
 * feature map's sizes, which attentions it has and their weights (read by
 * the kernels as buffers), the optional maps to write, and the gate — the
 * IR's own Sigmoid expression, which the backends render, so the op's
 * sigmoid is the Sigmoid op's.
 */
import { CBAM_INPUTS, cbamGeometry, elementwiseContext, elementwiseExpression, getOpDef, type Dim, type Node, type ScalarExpr } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** Channel attention's shared MLP: W1 [hidden, C], W2 [C, hidden], optional biases. */
export interface CbamChannelAttention {
  readonly w1: string;
  readonly b1: string;
  readonly w2: string;
  readonly b2: string;
  readonly hidden: number;
}

/** Spatial attention's k×k convolution over [mean_c, max_c] (k odd, same-size output). */
export interface CbamSpatialAttention {
  readonly weight: string;
  readonly bias: string;
  readonly kernel: number;
}

/** The plan of one CBAM node. */
export interface CbamPlan {
  readonly kind: 'cbam';
  readonly node: Node;
  readonly x: string;
  readonly y: string;
  /** The optional map outputs ('' when not wanted). */
  readonly channelMap: string;
  readonly spatialMap: string;
  readonly batch: Dim;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly channel?: CbamChannelAttention;
  readonly spatial?: CbamSpatialAttention;
  /** The gate applied to both attentions' logits: Sigmoid's expression of input 0. */
  readonly gate: ScalarExpr;
}

/** Plans CBAM. */
export function planCbam(ctx: PlanContext): CbamPlan {
  const { node } = ctx;
  const geometry = cbamGeometry(ctx.infer);
  const shape = ctx.shape(node.inputs[0]);
  const input = (slot: number): string => node.inputs[slot] ?? '';
  const { w1, b1, w2, b2, spatialWeight, spatialBias } = CBAM_INPUTS;
  const gate = elementwiseExpression(getOpDef('Sigmoid').elementwise!, elementwiseContext(ctx.infer, ['f32'], 'f32', () => undefined));
  return {
    kind: 'cbam',
    node,
    x: node.inputs[0],
    y: node.outputs[0],
    channelMap: node.outputs[1] ?? '',
    spatialMap: node.outputs[2] ?? '',
    batch: shape[0],
    channels: geometry.channels,
    height: ctx.staticDim(shape[2], 'the feature map height'),
    width: ctx.staticDim(shape[3], 'the feature map width'),
    ...(geometry.hidden > 0 ? { channel: { w1: input(w1), b1: input(b1), w2: input(w2), b2: input(b2), hidden: geometry.hidden } } : {}),
    ...(geometry.kernel > 0 ? { spatial: { weight: input(spatialWeight), bias: input(spatialBias), kernel: geometry.kernel } } : {}),
    gate,
  };
}
