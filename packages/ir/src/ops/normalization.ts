/**
 * What LayerNormalization and RMSNormalization share: X is normalised over
 * the axes from `axis` (default -1) to the end — centred by the mean
 * (LayerNorm) or not (RMSNorm), divided by sqrt(mean of squares +
 * epsilon) — then scaled by Scale and shifted by the optional B, each of
 * which must broadcast (right-aligned) to the normalised shape
 * X.shape[axis:]. `stash_type` must be 1 (statistics in f32; the
 * reference computes them in f64, two-pass, and rounds every output once).
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpContext } from '../op-def.js';
import { formatShape, formatType, normalizeAxis, shapeSize, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastIndexMap, FLOAT_TYPES, numericValues } from './kernel-utils.js';

/** True when `shape` broadcasts (one-way, right-aligned) to `target`. */
function broadcastsTo(shape: Shape, target: Shape): boolean {
  if (shape.length > target.length) return false;
  const offset = target.length - shape.length;
  return shape.every((dim, axis) => dim === 1 || dimsCompatible(dim, target[offset + axis]));
}

function checkStashType(ctx: OpContext): void {
  const stash = ctx.int('stash_type');
  if (stash !== 1) ctx.failAttr(`attribute 'stash_type' must be 1 (FLOAT), got ${stash}`);
}

function checkParameter(ctx: InferContext, index: number, normalized: Shape): void {
  ctx.expectDType(index, FLOAT_TYPES);
  ctx.expectSameDType(0, index);
  const type = ctx.type(index);
  if (!broadcastsTo(type.shape, normalized)) {
    ctx.failShape(
      `${ctx.inputPortName(index)} ${ctx.inputRef(index)} is ${formatType(type)} but must broadcast to the normalized shape ${formatShape(normalized)}`,
      ctx.node.inputs[index],
    );
  }
}

/** Checks a normalisation node (X, Scale, optional B at input 2) and returns X's type, its normalised axis and the statistics' shape. */
export function inferNormalization(ctx: InferContext) {
  checkStashType(ctx);
  const dtype = ctx.expectDType(0, FLOAT_TYPES);
  const shape = ctx.type(0).shape;
  const axis = normalizeAxis(ctx.int('axis'), shape.length, { node: ctx.label, op: ctx.node.op });
  const epsilon = ctx.float('epsilon');
  if (!(epsilon >= 0)) ctx.failAttr(`attribute 'epsilon' must be >= 0, got ${epsilon}`);
  const normalized = shape.slice(axis);
  checkParameter(ctx, 1, normalized);
  if (ctx.has(2)) checkParameter(ctx, 2, normalized);
  const statShape: Dim[] = shape.map((dim, i) => (i < axis ? dim : 1));
  return { type: { dtype, shape }, axis, statShape };
}

/** The flat index into Scale or B of each element of a normalised row. */
function parameterMap(ctx: EvalContext, index: number, normShape: readonly number[]): Int32Array {
  const parameter = ctx.input(index);
  if (!broadcastsTo(parameter.shape, normShape)) {
    ctx.failEval(`${ctx.inputPortName(index)} ${ctx.inputRef(index)} has shape [${parameter.shape}] but must broadcast to [${normShape}]`);
  }
  return broadcastIndexMap(normShape, parameter.shape);
}

/** The normalised rows (f64, to be rounded once), and each row's mean and 1/sqrt(variance + epsilon). */
export interface NormalizedRows {
  readonly y: Float64Array;
  readonly means: Float64Array;
  readonly invStds: Float64Array;
  /** X's shape with the normalised dims set to 1. */
  readonly statShape: number[];
}

/** The reference normalisation of X's rows: centred (`center`) or not, scaled, shifted by B when given. */
export function normalizeRows(ctx: EvalContext, center: boolean): NormalizedRows {
  checkStashType(ctx);
  const x: Tensor = ctx.input(0);
  const axis = normalizeAxis(ctx.int('axis'), x.shape.length, { node: ctx.label, op: ctx.node.op });
  const epsilon = ctx.float('epsilon');
  const normShape = x.shape.slice(axis);
  const [size, rows] = [shapeSize(normShape), shapeSize(x.shape.slice(0, axis))];
  const [scaleMap, biasMap] = [parameterMap(ctx, 1, normShape), ctx.optionalInput(2) ? parameterMap(ctx, 2, normShape) : undefined];
  const [xs, ss] = [numericValues(x), numericValues(ctx.input(1))];
  const bs = ctx.optionalInput(2) ? numericValues(ctx.input(2)) : undefined;
  const y = new Float64Array(xs.length);
  const [means, invStds] = [new Float64Array(rows), new Float64Array(rows)];
  for (let r = 0; r < rows; r++) {
    const base = r * size;
    let sum = 0;
    for (let i = 0; i < size; i++) sum += xs[base + i];
    const mean = center ? sum / size : 0;
    let squares = 0;
    for (let i = 0; i < size; i++) squares += (xs[base + i] - mean) ** 2;
    [means[r], invStds[r]] = [mean, 1 / Math.sqrt(squares / size + epsilon)];
    for (let i = 0; i < size; i++) y[base + i] = (xs[base + i] - mean) * invStds[r] * ss[scaleMap[i]] + (bs && biasMap ? bs[biasMap[i]] : 0);
  }
  return { y, means, invStds, statShape: x.shape.map((dim, i) => (i < axis ? dim : 1)) };
}
