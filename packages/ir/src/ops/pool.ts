/**
 * MaxPool and AveragePool (ONNX opset 22) over 1 to 3 spatial axes, and
 * GlobalMaxPool / GlobalAveragePool. A window reads input positions, the
 * explicit padding (which AveragePool counts when `count_include_pad` = 1,
 * as zeros) and, with `ceil_mode`, positions past the end padding, which
 * are not part of the window at all (spatial-window.ts). MaxPool's optional
 * Indices output holds the flat index of each maximum in X (the first one
 * in window order on ties), with the spatial part row-major, or
 * column-major when `storage_order` = 1. A window with no input position
 * gives 0. Averages are computed in f64 and rounded once.
 */
import type { Dim } from '../dim.js';
import type { DType } from '../dtype.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { shapeSize, type TensorType } from '../shape.js';
import { fromNumbers, tensor, type Tensor } from '../tensor.js';
import { FLOAT_TYPES, numericValues } from './kernel-utils.js';
import { OUTSIDE_TAP, PAD_TAP, readWindowAttrs, staticSpatial, windowGeometry, windowOutputShape, windowTaps, type WindowAxis } from './spatial-window.js';

/** The element types the pools accept. */
const POOL_TYPES: readonly DType[] = FLOAT_TYPES;

/** What a pooling node computes: its windows, and for AveragePool whether padding counts. */
export interface PoolGeometry {
  readonly axes: readonly WindowAxis[];
  readonly countIncludePad: boolean;
}

/** The geometry of a MaxPool or AveragePool node over X's shape (validated). */
export function poolGeometry(ctx: OpContext, x: readonly Dim[]): PoolGeometry {
  if (x.length < 3 || x.length > 5) ctx.failShape(`X ${ctx.inputRef(0)} must have rank 3 to 5 ([N, C, spatial...]), got rank ${x.length}`, ctx.node.inputs[0]);
  const attrs = readWindowAttrs(ctx, x.length - 2);
  const countIncludePad = ctx.def.attributes.count_include_pad ? ctx.int('count_include_pad') === 1 : false;
  return { axes: windowGeometry(ctx, attrs, staticSpatial(ctx, x)), countIncludePad };
}

function inferPool(ctx: InferContext): (TensorType | undefined)[] {
  const dtype = ctx.expectDType(0, POOL_TYPES);
  const shape = ctx.type(0).shape;
  const output = windowOutputShape(shape[0], shape[1], poolGeometry(ctx, shape).axes);
  if (ctx.def.name === 'MaxPool') {
    const order = ctx.int('storage_order');
    if (order !== 0 && order !== 1) ctx.failAttr(`attribute 'storage_order' must be 0 or 1, got ${order}`);
  }
  return ctx.node.outputs.map((name, index) => (index === 0 ? { dtype, shape: output } : name ? { dtype: 'i64', shape: output } : undefined));
}

/** Flat spatial index of a row-major offset in column-major order (storage_order = 1). */
function columnMajor(offset: number, axes: readonly WindowAxis[]): number {
  let [rest, index, stride] = [offset, 0, 1];
  const coordinates = new Array<number>(axes.length);
  for (let axis = axes.length - 1; axis >= 0; axis--) {
    coordinates[axis] = rest % axes[axis].input;
    rest = Math.floor(rest / axes[axis].input);
  }
  for (let axis = 0; axis < axes.length; axis++) {
    index += coordinates[axis] * stride;
    stride *= axes[axis].input;
  }
  return index;
}

function evaluatePool(ctx: EvalContext): (Tensor | undefined)[] {
  const x = ctx.input(0);
  const geometry = poolGeometry(ctx, x.shape);
  const { taps, kernelSize, outputSize } = windowTaps(geometry.axes);
  const planes = x.shape[0] * x.shape[1];
  const inputSize = shapeSize(x.shape.slice(2));
  const xs = numericValues(x);
  const isMax = ctx.node.op === 'MaxPool';
  const columns = isMax && ctx.int('storage_order') === 1;
  const y = new Float64Array(planes * outputSize);
  const indices = new BigInt64Array(planes * outputSize);
  for (let plane = 0; plane < planes; plane++) {
    for (let o = 0; o < outputSize; o++) {
      let [best, bestTap, sum, count] = [-Infinity, -1, 0, 0];
      for (let k = 0; k < kernelSize; k++) {
        const tap = taps[o * kernelSize + k];
        if (tap === OUTSIDE_TAP) continue;
        if (tap === PAD_TAP) {
          if (geometry.countIncludePad) count++;
          continue;
        }
        const value = xs[plane * inputSize + tap];
        sum += value;
        count++;
        if (value > best) [best, bestTap] = [value, tap];
      }
      const at = plane * outputSize + o;
      y[at] = isMax ? (bestTap < 0 ? 0 : best) : count === 0 ? 0 : sum / count;
      if (isMax) indices[at] = BigInt(bestTap < 0 ? -1 : plane * inputSize + (columns ? columnMajor(bestTap, geometry.axes) : bestTap));
    }
  }
  const shape = windowOutputShape(x.shape[0], x.shape[1], geometry.axes) as number[];
  return [fromNumbers(x.dtype, shape, y), isMax && ctx.wantsOutput(1) ? tensor('i64', shape, indices) : undefined];
}

const WINDOW_ATTRIBUTES = {
  auto_pad: { type: 'string', default: 'NOTSET' },
  ceil_mode: { type: 'int', default: 0 },
  dilations: { type: 'ints' },
  kernel_shape: { type: 'ints', required: true },
  pads: { type: 'ints' },
  strides: { type: 'ints' },
} as const;

/** MaxPool: the maximum over each window (and optionally where it is). */
export const MaxPool: OpDef = {
  name: 'MaxPool',
  summary: 'maximum over sliding windows, optionally with the flat index of each maximum',
  inputs: [{ name: 'X' }],
  outputs: [{ name: 'Y' }, { name: 'Indices', optional: true }],
  attributes: { ...WINDOW_ATTRIBUTES, storage_order: { type: 'int', default: 0 } },
  infer: inferPool,
  evaluate: evaluatePool,
};

/** AveragePool: the mean over each window. */
export const AveragePool: OpDef = {
  name: 'AveragePool',
  summary: 'mean over sliding windows (padding counted with count_include_pad)',
  inputs: [{ name: 'X' }],
  outputs: [{ name: 'Y' }],
  attributes: { ...WINDOW_ATTRIBUTES, count_include_pad: { type: 'int', default: 0 } },
  infer: inferPool,
  evaluate: evaluatePool,
};

function inferGlobalPool(ctx: InferContext): TensorType[] {
  const dtype = ctx.expectDType(0, POOL_TYPES);
  const shape = ctx.type(0).shape;
  if (shape.length < 3) ctx.failShape(`X ${ctx.inputRef(0)} must have rank >= 3 ([N, C, spatial...]), got rank ${shape.length}`, ctx.node.inputs[0]);
  return [{ dtype, shape: shape.map((dim, axis) => (axis < 2 ? dim : 1)) }];
}

function evaluateGlobalPool(ctx: EvalContext): Tensor[] {
  const x = ctx.input(0);
  const xs = numericValues(x);
  const planes = x.shape[0] * x.shape[1];
  const size = shapeSize(x.shape.slice(2));
  const isMax = ctx.node.op === 'GlobalMaxPool';
  const y = new Float64Array(planes);
  for (let plane = 0; plane < planes; plane++) {
    let [sum, best] = [0, -Infinity];
    for (let i = 0; i < size; i++) {
      const value = xs[plane * size + i];
      sum += value;
      best = Math.max(best, value);
    }
    y[plane] = isMax ? best : sum / size;
  }
  return [fromNumbers(x.dtype, x.shape.map((dim, axis) => (axis < 2 ? dim : 1)), y)];
}

/** GlobalAveragePool: the mean over all spatial positions of each channel. */
export const GlobalAveragePool: OpDef = {
  name: 'GlobalAveragePool',
  summary: 'mean over all spatial positions, per batch and channel',
  inputs: [{ name: 'X' }],
  outputs: [{ name: 'Y' }],
  attributes: {},
  infer: inferGlobalPool,
  evaluate: evaluateGlobalPool,
};

/** GlobalMaxPool: the maximum over all spatial positions of each channel. */
export const GlobalMaxPool: OpDef = {
  name: 'GlobalMaxPool',
  summary: 'maximum over all spatial positions, per batch and channel',
  inputs: [{ name: 'X' }],
  outputs: [{ name: 'Y' }],
  attributes: {},
  infer: inferGlobalPool,
  evaluate: evaluateGlobalPool,
};
