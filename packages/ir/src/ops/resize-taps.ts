/**
 * Resize as separable taps: the ONNX Resize-19 semantics (as the ONNX
 * reference computes them) reduced to, per resized axis and output index,
 * a few input indices with weights, or the extrapolation value. The
 * reference evaluates Resize through these taps, and the compiler's plan
 * carries them as tables, so every backend computes one thing.
 *
 * Coordinate transformation (x = output index, s = scale, in/out = sizes):
 * half_pixel (x + 0.5)/s - 0.5; half_pixel_symmetric the same shifted by
 * in/2 · (1 - out/(s·in)); pytorch_half_pixel like half_pixel but -0.5 when
 * the output has one element; align_corners x·(in - 1)/(out - 1);
 * asymmetric x/s; tf_crop_and_resize maps into the region of interest and
 * extrapolates outside [0, in - 1]. Neighbours are picked around the source
 * coordinate (preferring the left one), clamped to the input (edge
 * padding); `exclude_outside` drops out-of-range neighbours and
 * renormalises. Antialiasing widens linear and cubic filters by 1/s when
 * downsampling.
 */
import type { OpContext } from '../op-def.js';

/** The taps of one resized axis. */
export interface ResizeAxisTaps {
  readonly axis: number;
  readonly input: number;
  readonly output: number;
  /** Taps per output index. */
  readonly width: number;
  /** [output][width] input indices (clamped into [0, input)). */
  readonly indices: Int32Array;
  /** [output][width] weights. */
  readonly weights: Float64Array;
  /** 1 where the output index takes the extrapolation value instead. */
  readonly extrapolate: Uint8Array;
}

/** Everything a Resize node computes, from its attributes and static inputs. */
export interface ResizeTaps {
  readonly output: readonly number[];
  /** The resized axes, in the order they are applied (identity axes omitted). */
  readonly axes: readonly ResizeAxisTaps[];
  readonly extrapolationValue: number;
}

/** The node's interpolation settings. */
interface ResizeMode {
  readonly mode: 'nearest' | 'linear' | 'cubic';
  readonly transform: string;
  readonly nearest: string;
  readonly cubicA: number;
  readonly excludeOutside: boolean;
  readonly antialias: boolean;
}

const TRANSFORMS = ['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize'];
const NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

function readMode(ctx: OpContext): ResizeMode {
  const mode = ctx.string('mode');
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'cubic') ctx.failAttr(`attribute 'mode' must be nearest, linear or cubic, got '${mode}'`);
  const transform = ctx.string('coordinate_transformation_mode');
  if (!TRANSFORMS.includes(transform)) ctx.failAttr(`attribute 'coordinate_transformation_mode' must be one of ${TRANSFORMS.join(', ')}, got '${transform}'`);
  const nearest = ctx.string('nearest_mode');
  if (!NEAREST_MODES.includes(nearest)) ctx.failAttr(`attribute 'nearest_mode' must be one of ${NEAREST_MODES.join(', ')}, got '${nearest}'`);
  const antialias = ctx.int('antialias') === 1;
  if (antialias && mode === 'nearest') ctx.failAttr('antialias is not defined for mode nearest');
  return { mode, transform, nearest, cubicA: ctx.float('cubic_coeff_a'), excludeOutside: ctx.int('exclude_outside') === 1, antialias };
}

function nearestCoefficients(ratio: number, mode: string): number[] {
  if (Number.isInteger(ratio)) return [0, 1];
  switch (mode) {
    case 'round_prefer_floor':
      return ratio <= 0.5 ? [1, 0] : [0, 1];
    case 'round_prefer_ceil':
      return ratio < 0.5 ? [1, 0] : [0, 1];
    case 'floor':
      return [1, 0];
    default:
      return [0, 1];
  }
}

function cubicCoefficients(ratio: number, a: number): number[] {
  const far = (t: number) => ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  const near = (t: number) => ((a + 2) * t - (a + 3)) * t * t + 1;
  return [far(ratio + 1), near(ratio), near(1 - ratio), far(2 - ratio)];
}

function normalized(values: number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return values.map((value) => value / total);
}

function antialiasCoefficients(ratio: number, scale: number, cubic: boolean, a: number): number[] {
  const s = Math.min(scale, 1);
  const start = Math.floor((cubic ? -2 : -1) / s) + 1;
  const count = 2 - 2 * start;
  const filter = (x: number): number => {
    const t = Math.abs(x);
    if (!cubic) return Math.min(Math.max(1 - t, 0), 1);
    if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
    return t < 2 ? ((a * t - 5 * a) * t + 8 * a) * t - 4 * a : 0;
  };
  return normalized(Array.from({ length: count }, (_, i) => filter(s * (start + i - ratio))));
}

function coefficients(settings: ResizeMode, ratio: number, scale: number): number[] {
  if (settings.mode === 'nearest') return nearestCoefficients(ratio, settings.nearest);
  if (settings.antialias) return antialiasCoefficients(ratio, scale, settings.mode === 'cubic', settings.cubicA);
  return settings.mode === 'linear' ? [1 - ratio, ratio] : cubicCoefficients(ratio, settings.cubicA);
}

/** The source coordinate of output index x, or undefined when it takes the extrapolation value. */
function sourceCoordinate(transform: string, x: number, scale: number, input: number, output: number, roi: readonly [number, number]): number | undefined {
  const outputWidth = scale * input;
  switch (transform) {
    case 'align_corners':
      return outputWidth === 1 ? 0 : (x * (input - 1)) / (outputWidth - 1);
    case 'asymmetric':
      return x / scale;
    case 'tf_crop_and_resize': {
      const span = (roi[1] - roi[0]) * (input - 1);
      const source = (outputWidth === 1 ? span / 2 : (x * span) / (outputWidth - 1)) + roi[0] * (input - 1);
      return source < 0 || source > input - 1 ? undefined : source;
    }
    case 'pytorch_half_pixel':
      return outputWidth === 1 ? -0.5 : (x + 0.5) / scale - 0.5;
    case 'half_pixel_symmetric':
      return (input / 2) * (1 - output / outputWidth) + (x + 0.5) / scale - 0.5;
    default:
      return (x + 0.5) / scale - 0.5;
  }
}

/** The first of `count` neighbours of `source` (ties to the smaller index), relative to the unpadded input. */
function firstNeighbour(source: number, count: number): number {
  const pad = Math.ceil(count / 2);
  const padded = source + pad;
  const floor = Math.floor(padded);
  const fraction = padded - floor;
  const offset = count % 2 === 0 ? (fraction === 0 ? -(count / 2) : -(count / 2) + 1) : fraction <= 0.5 ? -((count - 1) / 2) : -((count - 1) / 2) + 1;
  return floor + offset - pad;
}

function axisTaps(settings: ResizeMode, axis: number, input: number, output: number, scale: number, roi: readonly [number, number]): ResizeAxisTaps {
  const rows: { indices: number[]; weights: number[]; extrapolate: boolean }[] = [];
  for (let x = 0; x < output; x++) {
    const source = sourceCoordinate(settings.transform, x, scale, input, output, roi);
    if (source === undefined) {
      rows.push({ indices: [], weights: [], extrapolate: true });
      continue;
    }
    const ratio = Number.isInteger(source) ? 1 : source - Math.floor(source);
    let weights = coefficients(settings, ratio, scale);
    const first = firstNeighbour(source, weights.length);
    const indices = weights.map((_, j) => first + j);
    if (settings.excludeOutside) {
      weights = weights.map((weight, j) => (indices[j] < 0 || indices[j] >= input ? 0 : weight));
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      if (total !== 0) weights = weights.map((weight) => weight / total);
    }
    rows.push({ indices: indices.map((index) => Math.min(Math.max(index, 0), input - 1)), weights, extrapolate: false });
  }
  const width = Math.max(1, ...rows.map((row) => row.weights.length));
  const taps = { axis, input, output, width, indices: new Int32Array(output * width), weights: new Float64Array(output * width), extrapolate: new Uint8Array(output) };
  rows.forEach((row, x) => {
    taps.extrapolate[x] = row.extrapolate ? 1 : 0;
    row.indices.forEach((index, j) => {
      taps.indices[x * width + j] = index;
      taps.weights[x * width + j] = row.weights[j];
    });
  });
  return taps;
}

/** What the static inputs of a Resize node hold (absent or empty ones undefined). */
export interface ResizeInputs {
  readonly roi?: readonly number[];
  readonly scales?: readonly number[];
  readonly sizes?: readonly number[];
}

function targetAxes(ctx: OpContext, rank: number): number[] {
  const axes = ctx.ints('axes');
  if (!axes) return Array.from({ length: rank }, (_, axis) => axis);
  const normalizedAxes = axes.map((axis) => (axis < 0 ? axis + rank : axis));
  if (normalizedAxes.some((axis) => axis < 0 || axis >= rank) || new Set(normalizedAxes).size !== axes.length) ctx.failAttr(`attribute 'axes' [${axes.join(', ')}] must name distinct axes of a rank-${rank} input`);
  return normalizedAxes;
}

/** Output sizes and per-axis scale factors of a Resize node. */
function outputAndScales(ctx: OpContext, shape: readonly number[], axes: readonly number[], inputs: ResizeInputs): { output: number[]; scales: number[] } {
  const output = [...shape];
  const scales = shape.map(() => 1);
  if (inputs.scales && inputs.sizes) ctx.failShape('only one of scales and sizes may be given');
  if (inputs.scales) {
    if (inputs.scales.length !== axes.length) ctx.failShape(`scales has ${inputs.scales.length} entries, expected ${axes.length}`);
    axes.forEach((axis, i) => {
      if (!(inputs.scales![i] > 0)) ctx.failShape(`scales must be positive, got ${inputs.scales![i]}`);
      scales[axis] = inputs.scales![i];
      output[axis] = Math.floor(inputs.scales![i] * shape[axis]);
    });
    return { output, scales };
  }
  if (!inputs.sizes) ctx.failShape('one of scales and sizes must be given');
  if (inputs.sizes.length !== axes.length) ctx.failShape(`sizes has ${inputs.sizes.length} entries, expected ${axes.length}`);
  axes.forEach((axis, i) => {
    output[axis] = inputs.sizes![i];
    scales[axis] = inputs.sizes![i] / shape[axis];
  });
  const policy = ctx.string('keep_aspect_ratio_policy');
  if (policy === 'stretch') return { output, scales };
  if (policy !== 'not_larger' && policy !== 'not_smaller') ctx.failAttr(`attribute 'keep_aspect_ratio_policy' must be stretch, not_larger or not_smaller, got '${policy}'`);
  const chosen = axes.map((axis) => scales[axis]);
  const scale = policy === 'not_larger' ? Math.min(...chosen) : Math.max(...chosen);
  for (const axis of axes) {
    scales[axis] = scale;
    output[axis] = Math.floor(scale * shape[axis] + 0.5);
  }
  return { output, scales };
}

/** The taps of a Resize node over an input of static `shape`. */
export function resizeTaps(ctx: OpContext, shape: readonly number[], inputs: ResizeInputs): ResizeTaps {
  const settings = readMode(ctx);
  const axes = targetAxes(ctx, shape.length);
  const { output, scales } = outputAndScales(ctx, shape, axes, inputs);
  const roi = inputs.roi && inputs.roi.length > 0 ? inputs.roi : undefined;
  if (roi && roi.length !== 2 * axes.length) ctx.failShape(`roi has ${roi.length} entries, expected ${2 * axes.length}`);
  if (settings.transform === 'tf_crop_and_resize' && !roi) ctx.failShape('coordinate_transformation_mode tf_crop_and_resize needs roi');
  const resized: ResizeAxisTaps[] = [];
  axes.forEach((axis, i) => {
    const axisRoi: [number, number] = roi ? [roi[i], roi[axes.length + i]] : [0, 1];
    const identity = Math.abs(scales[axis] - 1) < 1e-9 && output[axis] === shape[axis] && Math.abs(axisRoi[0]) < 1e-9 && Math.abs(axisRoi[1] - 1) < 1e-9;
    if (output[axis] < 0) ctx.failShape(`axis ${axis} would have ${output[axis]} elements`);
    if (!identity) resized.push(axisTaps(settings, axis, shape[axis], output[axis], scales[axis], axisRoi));
  });
  return { output, axes: resized, extrapolationValue: ctx.float('extrapolation_value') };
}
