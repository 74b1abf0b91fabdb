/**
 * Normalisations over channels of an [N, C, spatial...] tensor:
 *
 * - BatchNormalization (ONNX 15): inference mode uses the given mean and
 *   variance per channel; `training_mode` = 1 normalises with the batch's
 *   own per-channel mean and (population) variance and also outputs the
 *   updated running statistics, `running · momentum + batch · (1 - momentum)`.
 * - InstanceNormalization (22): per (n, c) over the spatial positions.
 * - GroupNormalization (21): per (n, group) over its C/G channels and the
 *   spatial positions; scale and bias are per channel (opset 18's per-group
 *   scale and bias of length G are accepted too).
 *
 * Every one is `(x - mean) / sqrt(var + epsilon) · scale + bias` with its own
 * statistics; computed in f64 and rounded once.
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { formatType, shapeSize, type TensorType } from '../shape.js';
import { fromNumbers, type Tensor } from '../tensor.js';
import { FLOAT_TYPES, numericValues } from './kernel-utils.js';

/** Checks that input `index` is a float vector of `length` elements with X's dtype. */
function expectChannelVector(ctx: InferContext, index: number, length: Dim): void {
  ctx.expectSameDType(0, index);
  const type = ctx.expectRank(index, [1]);
  if (!dimsCompatible(type.shape[0], length)) ctx.failShape(`${ctx.inputPortName(index)} ${ctx.inputRef(index)} is ${formatType(type)}, expected [${length}]`, ctx.node.inputs[index]);
}

function expectChannelsFirst(ctx: InferContext): readonly Dim[] {
  ctx.expectDType(0, FLOAT_TYPES);
  const shape = ctx.type(0).shape;
  if (shape.length < 2) ctx.failShape(`X ${ctx.inputRef(0)} must have rank >= 2 ([N, C, ...]), got rank ${shape.length}`, ctx.node.inputs[0]);
  return shape;
}

/** Mean and population variance of `count` values of `xs` starting at each of `starts`, `span` apart in blocks. */
function statistics(xs: ArrayLike<number>, blocks: readonly number[], span: number): { mean: number; variance: number } {
  let sum = 0;
  for (const start of blocks) for (let i = 0; i < span; i++) sum += xs[start + i];
  const count = blocks.length * span;
  const mean = sum / count;
  let squares = 0;
  for (const start of blocks) for (let i = 0; i < span; i++) squares += (xs[start + i] - mean) ** 2;
  return { mean, variance: squares / count };
}

function normalizeBlocks(y: Float64Array, xs: ArrayLike<number>, blocks: readonly number[], span: number, shift: { mean: number; inverse: number; scale: number; bias: number }): void {
  for (const start of blocks) {
    for (let i = 0; i < span; i++) y[start + i] = (xs[start + i] - shift.mean) * shift.inverse * shift.scale + shift.bias;
  }
}

function batchNormInfer(ctx: InferContext): (TensorType | undefined)[] {
  const shape = expectChannelsFirst(ctx);
  const training = ctx.int('training_mode');
  if (training !== 0 && training !== 1) ctx.failAttr(`attribute 'training_mode' must be 0 or 1, got ${training}`);
  for (let index = 1; index <= 4; index++) expectChannelVector(ctx, index, shape[1]);
  if (training === 0 && ctx.node.outputs.slice(1).some(Boolean)) ctx.failAttr('the running_mean and running_var outputs exist only with training_mode = 1');
  const dtype = ctx.type(0).dtype;
  return ctx.node.outputs.map((name, index) => (index === 0 ? { dtype, shape } : name ? { dtype, shape: [shape[1]] } : undefined));
}

function batchNormEvaluate(ctx: EvalContext): (Tensor | undefined)[] {
  const x = ctx.input(0);
  const [scale, bias, runningMean, runningVar] = [1, 2, 3, 4].map((index) => numericValues(ctx.input(index)));
  const [batch, channels] = x.shape;
  const size = shapeSize(x.shape.slice(2));
  const epsilon = ctx.float('epsilon');
  const training = ctx.int('training_mode') === 1;
  const xs = numericValues(x);
  const y = new Float64Array(xs.length);
  const [newMean, newVar] = [new Float64Array(channels), new Float64Array(channels)];
  const momentum = ctx.float('momentum');
  for (let c = 0; c < channels; c++) {
    const blocks = Array.from({ length: batch }, (_, n) => (n * channels + c) * size);
    const { mean, variance } = training ? statistics(xs, blocks, size) : { mean: runningMean[c], variance: runningVar[c] };
    normalizeBlocks(y, xs, blocks, size, { mean, inverse: 1 / Math.sqrt(variance + epsilon), scale: scale[c], bias: bias[c] });
    newMean[c] = runningMean[c] * momentum + mean * (1 - momentum);
    newVar[c] = runningVar[c] * momentum + variance * (1 - momentum);
  }
  return [
    fromNumbers(x.dtype, x.shape, y),
    training && ctx.wantsOutput(1) ? fromNumbers(x.dtype, [channels], newMean) : undefined,
    training && ctx.wantsOutput(2) ? fromNumbers(x.dtype, [channels], newVar) : undefined,
  ];
}

/** BatchNormalization: per-channel normalisation with given (or, in training mode, batch) statistics. */
export const BatchNormalization: OpDef = {
  name: 'BatchNormalization',
  summary: 'per-channel (x - mean) / sqrt(var + epsilon) · scale + B; batch statistics in training mode',
  inputs: [{ name: 'X' }, { name: 'scale' }, { name: 'B' }, { name: 'input_mean' }, { name: 'input_var' }],
  outputs: [{ name: 'Y' }, { name: 'running_mean', optional: true }, { name: 'running_var', optional: true }],
  attributes: {
    epsilon: { type: 'float', default: 1e-5 },
    momentum: { type: 'float', default: 0.9 },
    training_mode: { type: 'int', default: 0 },
  },
  infer: batchNormInfer,
  evaluate: batchNormEvaluate,
};

/** The group count of a GroupNormalization node (1 for InstanceNormalization, which has one group per channel). */
export function normalizationGroups(ctx: OpContext, channels: number): number {
  return ctx.node.op === 'GroupNormalization' ? ctx.int('num_groups') : channels;
}

function groupNormInfer(ctx: InferContext): TensorType[] {
  const shape = expectChannelsFirst(ctx);
  const channels = shape[1];
  if (typeof channels !== 'number') ctx.failShape(`X ${ctx.inputRef(0)} must have a static channel count, got [${shape.join(', ')}]`, ctx.node.inputs[0]);
  const groups = normalizationGroups(ctx, channels);
  if (groups < 1 || channels % groups !== 0) ctx.failAttr(`num_groups ${groups} must divide the channel count ${channels}`);
  const parameterLength = ctx.node.op === 'GroupNormalization' && ctx.type(1).shape[0] === groups ? groups : channels;
  expectChannelVector(ctx, 1, parameterLength);
  expectChannelVector(ctx, 2, parameterLength);
  return [{ dtype: ctx.type(0).dtype, shape }];
}

function groupNormEvaluate(ctx: EvalContext): Tensor[] {
  const x = ctx.input(0);
  const [scale, bias] = [numericValues(ctx.input(1)), numericValues(ctx.input(2))];
  const [batch, channels] = x.shape;
  const groups = normalizationGroups(ctx, channels);
  const perGroup = channels / groups;
  const span = perGroup * shapeSize(x.shape.slice(2));
  const size = span / perGroup;
  const perGroupParameters = scale.length === groups && groups !== channels;
  const epsilon = ctx.float('epsilon');
  const xs = numericValues(x);
  const y = new Float64Array(xs.length);
  for (let row = 0; row < batch * groups; row++) {
    const { mean, variance } = statistics(xs, [row * span], span);
    const inverse = 1 / Math.sqrt(variance + epsilon);
    for (let k = 0; k < perGroup; k++) {
      const channel = (row % groups) * perGroup + k;
      const parameter = perGroupParameters ? row % groups : channel;
      normalizeBlocks(y, xs, [row * span + k * size], size, { mean, inverse, scale: scale[parameter], bias: bias[parameter] });
    }
  }
  return [fromNumbers(x.dtype, x.shape, y)];
}

/** InstanceNormalization: per (n, c) normalisation over the spatial positions. */
export const InstanceNormalization: OpDef = {
  name: 'InstanceNormalization',
  summary: 'per (n, c) normalisation over the spatial positions, then per-channel scale and B',
  inputs: [{ name: 'input' }, { name: 'scale' }, { name: 'B' }],
  outputs: [{ name: 'output' }],
  attributes: { epsilon: { type: 'float', default: 1e-5 } },
  infer: groupNormInfer,
  evaluate: groupNormEvaluate,
};

/** GroupNormalization: per (n, group) normalisation, then per-channel scale and bias. */
export const GroupNormalization: OpDef = {
  name: 'GroupNormalization',
  summary: 'per (n, group of channels) normalisation, then per-channel scale and bias',
  inputs: [{ name: 'X' }, { name: 'scale' }, { name: 'bias' }],
  outputs: [{ name: 'Y' }],
  attributes: {
    epsilon: { type: 'float', default: 1e-5 },
    num_groups: { type: 'int', required: true },
    stash_type: { type: 'int', default: 1 },
  },
  infer: groupNormInfer,
  evaluate: groupNormEvaluate,
};
