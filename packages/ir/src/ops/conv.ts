/**
 * Conv (ONNX Conv-22): X [N, C, D1..Dn] convolved with W [M, C/group,
 * k1..kn] (cross-correlation, as ONNX and every framework define it), plus
 * the optional bias B [M], over 1 to 3 spatial axes. Output channel m of
 * group g = m / (M/group) reads input channels [g·C/group, (g+1)·C/group).
 * Strides, dilations, explicit or automatic (`auto_pad`) padding as in
 * spatial-window.ts. Computed in f64 and rounded once.
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { formatType, shapeSize } from '../shape.js';
import { fromNumbers, type Tensor } from '../tensor.js';
import { FLOAT_TYPES, numericValues } from './kernel-utils.js';
import { readWindowAttrs, staticSpatial, windowGeometry, windowOutputShape, windowTaps, type WindowAxis } from './spatial-window.js';

/** What a Conv node computes, read from its attributes and input shapes. */
export interface ConvGeometry {
  readonly batch: Dim;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly group: number;
  readonly axes: readonly WindowAxis[];
}

function checkGroups(ctx: OpContext, channels: number, outChannels: number, weightChannels: Dim, group: number): void {
  if (group < 1) ctx.failAttr(`attribute 'group' must be >= 1, got ${group}`);
  if (channels % group !== 0 || outChannels % group !== 0) {
    ctx.failShape(`group ${group} must divide the input channels (${channels}) and the output channels (${outChannels})`);
  }
  if (weightChannels !== channels / group) ctx.failShape(`W has ${weightChannels} input channels per group, expected ${channels} / group ${group} = ${channels / group}`, ctx.node.inputs[1]);
}

/**
 * The geometry of a Conv node from the shapes of X and W (validated: rank,
 * static channel and spatial dims, groups, kernel_shape, pads). Shared by
 * inference, the reference and the compiler's plans.
 */
export function convGeometry(ctx: OpContext, x: readonly Dim[], w: readonly Dim[]): ConvGeometry {
  if (x.length < 3 || x.length > 5) ctx.failShape(`X ${ctx.inputRef(0)} must have rank 3 to 5 ([N, C, spatial...]), got rank ${x.length}`, ctx.node.inputs[0]);
  if (w.length !== x.length) ctx.failShape(`W ${ctx.inputRef(1)} must have rank ${x.length} like X, got rank ${w.length}`, ctx.node.inputs[1]);
  const [channels, outChannels] = [x[1], w[0]];
  if (typeof channels !== 'number' || typeof outChannels !== 'number') ctx.failShape(`the channel counts must be static, got X [${x.join(', ')}] and W [${w.join(', ')}]`);
  const group = ctx.int('group');
  checkGroups(ctx, channels, outChannels, w[1], group);
  const attrs = readWindowAttrs(ctx, x.length - 2, w.slice(2));
  return { batch: x[0], inChannels: channels, outChannels, group, axes: windowGeometry(ctx, attrs, staticSpatial(ctx, x)) };
}

function inferConv(ctx: InferContext): Dim[] {
  ctx.expectDType(0, FLOAT_TYPES);
  ctx.expectDType(1, FLOAT_TYPES);
  ctx.expectSameDType(0, 1);
  const geometry = convGeometry(ctx, ctx.type(0).shape, ctx.type(1).shape);
  if (ctx.has(2)) {
    ctx.expectSameDType(0, 2);
    const bias = ctx.expectRank(2, [1]);
    if (!dimsCompatible(bias.shape[0], geometry.outChannels)) ctx.failShape(`B ${ctx.inputRef(2)} is ${formatType(bias)}, expected [${geometry.outChannels}]`, ctx.node.inputs[2]);
  }
  return windowOutputShape(geometry.batch, geometry.outChannels, geometry.axes);
}

function evaluateConv(ctx: EvalContext): Tensor[] {
  const [x, w, b] = [ctx.input(0), ctx.input(1), ctx.optionalInput(2)];
  const geometry = convGeometry(ctx, x.shape, w.shape);
  const { taps, kernelSize, outputSize } = windowTaps(geometry.axes);
  const [batch, { inChannels, outChannels, group }] = [x.shape[0], geometry];
  const [xs, ws, bs] = [numericValues(x), numericValues(w), b ? numericValues(b) : undefined];
  const inputSize = shapeSize(x.shape.slice(2));
  const [perGroupIn, perGroupOut] = [inChannels / group, outChannels / group];
  const y = new Float64Array(batch * outChannels * outputSize);
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < outChannels; m++) {
      const firstChannel = Math.floor(m / perGroupOut) * perGroupIn;
      for (let o = 0; o < outputSize; o++) {
        let sum = bs ? bs[m] : 0;
        for (let c = 0; c < perGroupIn; c++) {
          const xBase = (n * inChannels + firstChannel + c) * inputSize;
          const wBase = (m * perGroupIn + c) * kernelSize;
          for (let k = 0; k < kernelSize; k++) {
            const tap = taps[o * kernelSize + k];
            if (tap >= 0) sum += xs[xBase + tap] * ws[wBase + k];
          }
        }
        y[(n * outChannels + m) * outputSize + o] = sum;
      }
    }
  }
  return [fromNumbers(x.dtype, windowOutputShape(batch, outChannels, geometry.axes) as number[], y)];
}

/** Conv: N-d convolution with groups, strides, dilations and padding. */
export const Conv: OpDef = {
  name: 'Conv',
  summary: 'N-d convolution (cross-correlation) with groups, strides, dilations, pads, optional bias',
  inputs: [{ name: 'X' }, { name: 'W' }, { name: 'B', optional: true }],
  outputs: [{ name: 'Y' }],
  attributes: {
    auto_pad: { type: 'string', default: 'NOTSET' },
    dilations: { type: 'ints' },
    group: { type: 'int', default: 1 },
    kernel_shape: { type: 'ints' },
    pads: { type: 'ints' },
    strides: { type: 'ints' },
  },
  infer(ctx) {
    return [{ dtype: ctx.type(0).dtype, shape: inferConv(ctx) }];
  },
  evaluate: evaluateConv,
};
