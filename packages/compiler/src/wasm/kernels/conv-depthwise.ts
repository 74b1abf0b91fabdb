/**
 * Depthwise convolution (group = input channels = output channels): each
 * channel is convolved with its own small kernel, so there is no reduction
 * over channels to make a GEMM of. Per channel and output row, four output
 * pixels at a time: for every kernel tap (unrolled, static offsets into the
 * padded image of conv-input.ts) one weight splat times the four input
 * pixels (one vector load at stride 1, lane loads otherwise). The row's last
 * 1-3 pixels go one at a time.
 *
 * Parameters: x, w (the raw weight [C, 1, kd, kh, kw]), bias (pointer, or 0
 * without one), y, padded (scratch for one padded image, one per thread),
 * batch, part, parts. A split kernel: part p takes a block of channels.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { copyPadded, needsPadding } from './conv-input.js';
import type { ConvKernelConfig } from './conv.js';
import { PART_PARAMS, rowShare } from './parts.js';

/** The depthwise kernel of a configuration (group = inChannels = outChannels). */
export function depthwiseConvKernel(config: ConvKernelConfig): KernelSpec {
  const triple = (values: readonly number[]) => values.join('x');
  const { image } = config;
  const tag = [`c${config.inChannels}`, `i${triple(image.input)}`, `p${triple(image.padded)}`, `b${triple(image.padBegin)}`, `k${triple(config.kernel)}`, `s${triple(config.strides)}`, `d${triple(config.dilations)}`, `o${triple(config.output)}`].join('_');
  return {
    name: `conv_depthwise_${tag}${config.hasBias ? '_bias' : ''}${config.relu ? '_relu' : ''}`,
    params: ['x', 'w', 'bias', 'y', 'padded', 'batch', ...PART_PARAMS],
    build: (f) => buildDepthwise(f, config),
  };
}

/** Static byte offsets of every kernel tap from an output pixel's window origin. */
function tapOffsets(config: ConvKernelConfig): number[] {
  const [, hp, wp] = config.image.padded;
  const [kd, kh, kw] = config.kernel;
  const [dd, dh, dw] = config.dilations;
  const offsets: number[] = [];
  for (let a = 0; a < kd; a++) for (let b = 0; b < kh; b++) for (let e = 0; e < kw; e++) offsets.push(4 * ((a * dd * hp + b * dh) * wp + e * dw));
  return offsets;
}

/** Four pixels `strideBytes` apart starting at pointer + offset. */
function loadFour(f: FunctionBuilder, pointer: Local, offset: number, strideBytes: number): Expr {
  if (strideBytes === 4) return f.f32x4.load(pointer.get(), offset);
  let vector = f.f32x4.loadSplat(pointer.get(), offset);
  for (let lane = 1; lane < 4; lane++) vector = f.lanes.replaceF32(vector, lane, f.f32.load(pointer.get(), offset + lane * strideBytes));
  return vector;
}

function buildDepthwise(f: FunctionBuilder, config: ConvKernelConfig): Expr[] {
  const i = f.i32;
  const { image } = config;
  const [c, n, row, pixel] = ['c', 'n', 'row', 'pixel'].map((name) => f.local(name, 'i32'));
  const [imageAt, planeAt, rowAt, weights, yAt] = ['imageAt', 'planeAt', 'rowAt', 'weights', 'yAt'].map((name) => f.local(name, 'i32'));
  const [acc, sum] = [f.local('acc', 'v128'), f.local('sum', 'f32')];
  const [od, oh, ow] = config.output;
  const [sd, sh, sw] = config.strides;
  const [, hp, wp] = image.padded;
  const planeFloats = image.padded[0] * hp * wp;
  const inputPlane = image.input[0] * image.input[1] * image.input[2];
  const taps = tapOffsets(config);
  const bias = (): Expr => (config.hasBias ? f.f32.load(i.add(f.get('bias'), i.shl(c.get(), 2))) : f.f32.const(0));
  const vectorPixels: Expr[] = [acc.set(f.f32x4.splat(bias()))];
  taps.forEach((offset, k) => vectorPixels.push(acc.set(f.f32x4.fma(f.f32x4.loadSplat(weights.get(), 4 * k), loadFour(f, rowAt, offset, 4 * sw), acc.get()))));
  if (config.relu) vectorPixels.push(acc.set(f.f32x4.max(acc.get(), f.f32x4.zero())));
  vectorPixels.push(f.f32x4.store(yAt.get(), acc.get()), rowAt.set(i.add(rowAt.get(), i.const(16 * sw))), yAt.set(i.add(yAt.get(), i.const(16))));
  const scalarPixel: Expr[] = [sum.set(bias())];
  taps.forEach((offset, k) => scalarPixel.push(sum.set(f.f32.add(sum.get(), f.f32.mul(f.f32.load(weights.get(), 4 * k), f.f32.load(rowAt.get(), offset))))));
  if (config.relu) scalarPixel.push(sum.set(f.f32.max(sum.get(), f.f32.const(0))));
  scalarPixel.push(f.f32.store(yAt.get(), sum.get()), rowAt.set(i.add(rowAt.get(), i.const(4 * sw))), yAt.set(i.add(yAt.get(), i.const(4))));
  const rowOrigin = i.add(planeAt.get(), i.mul(i.add(i.mul(i.mul(i.divS(row.get(), i.const(oh)), i.const(sd)), i.const(hp)), i.mul(i.remS(row.get(), i.const(oh)), i.const(sh))), i.const(4 * wp)));
  const [first, count] = [f.local('firstChannel', 'i32'), f.local('channelCount', 'i32')];
  const perChannel: Expr[] = [
    yAt.set(i.add(f.get('y'), i.mul(i.add(i.mul(n.get(), i.const(config.inChannels)), c.get()), i.const(4 * od * oh * ow)))),
    planeAt.set(i.add(imageAt.get(), i.mul(c.get(), i.const(4 * (needsPadding(image) ? planeFloats : inputPlane))))),
    weights.set(i.add(f.get('w'), i.mul(c.get(), i.const(4 * taps.length)))),
    f.for(row, i.const(0), i.const(od * oh), 1, [
      rowAt.set(rowOrigin),
      f.for(pixel, i.const(0), i.const(ow - 3), 4, vectorPixels),
      f.for(pixel, pixel.get(), i.const(ow), 1, scalarPixel),
    ]),
  ];
  return [
    count.set(i.const(config.inChannels)),
    ...rowShare(f, count, first, 1),
    f.for(n, i.const(0), f.get('batch'), 1, [
      imageAt.set(i.add(f.get('x'), i.mul(n.get(), i.const(4 * config.inChannels * inputPlane)))),
      ...(needsPadding(image) ? [...copyPadded(f, image, imageAt, f.v('padded')), imageAt.set(f.get('padded'))] : []),
      f.for(c, first.get(), i.add(first.get(), count.get()), 1, perChannel),
    ]),
  ];
}
