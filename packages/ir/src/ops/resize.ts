/**
 * Resize (ONNX Resize-19): nearest, linear or cubic interpolation along any
 * axes, with the output size from `scales` or `sizes` (and
 * `keep_aspect_ratio_policy`), an optional region of interest `roi` (for
 * tf_crop_and_resize) and an `axes` subset. roi, scales and sizes are static
 * ports: their contents decide the output shape and the taps
 * (resize-taps.ts), so the output shape is known only when they are. The
 * reference applies the taps axis by axis in f64 and rounds once.
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpDef } from '../op-def.js';
import { shapeSize } from '../shape.js';
import { fromNumbers, type Tensor } from '../tensor.js';
import { FLOAT_TYPES, numericValues } from './kernel-utils.js';
import { resizeTaps, type ResizeAxisTaps, type ResizeInputs } from './resize-taps.js';

/** An optional float or int input's contents, or undefined when absent or empty. */
function contents(value: Tensor | undefined): number[] | undefined {
  if (!value || value.data.length === 0) return undefined;
  return Array.from(numericValues(value));
}

/** The static inputs of a Resize node from tensors (a constant, or the fed values). */
export function resizeInputs(roi?: Tensor, scales?: Tensor, sizes?: Tensor): ResizeInputs {
  return { roi: contents(roi), scales: contents(scales), sizes: contents(sizes) };
}

function checkInputs(ctx: InferContext): void {
  ctx.expectDType(0, FLOAT_TYPES);
  if (ctx.has(1)) ctx.expectDType(1, ['f32', 'f16']);
  if (ctx.has(2)) ctx.expectDType(2, ['f32']);
  if (ctx.has(3)) ctx.expectDType(3, ['i64']);
  for (const index of [1, 2, 3]) if (ctx.has(index)) ctx.expectRank(index, [1]);
}

function inferResize(ctx: InferContext): Dim[] {
  checkInputs(ctx);
  const shape = ctx.type(0).shape;
  const unknown = shape.map(() => UNKNOWN_DIM);
  const tensors = [1, 2, 3].map((index) => (ctx.has(index) ? ctx.constant(index) : undefined));
  const sizesKnown = ctx.has(3) ? ctx.known(3) : undefined;
  const staticSizes = sizesKnown?.every((dim): dim is number => typeof dim === 'number') ? sizesKnown : undefined;
  const declaredEmpty = (index: number) => ctx.has(index) && ctx.type(index).shape[0] === 0;
  const scalesReady = !ctx.has(2) || declaredEmpty(2) || tensors[1] !== undefined;
  const sizesReady = !ctx.has(3) || declaredEmpty(3) || staticSizes !== undefined;
  const roiReady = !ctx.has(1) || declaredEmpty(1) || tensors[0] !== undefined;
  if (!scalesReady || !sizesReady || !roiReady || shape.some((dim) => typeof dim !== 'number')) return withStaticAxes(ctx, shape, unknown);
  const inputs: ResizeInputs = { roi: contents(tensors[0]), scales: contents(tensors[1]), sizes: staticSizes ? [...staticSizes] : undefined };
  return [...resizeTaps(ctx, shape as number[], inputs).output];
}

/** When the sizes are not known yet: the axes Resize leaves alone keep their dims. */
function withStaticAxes(ctx: InferContext, shape: readonly Dim[], unknown: Dim[]): Dim[] {
  const axes = ctx.ints('axes');
  if (!axes) return unknown;
  return shape.map((dim, axis) => (axes.includes(axis) || axes.includes(axis - shape.length) ? UNKNOWN_DIM : dim));
}

/** y[outer, o, inner] = Σ_j w[o, j] · x[outer, index[o, j], inner] along one axis. */
function applyAxis(values: ArrayLike<number>, shape: readonly number[], taps: ResizeAxisTaps, extrapolation: number): { values: Float64Array; shape: number[] } {
  const outer = shapeSize(shape.slice(0, taps.axis));
  const inner = shapeSize(shape.slice(taps.axis + 1));
  const out = new Float64Array(outer * taps.output * inner);
  for (let o = 0; o < outer; o++) {
    for (let x = 0; x < taps.output; x++) {
      for (let i = 0; i < inner; i++) {
        let sum = 0;
        for (let j = 0; j < taps.width; j++) sum += taps.weights[x * taps.width + j] * values[(o * taps.input + taps.indices[x * taps.width + j]) * inner + i];
        out[(o * taps.output + x) * inner + i] = taps.extrapolate[x] ? extrapolation : sum;
      }
    }
  }
  const next = [...shape];
  next[taps.axis] = taps.output;
  return { values: out, shape: next };
}

function evaluateResize(ctx: EvalContext): Tensor[] {
  const x = ctx.input(0);
  const taps = resizeTaps(ctx, x.shape, resizeInputs(ctx.optionalInput(1), ctx.optionalInput(2), ctx.optionalInput(3)));
  let current: { values: ArrayLike<number>; shape: readonly number[] } = { values: numericValues(x), shape: x.shape };
  for (const axis of taps.axes) current = applyAxis(current.values, current.shape, axis, taps.extrapolationValue);
  return [fromNumbers(x.dtype, taps.output, current.values)];
}

/** Resize: interpolation to new sizes along any axes. */
export const Resize: OpDef = {
  name: 'Resize',
  summary: 'nearest, linear or cubic resampling to sizes given by scales or sizes',
  inputs: [{ name: 'X' }, { name: 'roi', optional: true, static: true }, { name: 'scales', optional: true, static: true }, { name: 'sizes', optional: true, static: true }],
  outputs: [{ name: 'Y' }],
  attributes: {
    antialias: { type: 'int', default: 0 },
    axes: { type: 'ints' },
    coordinate_transformation_mode: { type: 'string', default: 'half_pixel' },
    cubic_coeff_a: { type: 'float', default: -0.75 },
    exclude_outside: { type: 'int', default: 0 },
    extrapolation_value: { type: 'float', default: 0 },
    keep_aspect_ratio_policy: { type: 'string', default: 'stretch' },
    mode: { type: 'string', default: 'nearest' },
    nearest_mode: { type: 'string', default: 'round_prefer_floor' },
  },
  infer(ctx) {
    return [{ dtype: ctx.type(0).dtype, shape: inferResize(ctx) }];
  },
  evaluate: evaluateResize,
};
