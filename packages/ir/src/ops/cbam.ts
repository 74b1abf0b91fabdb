/**
 * CBAM — the Convolutional Block Attention Module (Woo et al., 2018) as one
 * Ladon extension op (not ONNX), which the compiler's fuse-cbam pass
 * introduces. On X [N, C, H, W]:
 *
 *   channel attention (when W1, W2 are given), one shared MLP
 *     mlp(v) = W2 · relu(W1 · v + B1) + B2      (W1 [R, C], W2 [C, R])
 *     ca[n, c] = sigmoid(mlp(mean_hw x[n])[c] + mlp(max_hw x[n])[c])
 *     u = x · ca
 *   spatial attention (when Ws is given), a same-size k×k convolution
 *     sa[n, h, w] = sigmoid(Bs + Σ Ws[0, i, a, b] · s_i[n, h + a - k/2, w + b - k/2])
 *     over the two maps s_0 = mean_c u, s_1 = max_c u (zero outside; Ws [1, 2, k, k], k odd)
 *     y = u · sa
 *
 * Outputs: Y, and optionally the maps channel_attention [N, C, 1, 1] and
 * spatial_attention [N, 1, H, W]. Computed in f64 and rounded once.
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpDef } from '../op-def.js';
import { formatType, type TensorType } from '../shape.js';
import { fromNumbers, type Tensor } from '../tensor.js';
import { numericValues } from './kernel-utils.js';

/** Input slots of CBAM. */
export const CBAM_INPUTS = { x: 0, w1: 1, b1: 2, w2: 3, b2: 4, spatialWeight: 5, spatialBias: 6 } as const;

/** What a CBAM node computes, read from its input shapes. */
export interface CbamGeometry {
  readonly channels: number;
  /** The MLP's hidden width (0 without channel attention). */
  readonly hidden: number;
  /** The spatial kernel size (0 without spatial attention). */
  readonly kernel: number;
}

function expectShape(ctx: InferContext, index: number, expected: readonly Dim[]): void {
  const type = ctx.type(index);
  ctx.expectSameDType(0, index);
  if (type.shape.length !== expected.length || !type.shape.every((dim, axis) => dimsCompatible(dim, expected[axis]))) {
    ctx.failShape(`${ctx.inputPortName(index)} ${ctx.inputRef(index)} is ${formatType(type)}, expected [${expected.join(', ')}]`, ctx.node.inputs[index]);
  }
}

/** The geometry of a CBAM node (validated: which attentions, MLP width, spatial kernel). */
export function cbamGeometry(ctx: InferContext): CbamGeometry {
  const x = ctx.expectRank(0, [4]);
  ctx.expectDType(0, ['f32']);
  const channels = x.shape[1];
  if (typeof channels !== 'number') ctx.failShape(`X ${ctx.inputRef(0)} must have a static channel count, got ${formatType(x)}`, ctx.node.inputs[0]);
  const { w1, b1, w2, b2, spatialWeight, spatialBias } = CBAM_INPUTS;
  if (ctx.has(w1) !== ctx.has(w2)) ctx.failShape('channel attention needs both W1 and W2');
  if (!ctx.has(w1) && !ctx.has(spatialWeight)) ctx.failShape('CBAM needs channel attention (W1, W2), spatial attention (Ws), or both');
  let hidden = 0;
  if (ctx.has(w1)) {
    const rows = ctx.expectRank(w1, [2]).shape[0];
    if (typeof rows !== 'number') ctx.failShape(`W1 ${ctx.inputRef(w1)} must have a static hidden width`);
    hidden = rows;
    expectShape(ctx, w1, [hidden, channels]);
    expectShape(ctx, w2, [channels, hidden]);
    if (ctx.has(b1)) expectShape(ctx, b1, [hidden]);
    if (ctx.has(b2)) expectShape(ctx, b2, [channels]);
  }
  let kernel = 0;
  if (ctx.has(spatialWeight)) {
    const size = ctx.expectRank(spatialWeight, [4]).shape[2];
    if (typeof size !== 'number' || size % 2 !== 1) ctx.failShape(`Ws ${ctx.inputRef(spatialWeight)} must be [1, 2, k, k] with k odd, got ${formatType(ctx.type(spatialWeight))}`);
    kernel = size;
    expectShape(ctx, spatialWeight, [1, 2, kernel, kernel]);
    if (ctx.has(spatialBias)) expectShape(ctx, spatialBias, [1]);
  }
  return { channels, hidden, kernel };
}

function inferCbam(ctx: InferContext): (TensorType | undefined)[] {
  const { hidden, kernel } = cbamGeometry(ctx);
  const [n, c, h, w] = ctx.type(0).shape;
  const maps: (Dim[] | undefined)[] = [[n, c, h, w], hidden > 0 ? [n, c, 1, 1] : undefined, kernel > 0 ? [n, 1, h, w] : undefined];
  return ctx.node.outputs.map((name, index) => {
    if (!name) return undefined;
    const shape = maps[index];
    if (!shape) ctx.failShape(`output ${index} (${index === 1 ? 'channel' : 'spatial'}_attention) is requested, but the node has no ${index === 1 ? 'channel' : 'spatial'} attention`);
    return { dtype: 'f32', shape };
  });
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** The MLP on one pooled vector: W2 · relu(W1 · v + B1) + B2. */
function mlp(v: Float64Array, w1: ArrayLike<number>, b1: ArrayLike<number> | undefined, w2: ArrayLike<number>, b2: ArrayLike<number> | undefined, hidden: number): Float64Array {
  const channels = v.length;
  const h = new Float64Array(hidden);
  for (let r = 0; r < hidden; r++) {
    let sum = b1 ? b1[r] : 0;
    for (let c = 0; c < channels; c++) sum += w1[r * channels + c] * v[c];
    h[r] = Math.max(sum, 0);
  }
  const out = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = b2 ? b2[c] : 0;
    for (let r = 0; r < hidden; r++) sum += w2[c * hidden + r] * h[r];
    out[c] = sum;
  }
  return out;
}

function channelAttention(ctx: EvalContext, u: Float64Array, n: number, channels: number, plane: number): Float64Array {
  const { w1, b1, w2, b2 } = CBAM_INPUTS;
  const values = [w1, b1, w2, b2].map((index) => (ctx.optionalInput(index) ? numericValues(ctx.optionalInput(index)!) : undefined));
  const hidden = ctx.input(w1).shape[0];
  const [mean, max] = [new Float64Array(channels), new Float64Array(channels).fill(-Infinity)];
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < plane; p++) {
      const value = u[(n * channels + c) * plane + p];
      mean[c] += value / plane;
      max[c] = Math.max(max[c], value);
    }
  }
  const [fromMean, fromMax] = [mean, max].map((v) => mlp(v, values[0]!, values[1], values[2]!, values[3], hidden));
  return fromMean.map((value, c) => sigmoid(value + fromMax[c]));
}

function spatialAttention(ctx: EvalContext, u: Float64Array, n: number, shape: readonly number[]): Float64Array {
  const [, channels, height, width] = shape;
  const plane = height * width;
  const weight = numericValues(ctx.input(CBAM_INPUTS.spatialWeight));
  const bias = ctx.optionalInput(CBAM_INPUTS.spatialBias) ? numericValues(ctx.optionalInput(CBAM_INPUTS.spatialBias)!)[0] : 0;
  const k = ctx.input(CBAM_INPUTS.spatialWeight).shape[2];
  const stats = [new Float64Array(plane), new Float64Array(plane).fill(-Infinity)];
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < plane; p++) {
      const value = u[(n * channels + c) * plane + p];
      stats[0][p] += value / channels;
      stats[1][p] = Math.max(stats[1][p], value);
    }
  }
  const half = (k - 1) / 2;
  const sa = new Float64Array(plane);
  for (let h = 0; h < height; h++) {
    for (let w = 0; w < width; w++) {
      let sum = bias;
      for (let i = 0; i < 2; i++) {
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) {
            const [row, column] = [h + a - half, w + b - half];
            if (row >= 0 && row < height && column >= 0 && column < width) sum += weight[(i * k + a) * k + b] * stats[i][row * width + column];
          }
        }
      }
      sa[h * width + w] = sigmoid(sum);
    }
  }
  return sa;
}

function evaluateCbam(ctx: EvalContext): (Tensor | undefined)[] {
  const x = ctx.input(0);
  const [batch, channels, height, width] = x.shape;
  const plane = height * width;
  const u = Float64Array.from(numericValues(x));
  const channel = ctx.optionalInput(CBAM_INPUTS.w1) !== undefined;
  const spatial = ctx.optionalInput(CBAM_INPUTS.spatialWeight) !== undefined;
  const ca = new Float64Array(batch * channels);
  const sa = new Float64Array(batch * plane);
  for (let n = 0; n < batch; n++) {
    if (channel) {
      const gates = channelAttention(ctx, u, n, channels, plane);
      ca.set(gates, n * channels);
      for (let c = 0; c < channels; c++) for (let p = 0; p < plane; p++) u[(n * channels + c) * plane + p] *= gates[c];
    }
    if (spatial) {
      const gates = spatialAttention(ctx, u, n, x.shape);
      sa.set(gates, n * plane);
      for (let c = 0; c < channels; c++) for (let p = 0; p < plane; p++) u[(n * channels + c) * plane + p] *= gates[p];
    }
  }
  return [
    fromNumbers('f32', x.shape, u),
    channel && ctx.wantsOutput(1) ? fromNumbers('f32', [batch, channels, 1, 1], ca) : undefined,
    spatial && ctx.wantsOutput(2) ? fromNumbers('f32', [batch, 1, height, width], sa) : undefined,
  ];
}

/** CBAM: channel and/or spatial attention applied to a feature map (a Ladon extension op). */
export const CBAM: OpDef = {
  name: 'CBAM',
  summary: 'Convolutional Block Attention Module: channel attention (shared MLP on mean and max pools) then spatial attention (k×k conv on channel mean and max)',
  inputs: [
    { name: 'X' },
    { name: 'W1', optional: true },
    { name: 'B1', optional: true },
    { name: 'W2', optional: true },
    { name: 'B2', optional: true },
    { name: 'Ws', optional: true },
    { name: 'Bs', optional: true },
  ],
  outputs: [{ name: 'Y' }, { name: 'channel_attention', optional: true }, { name: 'spatial_attention', optional: true }],
  attributes: {},
  infer: inferCbam,
  evaluate: evaluateCbam,
};
