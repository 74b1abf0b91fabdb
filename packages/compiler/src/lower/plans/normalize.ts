/**
 * Normalisation plans. LayerNormalization and RMSNormalization normalise
 * rows of prod(shape[axis:]) values (RMSNorm without centring or bias);
 * Scale and B broadcast over the normalised dims, described here by how
 * they cover a row. Softmax and LogSoftmax run along one axis of an
 * [outer, length, inner] view.
 */
import { dimsEqual, normalizeAxis, productOfDims, type Dim, type Node } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/**
 * How Scale or B covers a normalised row: one value (`scalar`), the whole
 * row (`row`: its dims equal the normalised dims, leading 1s aside), or a
 * trailing part of it repeated along the leading normalised axes
 * (`trailing`: element k of the row reads entry k % count).
 */
export type ParameterCoverage = 'scalar' | 'row' | 'trailing';

/** Scale or B of a LayerNormalization. */
export interface NormParameter {
  readonly value: string;
  readonly coverage: ParameterCoverage;
  /** Its element count. */
  readonly count: Dim;
}

/** The plan of one LayerNormalization. */
export interface LayerNormPlan {
  readonly kind: 'layer-norm';
  readonly node: Node;
  /** Subtract the row's mean (LayerNorm); RMSNorm does not. */
  readonly center: boolean;
  readonly input: string;
  readonly output: string;
  /** The optional Mean and InvStdDev outputs ('' when not wanted). */
  readonly mean: string;
  readonly invStdDev: string;
  readonly rows: Dim;
  /** Elements per normalised row. */
  readonly size: Dim;
  readonly epsilon: number;
  readonly scale: NormParameter;
  readonly bias?: NormParameter;
}

/** The plan of one Softmax or LogSoftmax: along the middle axis of [outer, length, inner]. */
export interface SoftmaxPlan {
  readonly kind: 'softmax';
  readonly node: Node;
  /** LogSoftmax: x - max - log(sum(exp(x - max))). */
  readonly log: boolean;
  readonly input: string;
  readonly output: string;
  readonly outer: Dim;
  readonly length: Dim;
  readonly inner: Dim;
}

function parameter(ctx: PlanContext, value: string, normalized: readonly Dim[]): NormParameter {
  const shape = ctx.shape(value);
  const count = productOfDims(shape);
  if (shape.every((dim) => dim === 1)) return { value, coverage: 'scalar', count };
  const start = shape.findIndex((dim) => dim !== 1);
  const own = shape.slice(start);
  const offset = normalized.length - own.length;
  const matchesTail = offset >= 0 && own.every((dim, axis) => dimsEqual(dim, normalized[offset + axis]));
  if (!matchesTail) throw ctx.unsupported(`%${value} of shape [${shape.join(', ')}] broadcasts only partly over the normalised dims [${normalized.join(', ')}]`, value);
  const coversRow = normalized.slice(0, offset).every((dim) => dim === 1);
  return { value, coverage: coversRow ? 'row' : 'trailing', count };
}

/** Plans LayerNormalization and RMSNormalization. */
export function planLayerNorm(ctx: PlanContext): LayerNormPlan {
  const [x, scale, bias = ''] = ctx.node.inputs;
  const [y, mean = '', invStdDev = ''] = ctx.node.outputs;
  const shape = ctx.shape(x);
  const axis = normalizeAxis(ctx.infer.int('axis'), shape.length);
  const normalized = shape.slice(axis);
  return {
    kind: 'layer-norm',
    node: ctx.node,
    center: ctx.node.op !== 'RMSNormalization',
    input: x,
    output: y,
    mean,
    invStdDev,
    rows: productOfDims(shape.slice(0, axis)),
    size: productOfDims(normalized),
    epsilon: ctx.infer.float('epsilon'),
    scale: parameter(ctx, scale, normalized),
    ...(bias ? { bias: parameter(ctx, bias, normalized) } : {}),
  };
}

/** Plans Softmax or LogSoftmax along `axis`. */
export function planSoftmax(ctx: PlanContext): SoftmaxPlan {
  const [x] = ctx.node.inputs;
  const shape = ctx.shape(x);
  const axis = normalizeAxis(ctx.infer.int('axis'), shape.length);
  return {
    kind: 'softmax',
    node: ctx.node,
    log: ctx.node.op === 'LogSoftmax',
    input: x,
    output: ctx.node.outputs[0],
    outer: productOfDims(shape.slice(0, axis)),
    length: shape[axis],
    inner: productOfDims(shape.slice(axis + 1)),
  };
}
