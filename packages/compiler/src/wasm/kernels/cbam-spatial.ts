/**
 * CBAM's spatial attention and the final apply pass (see cbam.ts).
 *
 * With spatial attention the last two passes are one sweep over the rows:
 * at step s, the statistics of row s (the mean and max over channels of
 * x · ca, eight pixels at a time, channels innermost) go into two planes
 * with a zero border of b = (k - 1)/2 (plus 3 columns of slack so a
 * four-wide load never leaves them); row s - b then has all the rows its
 * k×k window needs, so its convolution (without bounds checks) and gate
 * give sa for that row, and y = x · ca · sa is written for it while its x
 * rows, read b steps ago, are still in cache. Channel attention alone
 * applies y = x · ca in one flat pass.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { gateInto, type CbamKernelConfig, type CbamLocals } from './cbam-config.js';

interface PlaneGeometry {
  readonly border: number;
  readonly rows: number;
  readonly columns: number;
}

function planeGeometry(config: CbamKernelConfig): PlaneGeometry {
  const border = (config.kernel - 1) / 2;
  return { border, rows: config.height + 2 * border, columns: config.width + 2 * border + 3 };
}

/** Floats of the spatial pass's scratch: the two bordered planes and the gates (when not written to the output). */
export function spatialScratchFloats(config: CbamKernelConfig): number {
  if (config.kernel === 0) return 0;
  const plane = planeGeometry(config);
  return 2 * plane.rows * plane.columns + config.height * config.width + 4;
}

/** Pass 2: the statistics planes, the convolution and the gates. Sets t.sa. */
export function spatialAttention(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, n: Local, scratch: Expr): Expr[] {
  const i = f.i32;
  const plane = planeGeometry(config);
  const planeBytes = 4 * plane.rows * plane.columns;
  const stats = f.local('stats', 'i32');
  const gates = config.writeSpatialMap
    ? i.add(f.get('spatialMap'), i.mul(n.get(), i.const(4 * config.height * config.width)))
    : i.add(stats.get(), i.const(2 * planeBytes));
  const [step, statsRow, gateRow] = [f.local('step', 'i32'), f.local('statsRow', 'i32'), f.local('gateRow', 'i32')];
  return [
    stats.set(scratch),
    f.memory.fill(stats.get(), i.const(0), i.const(2 * planeBytes)),
    t.sa.set(gates),
    f.for(step, i.const(0), i.const(config.height + plane.border), 1, [
      f.if(i.lt(step.get(), i.const(config.height)), [statsRow.set(step.get()), ...statistics(f, config, t, stats, statsRow)]),
      f.if(i.ge(step.get(), i.const(plane.border)), [gateRow.set(i.sub(step.get(), i.const(plane.border))), ...convolution(f, config, t, stats, gateRow), ...applyRow(f, config, t, gateRow)]),
    ]),
  ];
}

/**
 * Mean and max over channels of x · ca for the pixels of one row into the
 * bordered planes: 16 pixels at a time (four independent chains each for
 * the sum and the max), then 8, then 4, then one; the channel loop walks
 * the image and the gates with pointers.
 */
function statistics(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, stats: Local, row: Local): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const plane = planeGeometry(config);
  const planeBytes = 4 * plane.rows * plane.columns;
  const channelBytes = 4 * config.height * config.width;
  const inverse = 1 / config.channels;
  const scaled = config.hidden > 0;
  const [column, channelEnd, gateAt] = [f.local('statsColumn', 'i32'), f.local('statsEnd', 'i32'), f.local('statsGate', 'i32')];
  const [sums, maxima, loaded, scale] = [t.acc.slice(0, 4), t.acc.slice(4, 8), t.acc[8], t.acc[9]];
  // bordered position of pixel (row, column)
  const target = (): Expr => i.add(stats.get(), i.shl(i.add(i.mul(i.add(row.get(), i.const(plane.border)), i.const(plane.columns)), i.add(column.get(), i.const(plane.border))), 2));
  const start = (): Expr[] => [
    t.cursor.set(i.add(t.image.get(), i.shl(i.add(i.mul(row.get(), i.const(config.width)), column.get()), 2))),
    channelEnd.set(i.add(t.cursor.get(), i.const(config.channels * channelBytes))),
    gateAt.set(t.ca.get()),
  ];
  const nextChannel = (): Expr[] => (scaled ? [gateAt.set(i.add(gateAt.get(), i.const(4)))] : []);
  const chunk = (vectors: number): Expr[] => {
    const perChannel: Expr[] = scaled ? [scale.set(v.loadSplat(gateAt.get()))] : [];
    for (let j = 0; j < vectors; j++) {
      const load = v.load(t.cursor.get(), 16 * j);
      perChannel.push(loaded.set(scaled ? v.mul(load, scale.get()) : load), sums[j].set(v.add(sums[j].get(), loaded.get())), maxima[j].set(v.pmax(maxima[j].get(), loaded.get())));
    }
    const statements: Expr[] = start();
    for (let j = 0; j < vectors; j++) statements.push(sums[j].set(v.zero()), maxima[j].set(v.const(-Infinity)));
    statements.push(f.for(t.cursor, t.cursor.get(), channelEnd.get(), channelBytes, [...perChannel, ...nextChannel()]));
    for (let j = 0; j < vectors; j++) statements.push(v.store(target(), v.mul(sums[j].get(), v.const(inverse)), 16 * j), v.store(target(), maxima[j].get(), planeBytes + 16 * j));
    return statements;
  };
  const [sumScalar, maxScalar, value] = [f.local('statsSum', 'f32'), f.local('statsMax', 'f32'), f.local('statsValue', 'f32')];
  const scalarPixel = [
    ...start(),
    sumScalar.set(f.f32.const(0)),
    maxScalar.set(f.f32.const(-Infinity)),
    f.for(t.cursor, t.cursor.get(), channelEnd.get(), channelBytes, [
      value.set(scaled ? f.f32.mul(f.f32.load(t.cursor.get()), f.f32.load(gateAt.get())) : f.f32.load(t.cursor.get())),
      sumScalar.set(f.f32.add(sumScalar.get(), value.get())),
      maxScalar.set(f.f32.max(maxScalar.get(), value.get())),
      ...nextChannel(),
    ]),
    f.f32.store(target(), f.f32.mul(sumScalar.get(), f.f32.const(inverse))),
    f.f32.store(target(), maxScalar.get(), planeBytes),
  ];
  const statements: Expr[] = [];
  let done = 0;
  for (const vectors of [4, 2, 1]) {
    const width = 4 * vectors;
    const end = done + width * Math.floor((config.width - done) / width);
    if (end === done) continue;
    statements.push(vectors === 4 ? f.for(column, i.const(done), i.const(end), width, chunk(vectors)) : f.block([column.set(i.const(done)), ...chunk(vectors)]));
    done = end;
  }
  return [...statements, f.for(column, i.const(done), i.const(config.width), 1, scalarPixel)];
}

/**
 * sa = gate(Bs + conv_k×k([mean, max])) for one row: 8 pixels at a time (four
 * independent chains: two pixel groups × two maps), then the row's last
 * 1-7 pixels four at a time (the planes' slack columns keep every load
 * inside them; only valid lanes are stored).
 */
function convolution(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, stats: Local, row: Local): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const plane = planeGeometry(config);
  const k = config.kernel;
  const [column, origin] = [f.local('convColumn', 'i32'), f.local('convOrigin', 'i32')];
  const [weight, gated] = [t.acc[4], t.acc[5]];
  const chunk = (groups: number): Expr[] => {
    const accumulators = [0, 1, 2, 3].slice(0, 2 * groups).map((index) => t.acc[index]);
    const statements: Expr[] = [origin.set(i.add(stats.get(), i.shl(i.add(i.mul(row.get(), i.const(plane.columns)), column.get()), 2)))];
    accumulators.forEach((acc, index) => statements.push(acc.set(index % 2 === 0 && config.hasSpatialBias ? v.loadSplat(f.get('bs')) : v.zero())));
    for (let map = 0; map < 2; map++) {
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          const offset = 4 * (map * plane.rows * plane.columns + a * plane.columns + b);
          statements.push(weight.set(v.loadSplat(f.get('ws'), 4 * ((map * k + a) * k + b))));
          for (let group = 0; group < groups; group++) {
            const acc = accumulators[2 * group + map];
            statements.push(acc.set(v.fma(weight.get(), v.load(origin.get(), offset + 16 * group), acc.get())));
          }
        }
      }
    }
    return statements;
  };
  const gateAt = (): Expr => i.add(t.sa.get(), i.shl(i.add(i.mul(row.get(), i.const(config.width)), column.get()), 2));
  const gateGroup = (group: number, lanes: number): Expr[] => {
    const logits = v.add(t.acc[2 * group].get(), t.acc[2 * group + 1].get());
    const store = lanes === 4 ? [v.store(gateAt(), gated.get(), 16 * group)] : Array.from({ length: lanes }, (_, lane) => f.f32.store(gateAt(), f.f32x4.extract(gated.get(), lane), 16 * group + 4 * lane));
    return [...gateInto(f, config, gated, logits), ...store];
  };
  const eights = 8 * Math.floor(config.width / 8);
  const rest = config.width - eights;
  const tail: Expr[] = [];
  if (rest >= 4) tail.push(column.set(i.const(eights)), ...chunk(1), ...gateGroup(0, 4));
  if (rest % 4 > 0) tail.push(column.set(i.const(config.width - (rest % 4))), ...chunk(1), ...gateGroup(0, rest % 4));
  return [f.for(column, i.const(0), i.const(eights), 8, [...chunk(2), ...gateGroup(0, 4), ...gateGroup(1, 4)]), ...tail];
}

/** y = x · ca[c] · sa[row] for one row of every channel: eight pixels at a time, then four, then one, with pointers. */
function applyRow(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, row: Local): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const [from, to, gate, end] = [f.local('rowFrom', 'i32'), f.local('rowTo', 'i32'), f.local('rowGate', 'i32'), f.local('rowEnd', 'i32')];
  const [scale, factor] = [t.acc[8], t.acc[9]];
  const scalarScale = f.local('rowScale', 'f32');
  const rowBytes = 4 * config.width;
  const eights = 8 * Math.floor(config.width / 8);
  const vector = (offset: number): Expr[] => [
    factor.set(v.mul(scale.get(), v.load(gate.get(), offset))),
    v.store(to.get(), v.mul(v.load(from.get(), offset), factor.get()), offset),
  ];
  const advance = (bytes: number): Expr[] => [to.set(i.add(to.get(), i.const(bytes))), gate.set(i.add(gate.get(), i.const(bytes)))];
  const tail: Expr[] = [];
  let done = eights;
  if (config.width - done >= 4) {
    tail.push(...vector(0), from.set(i.add(from.get(), i.const(16))), ...advance(16));
    done += 4;
  }
  for (let lane = 0; lane < config.width - done; lane++) {
    tail.push(f.f32.store(to.get(), f.f32.mul(f.f32.load(from.get(), 4 * lane), f.f32.mul(scalarScale.get(), f.f32.load(gate.get(), 4 * lane))), 4 * lane));
  }
  return [
    f.for(t.channel, i.const(0), i.const(config.channels), 1, [
      scalarScale.set(config.hidden > 0 ? f.f32.load(i.add(t.ca.get(), i.shl(t.channel.get(), 2))) : f.f32.const(1)),
      scale.set(v.splat(scalarScale.get())),
      from.set(i.add(t.image.get(), i.shl(i.add(i.mul(t.channel.get(), i.const(config.height * config.width)), i.mul(row.get(), i.const(config.width))), 2))),
      to.set(i.add(t.output.get(), i.sub(from.get(), t.image.get()))),
      gate.set(i.add(t.sa.get(), i.mul(row.get(), i.const(rowBytes)))),
      end.set(i.add(from.get(), i.const(4 * eights))),
      f.for(from, from.get(), end.get(), 32, [...vector(0), ...vector(16), ...advance(32)]),
      ...tail,
    ]),
  ];
}

/** Channel attention alone: y = x · ca[c] in one flat pass (four pixels at a time, then one). */
export function applyChannelAttention(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const pixels = config.height * config.width;
  const [from, to, end] = [f.local('applyFrom', 'i32'), f.local('applyTo', 'i32'), f.local('applyEnd', 'i32')];
  const scale = t.acc[8];
  const scalarScale = f.local('channelScale', 'f32');
  const eights = 8 * Math.floor(pixels / 8);
  const vector = (offset: number): Expr => v.store(to.get(), v.mul(v.load(from.get(), offset), scale.get()), offset);
  const tail: Expr[] = [];
  let done = eights;
  if (pixels - done >= 4) {
    tail.push(vector(0));
    done += 4;
  }
  for (let lane = 0; done + lane < pixels; lane++) tail.push(f.f32.store(to.get(), f.f32.mul(f.f32.load(from.get(), 4 * (done - eights + lane)), scalarScale.get()), 4 * (done - eights + lane)));
  return [
    from.set(t.image.get()),
    to.set(t.output.get()),
    f.for(t.channel, i.const(0), i.const(config.channels), 1, [
      scalarScale.set(f.f32.load(i.add(t.ca.get(), i.shl(t.channel.get(), 2)))),
      scale.set(v.splat(scalarScale.get())),
      end.set(i.add(from.get(), i.const(4 * eights))),
      f.for(from, from.get(), end.get(), 32, [vector(0), vector(16), to.set(i.add(to.get(), i.const(32)))]),
      ...tail,
      from.set(i.add(from.get(), i.const(4 * (pixels - eights)))),
      to.set(i.add(to.get(), i.const(4 * (pixels - eights)))),
    ]),
  ];
}
