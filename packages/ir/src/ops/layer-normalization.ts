/**
 * LayerNormalization (ONNX LayerNormalization-17): normalises X over the
 * axes from `axis` (default -1) to the end, then applies Scale and optional
 * B, each of which must broadcast (right-aligned) to the normalised shape
 * X.shape[axis:]. Optional outputs Mean and InvStdDev have X's shape with
 * the normalised dims set to 1 and dtype f32 (`stash_type` = 1, the only
 * value ONNX allows). Statistics are computed in f64 (two-pass variance) and
 * every output is rounded once.
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { InferContext, OpContext, OpDef } from '../op-def.js';
import { formatShape, formatType, normalizeAxis, shapeSize, type Shape, type TensorType } from '../shape.js';
import { fromNumbers, type Tensor } from '../tensor.js';
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
  const type = ctx.type(index);
  if (!broadcastsTo(type.shape, normalized)) {
    ctx.failShape(
      `${ctx.inputPortName(index)} ${ctx.inputRef(index)} is ${formatType(type)} but must broadcast to the normalized shape ${formatShape(normalized)}`,
      ctx.node.inputs[index],
    );
  }
}

/** LayerNormalization: (X - mean) / sqrt(var + epsilon) · Scale + B over the trailing axes. */
export const LayerNormalization: OpDef = {
  name: 'LayerNormalization',
  summary: 'normalise over the axes from `axis` on, then scale and shift',
  inputs: [{ name: 'X' }, { name: 'Scale' }, { name: 'B', optional: true }],
  outputs: [{ name: 'Y' }, { name: 'Mean', optional: true }, { name: 'InvStdDev', optional: true }],
  attributes: {
    axis: { type: 'int', default: -1 },
    epsilon: { type: 'float', default: 1e-5 },
    stash_type: { type: 'int', default: 1 },
  },
  infer(ctx) {
    checkStashType(ctx);
    const dtype = ctx.expectDType(0, FLOAT_TYPES);
    const shape = ctx.type(0).shape;
    const axis = normalizeAxis(ctx.int('axis'), shape.length, { node: ctx.label, op: ctx.node.op });
    const epsilon = ctx.float('epsilon');
    if (!(epsilon >= 0)) ctx.failAttr(`attribute 'epsilon' must be >= 0, got ${epsilon}`);
    const normalized = shape.slice(axis);
    ctx.expectDType(1, FLOAT_TYPES);
    ctx.expectSameDType(0, 1);
    checkParameter(ctx, 1, normalized);
    if (ctx.has(2)) {
      ctx.expectDType(2, FLOAT_TYPES);
      ctx.expectSameDType(0, 2);
      checkParameter(ctx, 2, normalized);
    }
    const statShape: Dim[] = shape.map((dim, i) => (i < axis ? dim : 1));
    return ctx.node.outputs.map((name, i): TensorType | undefined => {
      if (i === 0) return { dtype, shape };
      return name ? { dtype: 'f32', shape: statShape } : undefined;
    });
  },
  evaluate(ctx) {
    checkStashType(ctx);
    const x = ctx.input(0);
    const scale = ctx.input(1);
    const bias = ctx.optionalInput(2);
    const axis = normalizeAxis(ctx.int('axis'), x.shape.length, { node: ctx.label, op: ctx.node.op });
    const epsilon = ctx.float('epsilon');
    const normShape = x.shape.slice(axis);
    const size = shapeSize(normShape);
    const rows = shapeSize(x.shape.slice(0, axis));
    const paramMap = (param: Tensor, index: number): Int32Array => {
      if (!broadcastsTo(param.shape, normShape)) {
        ctx.failEval(`${ctx.inputPortName(index)} ${ctx.inputRef(index)} has shape [${param.shape}] but must broadcast to [${normShape}]`);
      }
      return broadcastIndexMap(normShape, param.shape);
    };
    const scaleMap = paramMap(scale, 1);
    const biasMap = bias ? paramMap(bias, 2) : undefined;
    const xs = numericValues(x);
    const ss = numericValues(scale);
    const bs = bias ? numericValues(bias) : undefined;
    const y = new Float64Array(xs.length);
    const means = new Float64Array(rows);
    const invStds = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const base = r * size;
      let sum = 0;
      for (let i = 0; i < size; i++) sum += xs[base + i];
      const mean = sum / size;
      let squares = 0;
      for (let i = 0; i < size; i++) squares += (xs[base + i] - mean) ** 2;
      const invStd = 1 / Math.sqrt(squares / size + epsilon);
      means[r] = mean;
      invStds[r] = invStd;
      for (let i = 0; i < size; i++) {
        const shift = bs && biasMap ? bs[biasMap[i]] : 0;
        y[base + i] = (xs[base + i] - mean) * invStd * ss[scaleMap[i]] + shift;
      }
    }
    const statShape = x.shape.map((dim, i) => (i < axis ? dim : 1));
    return [
      fromNumbers(x.dtype, x.shape, y),
      ctx.wantsOutput(1) ? fromNumbers('f32', statShape, means) : undefined,
      ctx.wantsOutput(2) ? fromNumbers('f32', statShape, invStds) : undefined,
    ];
  },
};
