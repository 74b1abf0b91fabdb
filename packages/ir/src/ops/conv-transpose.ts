/**
 * ConvTranspose (ONNX ConvTranspose-22): the gradient of Conv with respect
 * to its input. X [N, C, D1..Dn], W [C, M/group, k1..kn], optional B [M];
 * input position i and kernel position k add X·W into output position
 * `i·s + k·d - pb` (when it lies inside the output). The output size is
 * `output_shape` when given, else `s·(in - 1) + output_padding + ek - pb - pe`;
 * with SAME_UPPER/SAME_LOWER the output is `in·s` (or `output_shape`) and the
 * pads follow from it (the larger half at the end for SAME_UPPER). As the
 * ONNX reference does, explicit pads default to 0 and are not re-derived from
 * `output_shape`. Computed in f64 and rounded once.
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { formatType } from '../shape.js';
import { fromNumbers, type Tensor } from '../tensor.js';
import { FLOAT_TYPES, numericValues } from './kernel-utils.js';
import { readWindowAttrs, staticSpatial, windowExtent, windowOutputShape, type WindowAttrs, type WindowAxis } from './spatial-window.js';

/** What a ConvTranspose node computes. `axes[i].input` is X's size, `.output` Y's. */
export interface ConvTransposeGeometry {
  readonly batch: Dim;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly group: number;
  readonly axes: readonly WindowAxis[];
}

function optionalList(ctx: OpContext, name: string, length: number): number[] | undefined {
  const values = ctx.ints(name);
  if (values !== undefined && values.length !== length) ctx.failAttr(`attribute '${name}' has ${values.length} entries, expected ${length}`);
  return values ? [...values] : undefined;
}

function transposedAxis(attrs: WindowAttrs, inputs: readonly number[], axis: number, outputPadding: number, outputShape?: number): WindowAxis {
  const [input, kernel, stride, dilation] = [inputs[axis], attrs.kernel[axis], attrs.strides[axis], attrs.dilations[axis]];
  const natural = stride * (input - 1) + outputPadding + windowExtent(kernel, dilation);
  if (attrs.autoPad === 'SAME_UPPER' || attrs.autoPad === 'SAME_LOWER') {
    const output = outputShape ?? input * stride;
    const total = natural - output;
    const small = Math.floor(total / 2);
    const [padBegin, padEnd] = attrs.autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    return { input, output, kernel, stride, dilation, padBegin, padEnd };
  }
  const [padBegin, padEnd] = [attrs.pads[axis], attrs.pads[axis + inputs.length]];
  return { input, output: outputShape ?? natural - padBegin - padEnd, kernel, stride, dilation, padBegin, padEnd };
}

/** The geometry of a ConvTranspose node from the shapes of X and W (validated). */
export function convTransposeGeometry(ctx: OpContext, x: readonly Dim[], w: readonly Dim[]): ConvTransposeGeometry {
  if (x.length < 3 || x.length > 5) ctx.failShape(`X ${ctx.inputRef(0)} must have rank 3 to 5 ([N, C, spatial...]), got rank ${x.length}`, ctx.node.inputs[0]);
  if (w.length !== x.length) ctx.failShape(`W ${ctx.inputRef(1)} must have rank ${x.length} like X, got rank ${w.length}`, ctx.node.inputs[1]);
  const [channels, perGroupOut] = [x[1], w[1]];
  if (typeof channels !== 'number' || typeof perGroupOut !== 'number') ctx.failShape(`the channel counts must be static, got X [${x.join(', ')}] and W [${w.join(', ')}]`);
  const group = ctx.int('group');
  if (group < 1 || channels % group !== 0) ctx.failShape(`group ${group} must divide the input channels (${channels})`);
  if (!dimsCompatible(w[0], channels)) ctx.failShape(`W ${ctx.inputRef(1)} has ${w[0]} input channels, expected ${channels}`, ctx.node.inputs[1]);
  const spatial = x.length - 2;
  const attrs = readWindowAttrs(ctx, spatial, w.slice(2));
  const inputs = staticSpatial(ctx, x);
  const outputPadding = optionalList(ctx, 'output_padding', spatial) ?? new Array<number>(spatial).fill(0);
  const outputShape = optionalList(ctx, 'output_shape', spatial);
  const axes = inputs.map((_, axis) => transposedAxis(attrs, inputs, axis, outputPadding[axis], outputShape?.[axis]));
  const bad = axes.findIndex((axis) => axis.output < 1);
  if (bad >= 0) ctx.failShape(`spatial axis ${bad}: the output size would be ${axes[bad].output}`);
  return { batch: x[0], inChannels: channels, outChannels: perGroupOut * group, group, axes };
}

function inferConvTranspose(ctx: InferContext): Dim[] {
  ctx.expectDType(0, FLOAT_TYPES);
  ctx.expectSameDType(0, 1);
  const geometry = convTransposeGeometry(ctx, ctx.type(0).shape, ctx.type(1).shape);
  if (ctx.has(2)) {
    ctx.expectSameDType(0, 2);
    const bias = ctx.expectRank(2, [1]);
    if (!dimsCompatible(bias.shape[0], geometry.outChannels)) ctx.failShape(`B ${ctx.inputRef(2)} is ${formatType(bias)}, expected [${geometry.outChannels}]`, ctx.node.inputs[2]);
  }
  return windowOutputShape(geometry.batch, geometry.outChannels, geometry.axes);
}

/** For every input position and kernel position, the output offset it adds into, or -1 when outside the output. */
function scatterTargets(axes: readonly WindowAxis[]): { targets: Int32Array; kernelSize: number; inputSize: number } {
  const inputSize = axes.reduce((size, axis) => size * axis.input, 1);
  const kernelSize = axes.reduce((size, axis) => size * axis.kernel, 1);
  const targets = new Int32Array(inputSize * kernelSize);
  for (let i = 0; i < inputSize; i++) {
    for (let k = 0; k < kernelSize; k++) {
      let [restI, restK, offset, stride] = [i, k, 0, 1];
      for (let axis = axes.length - 1; axis >= 0 && offset >= 0; axis--) {
        const { input, kernel, output } = axes[axis];
        const position = (restI % input) * axes[axis].stride + (restK % kernel) * axes[axis].dilation - axes[axis].padBegin;
        [restI, restK] = [Math.floor(restI / input), Math.floor(restK / kernel)];
        offset = position < 0 || position >= output ? -1 : offset + position * stride;
        stride *= output;
      }
      targets[i * kernelSize + k] = offset;
    }
  }
  return { targets, kernelSize, inputSize };
}

function evaluateConvTranspose(ctx: EvalContext): Tensor[] {
  const [x, w, b] = [ctx.input(0), ctx.input(1), ctx.optionalInput(2)];
  const geometry = convTransposeGeometry(ctx, x.shape, w.shape);
  const { targets, kernelSize, inputSize } = scatterTargets(geometry.axes);
  const { inChannels, outChannels, group } = geometry;
  const batch = x.shape[0];
  const outputSize = geometry.axes.reduce((size, axis) => size * axis.output, 1);
  const [xs, ws, bs] = [numericValues(x), numericValues(w), b ? numericValues(b) : undefined];
  const [perGroupIn, perGroupOut] = [inChannels / group, outChannels / group];
  const y = new Float64Array(batch * outChannels * outputSize);
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < outChannels; m++) {
      const yBase = (n * outChannels + m) * outputSize;
      if (bs) y.fill(bs[m], yBase, yBase + outputSize);
      const g = Math.floor(m / perGroupOut);
      for (let c = g * perGroupIn; c < (g + 1) * perGroupIn; c++) {
        const [xBase, wBase] = [(n * inChannels + c) * inputSize, (c * perGroupOut + (m % perGroupOut)) * kernelSize];
        for (let i = 0; i < inputSize; i++) {
          for (let k = 0; k < kernelSize; k++) {
            const target = targets[i * kernelSize + k];
            if (target >= 0) y[yBase + target] += xs[xBase + i] * ws[wBase + k];
          }
        }
      }
    }
  }
  return [fromNumbers(x.dtype, windowOutputShape(batch, outChannels, geometry.axes) as number[], y)];
}

/** ConvTranspose: N-d transposed convolution. */
export const ConvTranspose: OpDef = {
  name: 'ConvTranspose',
  summary: 'N-d transposed convolution with groups, strides, dilations, pads, output_padding / output_shape',
  inputs: [{ name: 'X' }, { name: 'W' }, { name: 'B', optional: true }],
  outputs: [{ name: 'Y' }],
  attributes: {
    auto_pad: { type: 'string', default: 'NOTSET' },
    dilations: { type: 'ints' },
    group: { type: 'int', default: 1 },
    kernel_shape: { type: 'ints' },
    output_padding: { type: 'ints' },
    output_shape: { type: 'ints' },
    pads: { type: 'ints' },
    strides: { type: 'ints' },
  },
  infer(ctx) {
    return [{ dtype: ctx.type(0).dtype, shape: inferConvTranspose(ctx) }];
  },
  evaluate: evaluateConvTranspose,
};
