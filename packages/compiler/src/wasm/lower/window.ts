/**
 * Emitting convolution and pooling plans on f32. A Conv runs the implicit
 * GEMM kernel on its weight packed into panels (at compile time when the
 * weight and bias are constants, else by a packing step first), reading
 * the input through a table of window offsets; a depthwise Conv (group =
 * channels, one output per group) runs its own kernel on the raw weight.
 * Pools pad each plane into a scratch and run four outputs at a time; the
 * global pools are row reductions; MaxPool with Indices runs a scalar
 * kernel with bounds checks. ConvTranspose is a scalar output-centric
 * kernel.
 */
import { toFloat32, type Tensor } from '@ladon/ir';
import type { ConvPlan, PoolPlan, SpatialWindow } from '../../lower/plans/window.js';
import { convDepth, convKernel, convOffsets, convPackKernel, groupPackedFloats, type ConvKernelConfig } from '../kernels/conv.js';
import { depthwiseConvKernel } from '../kernels/conv-depthwise.js';
import { needsPadding, paddedImageFloats, type PaddedImage } from '../kernels/conv-input.js';
import { convTransposeKernel } from '../kernels/conv-transpose.js';
import { packWeight } from '../kernels/gemm-pack.js';
import { globalPoolKernel, maxPoolIndicesKernel, poolKernel } from '../kernels/pool.js';
import { convSplit, depthwiseConvSplit, poolSplit } from '../../lower/split.js';
import { bufferArg, type WasmLowering } from '../lowering.js';

type Triple = readonly [number, number, number];
const sum3 = (a: Triple, b: Triple, c: Triple): Triple => [a[0] + b[0] + c[0], a[1] + b[1] + c[1], a[2] + b[2] + c[2]];

/** The scratch for one padded image per thread, or a placeholder of one float when the kernel reads in place. */
function paddedScratch(lowering: WasmLowering, image: PaddedImage): { buffer: number } {
  return { buffer: lowering.program.scratch('window_padded', 'f32', [needsPadding(image) ? paddedImageFloats(image) : 1], true) };
}

function convConfig(plan: ConvPlan, hasBias: boolean): ConvKernelConfig {
  const { window } = plan;
  const image: PaddedImage = { channels: plan.inChannels, input: window.input, padded: sum3(window.input, window.padBegin, window.padEnd), padBegin: window.padBegin, padValue: 0 };
  return { inChannels: plan.inChannels, outChannels: plan.outChannels, group: plan.group, kernel: window.kernel, strides: window.strides, dilations: window.dilations, output: window.output, image, hasBias, relu: false };
}

/** Emits Conv. */
export function emitConv(lowering: WasmLowering, plan: ConvPlan): void {
  for (const value of [plan.x, plan.w, plan.bias ?? '']) if (value) lowering.expectDType(plan.node, value, ['f32']);
  const config = convConfig(plan, plan.bias !== undefined);
  const x = bufferArg(lowering, plan.x);
  const y = bufferArg(lowering, plan.y);
  const bias = plan.bias ? bufferArg(lowering, plan.bias) : { int: 0 };
  if (plan.group > 1 && plan.group === plan.inChannels && plan.outChannels === plan.group) {
    const w = bufferArg(lowering, plan.w);
    lowering.call(depthwiseConvKernel(config), plan.node, { x, w, bias, y, padded: paddedScratch(lowering, config.image), batch: { dim: plan.batch } }, depthwiseConvSplit(plan));
    return;
  }
  const offsets = lowering.program.derivedWeight(`${plan.node.outputs[0]}:conv-offsets`, { dtype: 'i32', shape: [convDepth(config)], data: convOffsets(config) });
  lowering.call(convKernel(config), plan.node, { x, packed: packedWeight(lowering, plan, config), offsets: { buffer: offsets }, y, padded: paddedScratch(lowering, config.image), batch: { dim: plan.batch } }, convSplit(plan));
}

/** The weight in panels: packed now when it (and the bias) are constants, else by a packing step into a scratch. */
function packedWeight(lowering: WasmLowering, plan: ConvPlan, config: ConvKernelConfig): { buffer: number } {
  const weight = lowering.program.constant(plan.w);
  const bias = plan.bias ? lowering.program.constant(plan.bias) : undefined;
  if (weight && (!plan.bias || bias)) {
    const key = `${plan.w}${plan.bias ? `+${plan.bias}` : ''}:conv-panels-g${plan.group}`;
    return { buffer: lowering.program.derivedWeight(key, packConvWeight(weight, bias, config)) };
  }
  const packed = lowering.program.scratch('conv_packed', 'f32', [config.group * groupPackedFloats(config)]);
  lowering.call(convPackKernel(config), plan.node, { w: bufferArg(lowering, plan.w), bias: plan.bias ? bufferArg(lowering, plan.bias) : { int: 0 }, packed: { buffer: packed } });
  return { buffer: packed };
}

function packConvWeight(weight: Tensor, bias: Tensor | undefined, config: ConvKernelConfig): Tensor {
  const [values, biases] = [toFloat32(weight), bias ? toFloat32(bias) : undefined];
  const perGroupOut = config.outChannels / config.group;
  const depth = convDepth(config);
  const groupFloats = groupPackedFloats(config);
  const packed = new Float32Array(config.group * groupFloats);
  for (let g = 0; g < config.group; g++) {
    const rows = values.subarray(g * perGroupOut * depth, (g + 1) * perGroupOut * depth);
    packed.set(packWeight(rows, depth, perGroupOut, true, biases?.subarray(g * perGroupOut, (g + 1) * perGroupOut)), g * groupFloats);
  }
  return { dtype: 'f32', shape: [packed.length], data: packed };
}

/** Emits ConvTranspose. */
export function emitConvTranspose(lowering: WasmLowering, plan: ConvPlan): void {
  for (const value of [plan.x, plan.w, plan.bias ?? '']) if (value) lowering.expectDType(plan.node, value, ['f32']);
  const { window } = plan;
  const kernel = convTransposeKernel({
    inChannels: plan.inChannels, outChannels: plan.outChannels, group: plan.group, input: window.input, output: window.output,
    kernel: window.kernel, strides: window.strides, dilations: window.dilations, padBegin: window.padBegin, hasBias: plan.bias !== undefined,
  });
  const bias = plan.bias ? bufferArg(lowering, plan.bias) : { int: 0 };
  lowering.call(kernel, plan.node, { x: bufferArg(lowering, plan.x), w: bufferArg(lowering, plan.w), bias, y: bufferArg(lowering, plan.y), batch: { dim: plan.batch } });
}

/** The padded plane a pool reads: every window position inside it, -inf or 0 outside the input. */
function poolImage(window: SpatialWindow, reduce: 'max' | 'avg'): PaddedImage {
  const padded = [0, 1, 2].map((axis) => {
    const extent = (window.kernel[axis] - 1) * window.dilations[axis] + 1;
    return Math.max(window.input[axis] + window.padBegin[axis] + window.padEnd[axis], (window.output[axis] - 1) * window.strides[axis] + extent);
  }) as unknown as Triple;
  return { channels: 1, input: window.input, padded, padBegin: window.padBegin, padValue: reduce === 'max' ? -Infinity : 0 };
}

/** Emits MaxPool, AveragePool and the global pools. */
export function emitPool(lowering: WasmLowering, plan: PoolPlan): void {
  lowering.expectDType(plan.node, plan.x, ['f32']);
  const { window } = plan;
  const [x, y, planes] = [bufferArg(lowering, plan.x), bufferArg(lowering, plan.y), { dim: plan.planes }];
  if (plan.indices) {
    const kernel = maxPoolIndicesKernel({ input: window.input, output: window.output, kernel: window.kernel, strides: window.strides, dilations: window.dilations, padBegin: window.padBegin, columnMajor: plan.columnMajorIndices });
    lowering.call(kernel, plan.node, { x, y, indices: bufferArg(lowering, plan.indices), planes });
    return;
  }
  if (plan.global) {
    lowering.call(globalPoolKernel(plan.reduce, window.input[0] * window.input[1] * window.input[2]), plan.node, { x, y, planes }, poolSplit(plan));
    return;
  }
  const image = poolImage(window, plan.reduce);
  const table = plan.reciprocals ? { buffer: lowering.program.derivedWeight(`${plan.y}:pool-reciprocals`, { dtype: 'f32', shape: [plan.reciprocals.length], data: plan.reciprocals }) } : { int: 0 };
  const kernel = poolKernel({ reduce: plan.reduce, kernel: window.kernel, strides: window.strides, dilations: window.dilations, output: window.output, image });
  lowering.call(kernel, plan.node, { x, y, padded: paddedScratch(lowering, image), reciprocals: table, planes }, poolSplit(plan));
}
