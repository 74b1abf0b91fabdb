/**
 * Convolution and pooling plans. Conv, ConvTranspose, MaxPool,
 * AveragePool and the global pools all slide a window over the spatial
 * axes of an [N, C, spatial...] tensor; their plans carry that window,
 * read by the IR's own geometry readers and normalised to three spatial
 * axes (depth, height, width; leading axes of size 1 when the op has fewer),
 * so one kernel family serves 1-D, 2-D and 3-D. What a pool's average
 * divides by (padding counted or not, windows running past the end in
 * ceil mode) is decided here, per axis.
 */
import {
  convGeometry,
  convTransposeGeometry,
  mulDims,
  poolGeometry,
  windowExtent,
  type Dim,
  type Node,
  type WindowAxis,
} from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** A window over three spatial axes (depth, height, width). */
export interface SpatialWindow {
  readonly input: readonly [number, number, number];
  readonly output: readonly [number, number, number];
  readonly kernel: readonly [number, number, number];
  readonly strides: readonly [number, number, number];
  readonly dilations: readonly [number, number, number];
  readonly padBegin: readonly [number, number, number];
  readonly padEnd: readonly [number, number, number];
}

/** The plan of a Conv or ConvTranspose. */
export interface ConvPlan {
  readonly kind: 'conv' | 'conv-transpose';
  readonly node: Node;
  readonly x: string;
  readonly w: string;
  readonly bias?: string;
  readonly y: string;
  readonly batch: Dim;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly group: number;
  /** For ConvTranspose, `input` is X's spatial size and `output` Y's; output position = i·s + k·d - pb. */
  readonly window: SpatialWindow;
}

/** The plan of a pooling op. */
export interface PoolPlan {
  readonly kind: 'pool';
  readonly node: Node;
  readonly reduce: 'max' | 'avg';
  readonly x: string;
  readonly y: string;
  /** MaxPool's Indices output ('' when not wanted) and its spatial order. */
  readonly indices: string;
  readonly columnMajorIndices: boolean;
  /** N · C: the planes pooled independently. */
  readonly planes: Dim;
  readonly window: SpatialWindow;
  /** Every window covers the whole input (the global pools): one output per plane. */
  readonly global: boolean;
  /**
   * AveragePool: 1 / the divisor of every output position (row-major over
   * the output plane). The divisor counts the window's input positions, plus
   * its padding with count_include_pad; never positions past the end padding.
   */
  readonly reciprocals?: Float32Array;
}

const UNIT_AXIS: WindowAxis = { input: 1, output: 1, kernel: 1, stride: 1, dilation: 1, padBegin: 0, padEnd: 0 };

type Triple = readonly [number, number, number];

/** The window of 1 to 3 axes as three axes. */
export function spatialWindow(axes: readonly WindowAxis[]): SpatialWindow {
  const padded = [...new Array<WindowAxis>(3 - axes.length).fill(UNIT_AXIS), ...axes];
  const pick = (field: keyof WindowAxis): Triple => [padded[0][field], padded[1][field], padded[2][field]];
  return {
    input: pick('input'),
    output: pick('output'),
    kernel: pick('kernel'),
    strides: pick('stride'),
    dilations: pick('dilation'),
    padBegin: pick('padBegin'),
    padEnd: pick('padEnd'),
  };
}

function expectWindowRank(ctx: PlanContext, rank: number): void {
  if (rank < 3 || rank > 5) throw ctx.unsupported(`only 1 to 3 spatial axes are supported, got rank ${rank}`);
}

/** Plans Conv. */
export function planConv(ctx: PlanContext): ConvPlan {
  const [x, w, bias = ''] = ctx.node.inputs;
  expectWindowRank(ctx, ctx.shape(x).length);
  const geometry = convGeometry(ctx.infer, ctx.shape(x), ctx.shape(w));
  return convPlan(ctx, 'conv', geometry, bias);
}

/** Plans ConvTranspose. */
export function planConvTranspose(ctx: PlanContext): ConvPlan {
  const [x, w, bias = ''] = ctx.node.inputs;
  expectWindowRank(ctx, ctx.shape(x).length);
  return convPlan(ctx, 'conv-transpose', convTransposeGeometry(ctx.infer, ctx.shape(x), ctx.shape(w)), bias);
}

function convPlan(ctx: PlanContext, kind: ConvPlan['kind'], geometry: ReturnType<typeof convGeometry>, bias: string): ConvPlan {
  const [x, w] = ctx.node.inputs;
  return {
    kind,
    node: ctx.node,
    x,
    w,
    ...(bias ? { bias } : {}),
    y: ctx.node.outputs[0],
    batch: geometry.batch,
    inChannels: geometry.inChannels,
    outChannels: geometry.outChannels,
    group: geometry.group,
    window: spatialWindow(geometry.axes),
  };
}

/** How many positions of each window along one axis count towards an average. */
function axisCounts(axis: WindowAxis, countPadding: boolean): number[] {
  return Array.from({ length: axis.output }, (_, o) => {
    let count = 0;
    for (let k = 0; k < axis.kernel; k++) {
      const position = o * axis.stride - axis.padBegin + k * axis.dilation;
      if (position >= axis.input + axis.padEnd) continue;
      if ((position >= 0 && position < axis.input) || countPadding) count++;
    }
    return count;
  });
}

/** 1 / divisor per output position: the product of the three axes' counts. */
function reciprocalDivisors(axes: readonly WindowAxis[], countPadding: boolean): Float32Array {
  const [depth, height, width] = axes.map((axis) => axisCounts(axis, countPadding));
  const table = new Float32Array(depth.length * height.length * width.length);
  let index = 0;
  for (const a of depth) for (const b of height) for (const c of width) table[index++] = 1 / (a * b * c);
  return table;
}

/** Plans MaxPool and AveragePool. */
export function planPool(ctx: PlanContext): PoolPlan {
  const [x] = ctx.node.inputs;
  const shape = ctx.shape(x);
  expectWindowRank(ctx, shape.length);
  const geometry = poolGeometry(ctx.infer, shape);
  const reduce = ctx.node.op === 'MaxPool' ? 'max' : 'avg';
  const window = spatialWindow(geometry.axes);
  const padded = [...new Array<WindowAxis>(3 - geometry.axes.length).fill(UNIT_AXIS), ...geometry.axes];
  const reciprocals = reduce === 'avg' ? reciprocalDivisors(padded, geometry.countIncludePad) : undefined;
  const global = window.output.every((size) => size === 1) && geometry.axes.every((axis) => axis.padBegin === 0 && axis.padEnd === 0 && windowExtent(axis.kernel, axis.dilation) === axis.input && axis.dilation === 1);
  return {
    kind: 'pool',
    node: ctx.node,
    reduce,
    x,
    y: ctx.node.outputs[0],
    indices: ctx.node.outputs[1] ?? '',
    columnMajorIndices: reduce === 'max' && ctx.infer.int('storage_order') === 1,
    planes: mulDims(shape[0], shape[1]),
    window,
    global,
    ...(reciprocals ? { reciprocals } : {}),
  };
}

/** Plans GlobalAveragePool and GlobalMaxPool: one window over the whole input. */
export function planGlobalPool(ctx: PlanContext): PoolPlan {
  const [x] = ctx.node.inputs;
  const shape = ctx.shape(x);
  expectWindowRank(ctx, shape.length);
  const spatial = shape.slice(2).map((dim) => ctx.staticDim(dim, 'a spatial dim of the input'));
  const axes = spatial.map((size): WindowAxis => ({ input: size, output: 1, kernel: size, stride: 1, dilation: 1, padBegin: 0, padEnd: 0 }));
  const reduce = ctx.node.op === 'GlobalMaxPool' ? 'max' : 'avg';
  const window = spatialWindow(axes);
  const reciprocals = reduce === 'avg' ? Float32Array.of(1 / (window.input[0] * window.input[1] * window.input[2])) : undefined;
  return { kind: 'pool', node: ctx.node, reduce, x, y: ctx.node.outputs[0], indices: '', columnMajorIndices: false, planes: mulDims(shape[0], shape[1]), window, global: true, ...(reciprocals ? { reciprocals } : {}) };
}
