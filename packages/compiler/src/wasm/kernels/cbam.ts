/**
 * The fused CBAM kernel (lower/plans/cbam.ts) on f32 [N, C, H, W]. Per
 * image, the feature map is read three times and written once:
 *
 * 1. channel statistics — one pass, four lanes at a time: each channel's sum
 *    and max together (maxima with pmax, the max instruction x86 has: a NaN in
 *    the map is not propagated into a max); then the shared MLP on both pooled vectors
 *    (`W2 · (relu(W1·mean + B1) + relu(W1·max + B1)) + 2·B2`, one W2 product
 *    for both branches) and the gate, four channels at a time: ca;
 * 2. spatial statistics (cbam-spatial.ts) — one pass over x · ca: per pixel
 *    the channel mean and max into zero-bordered planes; the k×k
 *    convolution of those small planes and the gate: sa;
 * 3. apply — y = x · (ca[c] · sa[p]), interleaved with pass 2 row by row
 *    (a row is written as soon as its window's statistics exist, while its
 *    x rows are still in cache).
 *
 * With one attention only, pass 2 or 1 drops out. The maps are written to
 * their outputs when asked for (else to scratch). Sizes are baked in
 * except the batch.
 *
 * Parameters: x, w1, b1, w2, b2 (channel attention; 0 when absent), ws, bs
 * (spatial attention; 0 when absent), y, channelMap, spatialMap (0 when not
 * wanted), scratch (one per thread), batch, part, parts. A split kernel
 * (lower/split.ts): part p takes a block of images.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { gateInto, type CbamKernelConfig, type CbamLocals } from './cbam-config.js';
import { applyChannelAttention, spatialAttention, spatialScratchFloats } from './cbam-spatial.js';
import { PART_PARAMS, rowShare } from './parts.js';

/** Floats of scratch the kernel needs: pooled [2C], hidden [R], gate logits and gates [C rounded to 4] x 2, then the spatial part. */
export function cbamScratchFloats(config: CbamKernelConfig): number {
  return channelScratchFloats(config) + spatialScratchFloats(config);
}

function roundUp4(value: number): number {
  return Math.ceil(value / 4) * 4;
}

function channelScratchFloats(config: CbamKernelConfig): number {
  return config.hidden > 0 ? 2 * config.channels + roundUp4(config.hidden) + 2 * roundUp4(config.channels) : 0;
}

/** The CBAM kernel of a configuration. */
export function cbamKernel(config: CbamKernelConfig): KernelSpec {
  const flags = [config.hasB1 ? 'b1' : '', config.hasB2 ? 'b2' : '', config.hasSpatialBias ? 'bs' : '', config.writeChannelMap ? 'cmap' : '', config.writeSpatialMap ? 'smap' : ''].filter(Boolean).join('_');
  return {
    name: `cbam_c${config.channels}_h${config.height}_w${config.width}_r${config.hidden}_k${config.kernel}${flags ? `_${flags}` : ''}`,
    params: ['x', 'w1', 'b1', 'w2', 'b2', 'ws', 'bs', 'y', 'channelMap', 'spatialMap', 'scratch', 'batch', ...PART_PARAMS],
    build: (f) => buildCbam(f, config),
  };
}

function buildCbam(f: FunctionBuilder, config: CbamKernelConfig): Expr[] {
  const i = f.i32;
  const plane = config.height * config.width;
  const t: CbamLocals = {
    image: f.local('image', 'i32'),
    output: f.local('output', 'i32'),
    ca: f.local('ca', 'i32'),
    sa: f.local('sa', 'i32'),
    cursor: f.local('cursor', 'i32'),
    channel: f.local('channel', 'i32'),
    acc: Array.from({ length: 10 }, (_, index) => f.local(`acc${index}`, 'v128')),
    gateOut: f.local('gateOut', 'v128'),
  };
  const n = f.local('n', 'i32');
  const spatialScratch = i.add(f.get('scratch'), i.const(4 * channelScratchFloats(config)));
  const perImage: Expr[] = [
    t.image.set(i.add(f.get('x'), i.mul(n.get(), i.const(4 * config.channels * plane)))),
    t.output.set(i.add(f.get('y'), i.mul(n.get(), i.const(4 * config.channels * plane)))),
    ...(config.hidden > 0 ? channelAttention(f, config, t, n) : [t.ca.set(i.const(0))]),
    ...(config.kernel > 0 ? spatialAttention(f, config, t, n, spatialScratch) : applyChannelAttention(f, config, t)),
  ];
  const first = f.local('firstImage', 'i32');
  return [...rowShare(f, f.v('batch'), first, 1), f.for(n, first.get(), i.add(first.get(), f.get('batch')), 1, perImage)];
}

/** Scratch pointers of the channel pass. */
function channelScratch(f: FunctionBuilder, config: CbamKernelConfig): { pooled: () => Expr; hidden: () => Expr; logits: () => Expr; gates: () => Expr } {
  const i = f.i32;
  const at = (floats: number) => (): Expr => i.add(f.get('scratch'), i.const(4 * floats));
  const c = config.channels;
  return { pooled: at(0), hidden: at(2 * c), logits: at(2 * c + roundUp4(config.hidden)), gates: at(2 * c + roundUp4(config.hidden) + roundUp4(c)) };
}

/** Pass 1: per-channel sum and max in one pass, the MLP, the gates. Sets t.ca. */
function channelAttention(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, n: Local): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const plane = config.height * config.width;
  const scratch = channelScratch(f, config);
  const end = f.local('planeEnd', 'i32');
  const [sum, max] = [f.local('sumValue', 'f32'), f.local('maxValue', 'f32')];
  const [sums, maxima, loaded] = [[t.acc[0], t.acc[1]], [t.acc[2], t.acc[3]], [t.acc[4], t.acc[5]]];
  const pairs = Math.floor(plane / 8);
  const vectorTail = plane % 8 >= 4;
  const fold = (index: number, offset: number): Expr[] => [
    loaded[index].set(v.load(t.cursor.get(), offset)),
    sums[index].set(v.add(sums[index].get(), loaded[index].get())),
    maxima[index].set(v.pmax(maxima[index].get(), loaded[index].get())),
  ];
  const scalarTail: Expr[] = [];
  for (let lane = 0; lane < plane % 4; lane++) {
    const value = (): Expr => f.f32.load(t.cursor.get(), (vectorTail ? 16 : 0) + 4 * lane);
    scalarTail.push(sum.set(f.f32.add(sum.get(), value())), max.set(f.f32.max(max.get(), value())));
  }
  // two independent sum/max pairs over 8 floats per step (the chains of adds overlap), then 4, then lane by lane
  const pool: Expr[] = [
    t.cursor.set(i.add(t.image.get(), i.mul(t.channel.get(), i.const(4 * plane)))),
    end.set(i.add(t.cursor.get(), i.const(32 * pairs))),
    ...[0, 1].flatMap((index) => [sums[index].set(v.zero()), maxima[index].set(v.const(-Infinity))]),
    f.for(t.cursor, t.cursor.get(), end.get(), 32, [...fold(0, 0), ...fold(1, 16)]),
    t.cursor.set(end.get()),
    ...(vectorTail ? fold(0, 0) : []),
    sum.set(f.f32.add(v.sum(sums[0]), v.sum(sums[1]))),
    max.set(f.f32.max(v.maxLanes(maxima[0]), v.maxLanes(maxima[1]))),
    ...scalarTail,
    f.f32.store(i.add(scratch.pooled(), i.shl(t.channel.get(), 2)), f.f32.div(sum.get(), f.f32.const(plane))),
    f.f32.store(i.add(scratch.pooled(), i.shl(t.channel.get(), 2)), max.get(), 4 * config.channels),
  ];
  const gates = config.writeChannelMap ? (): Expr => i.add(f.get('channelMap'), i.mul(n.get(), i.const(4 * config.channels))) : scratch.gates;
  return [
    f.for(t.channel, i.const(0), i.const(config.channels), 1, pool),
    ...sharedMlp(f, config, t, scratch),
    t.ca.set(gates()),
    ...gateChannels(f, config, t, scratch.logits, gates),
  ];
}

/**
 * hidden[r] = relu(W1·mean + B1)[r] + relu(W1·max + B1)[r]; logits[c] =
 * (W2·hidden)[c] + 2·B2[c]. Each dot product runs four lanes at a time
 * along its contiguous row (W1's rows are C long, W2's R long), its last
 * 1-3 terms one at a time.
 */
function sharedMlp(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, scratch: ReturnType<typeof channelScratch>): Expr[] {
  const i = f.i32;
  const { channels, hidden } = config;
  const [row, k] = [f.local('mlpRow', 'i32'), f.local('mlpK', 'i32')];
  const [fromMean, fromMax, total] = [f.local('fromMean', 'f32'), f.local('fromMax', 'f32'), f.local('mlpTotal', 'f32')];
  const load = (pointer: Expr, index: Expr, offset = 0): Expr => f.f32.load(i.add(pointer, i.shl(index, 2)), offset);
  const relu = (value: Expr): Expr => f.f32.max(value, f.f32.const(0));
  const w1Row = (): Expr => i.add(f.get('w1'), i.mul(row.get(), i.const(4 * channels)));
  const meanDot = dotProduct(f, channels, w1Row, scratch.pooled, [t.acc[0], t.acc[1]]);
  const maxDot = dotProduct(f, channels, w1Row, () => i.add(scratch.pooled(), i.const(4 * channels)), [t.acc[2], t.acc[3]]);
  const first = [
    f.for(row, i.const(0), i.const(hidden), 1, [
      fromMean.set(config.hasB1 ? load(f.get('b1'), row.get()) : f.f32.const(0)),
      fromMax.set(fromMean.get()),
      ...meanDot(k, fromMean),
      ...maxDot(k, fromMax),
      f.f32.store(i.add(scratch.hidden(), i.shl(row.get(), 2)), f.f32.add(relu(fromMean.get()), relu(fromMax.get()))),
    ]),
  ];
  const w2Row = (): Expr => i.add(f.get('w2'), i.mul(t.channel.get(), i.const(4 * hidden)));
  const hiddenDot = dotProduct(f, hidden, w2Row, scratch.hidden, [t.acc[4], t.acc[5]]);
  const second = [
    f.for(t.channel, i.const(0), i.const(channels), 1, [
      total.set(config.hasB2 ? f.f32.mul(f.f32.const(2), load(f.get('b2'), t.channel.get())) : f.f32.const(0)),
      ...hiddenDot(k, total),
      f.f32.store(i.add(scratch.logits(), i.shl(t.channel.get(), 2)), total.get()),
    ]),
  ];
  return [...first, ...second];
}

/**
 * Statements adding the dot product of `length` floats at a() and b() to
 * the f32 local `into`: on counter k, two vector accumulators over 8
 * floats per step, then 4, then one at a time.
 */
function dotProduct(f: FunctionBuilder, length: number, a: () => Expr, b: () => Expr, [acc0, acc1]: readonly Local[]): (k: Local, into: Local) => Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const eights = 8 * Math.floor(length / 8);
  return (k, into) => {
    const at = (base: () => Expr, offset: number): Expr => i.add(base(), i.add(i.shl(k.get(), 2), i.const(offset)));
    const statements: Expr[] = [
      acc0.set(v.zero()),
      acc1.set(v.zero()),
      f.for(k, i.const(0), i.const(eights), 8, [acc0.set(v.fma(v.load(at(a, 0)), v.load(at(b, 0)), acc0.get())), acc1.set(v.fma(v.load(at(a, 16)), v.load(at(b, 16)), acc1.get()))]),
      k.set(i.const(eights)),
    ];
    let done = eights;
    if (length - done >= 4) {
      statements.push(acc0.set(v.fma(v.load(at(a, 0)), v.load(at(b, 0)), acc0.get())));
      done += 4;
    }
    statements.push(acc0.set(v.add(acc0.get(), acc1.get())), into.set(f.f32.add(into.get(), v.sum(acc0))));
    for (let index = done; index < length; index++) statements.push(into.set(f.f32.add(into.get(), f.f32.mul(f.f32.load(at(a, 4 * (index - eights))), f.f32.load(at(b, 4 * (index - eights)))))));
    return statements;
  };
}

/** gates[c] = gate(logits[c]), four channels at a time; the last 1-3 lane by lane. */
function gateChannels(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, logits: () => Expr, gates: () => Expr): Expr[] {
  const i = f.i32;
  const whole = Math.floor(config.channels / 4);
  const statements: Expr[] = [
    f.for(t.channel, i.const(0), i.const(4 * whole), 4, [
      ...gateInto(f, config, t.gateOut, f.f32x4.load(i.add(logits(), i.shl(t.channel.get(), 2)))),
      f.f32x4.store(i.add(gates(), i.shl(t.channel.get(), 2)), t.gateOut.get()),
    ]),
  ];
  if (config.channels % 4 === 0) return statements;
  statements.push(...gateInto(f, config, t.gateOut, f.f32x4.load(logits(), 16 * whole)));
  for (let lane = 0; lane < config.channels % 4; lane++) statements.push(f.f32.store(gates(), f.f32x4.extract(t.gateOut.get(), lane), 16 * whole + 4 * lane));
  return statements;
}
