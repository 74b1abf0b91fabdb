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

/** Mean and max over channels of x · ca for the pixels of one row into the bordered planes: 8 pixels at a time (two independent chains), then 4, then one. */
function statistics(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, stats: Local, row: Local): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const plane = planeGeometry(config);
  const pixels = config.height * config.width;
  const planeBytes = 4 * plane.rows * plane.columns;
  const inverse = 1 / config.channels;
  const column = f.local('statsColumn', 'i32');
  const [sums, maxima, loaded, scale] = [[t.acc[0], t.acc[1]], [t.acc[2], t.acc[3]], [t.acc[4], t.acc[5]], t.acc[6]];
  // bordered position of pixel (row, column)
  const target = (): Expr => i.add(stats.get(), i.shl(i.add(i.mul(i.add(row.get(), i.const(plane.border)), i.const(plane.columns)), i.add(column.get(), i.const(plane.border))), 2));
  const channelAddress = (): Expr => i.add(t.cursor.get(), i.mul(t.channel.get(), i.const(4 * pixels)));
  const chunk = (vectors: number): Expr[] => {
    const perChannel: Expr[] = config.hidden > 0 ? [scale.set(v.loadSplat(i.add(t.ca.get(), i.shl(t.channel.get(), 2))))] : [];
    for (let j = 0; j < vectors; j++) {
      const load = v.load(channelAddress(), 16 * j);
      perChannel.push(
        loaded[j].set(config.hidden > 0 ? v.mul(load, scale.get()) : load),
        sums[j].set(v.add(sums[j].get(), loaded[j].get())),
        maxima[j].set(v.max(maxima[j].get(), loaded[j].get())),
      );
    }
    const statements: Expr[] = [t.cursor.set(i.add(t.image.get(), i.shl(i.add(i.mul(row.get(), i.const(config.width)), column.get()), 2)))];
    for (let j = 0; j < vectors; j++) statements.push(sums[j].set(v.zero()), maxima[j].set(v.const(-Infinity)));
    statements.push(f.for(t.channel, i.const(0), i.const(config.channels), 1, perChannel));
    for (let j = 0; j < vectors; j++) statements.push(v.store(target(), v.mul(sums[j].get(), v.const(inverse)), 16 * j), v.store(target(), maxima[j].get(), planeBytes + 16 * j));
    return statements;
  };
  const [sumScalar, maxScalar, value] = [f.local('statsSum', 'f32'), f.local('statsMax', 'f32'), f.local('statsValue', 'f32')];
  const scaledScalar = (): Expr => {
    const load = f.f32.load(channelAddress());
    return config.hidden > 0 ? f.f32.mul(load, f.f32.load(i.add(t.ca.get(), i.shl(t.channel.get(), 2)))) : load;
  };
  const scalarPixel = [
    t.cursor.set(i.add(t.image.get(), i.shl(i.add(i.mul(row.get(), i.const(config.width)), column.get()), 2))),
    sumScalar.set(f.f32.const(0)),
    maxScalar.set(f.f32.const(-Infinity)),
    f.for(t.channel, i.const(0), i.const(config.channels), 1, [value.set(scaledScalar()), sumScalar.set(f.f32.add(sumScalar.get(), value.get())), maxScalar.set(f.f32.max(maxScalar.get(), value.get()))]),
    f.f32.store(target(), f.f32.mul(sumScalar.get(), f.f32.const(inverse))),
    f.f32.store(target(), maxScalar.get(), planeBytes),
  ];
  const eights = 8 * Math.floor(config.width / 8);
  const fours = config.width % 8 >= 4 ? [column.set(i.const(eights)), ...chunk(1)] : [];
  const ones = eights + (fours.length > 0 ? 4 : 0);
  return [f.for(column, i.const(0), i.const(eights), 8, chunk(2)), ...fours, f.for(column, i.const(ones), i.const(config.width), 1, scalarPixel)];
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

/** y = x · ca[c] · sa[row] for one row of every channel (four pixels at a time, then one). */
function applyRow(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, row: Local): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const pixels = config.height * config.width;
  const [column, offset, gateAt] = [f.local('rowColumn', 'i32'), f.local('rowOffset', 'i32'), f.local('rowGates', 'i32')];
  const scale = f.local('rowScale', 'f32');
  const setOffset = (): Expr => offset.set(i.shl(i.add(i.add(i.mul(t.channel.get(), i.const(pixels)), i.mul(row.get(), i.const(config.width))), column.get()), 2));
  const gate = (): Expr => i.add(gateAt.get(), i.shl(column.get(), 2));
  const fours = 4 * Math.floor(config.width / 4);
  return [
    gateAt.set(i.add(t.sa.get(), i.mul(row.get(), i.const(4 * config.width)))),
    f.for(t.channel, i.const(0), i.const(config.channels), 1, [
      scale.set(config.hidden > 0 ? f.f32.load(i.add(t.ca.get(), i.shl(t.channel.get(), 2))) : f.f32.const(1)),
      f.for(column, i.const(0), i.const(fours), 4, [setOffset(), v.store(i.add(t.output.get(), offset.get()), v.mul(v.load(i.add(t.image.get(), offset.get())), v.mul(v.splat(scale.get()), v.load(gate()))))]),
      f.for(column, i.const(fours), i.const(config.width), 1, [setOffset(), f.f32.store(i.add(t.output.get(), offset.get()), f.f32.mul(f.f32.load(i.add(t.image.get(), offset.get())), f.f32.mul(scale.get(), f.f32.load(gate()))))]),
    ]),
  ];
}

/** Channel attention alone: y = x · ca[c] in one flat pass (four pixels at a time, then one). */
export function applyChannelAttention(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const pixels = config.height * config.width;
  const [p, offset] = [f.local('applyPixel', 'i32'), f.local('applyOffset', 'i32')];
  const channelScale = f.local('channelScale', 'f32');
  const factorVector = (): Expr => v.splat(channelScale.get());
  const factorScalar = (): Expr => channelScale.get();
  const input = (): Expr => i.add(t.image.get(), offset.get());
  const output = (): Expr => i.add(t.output.get(), offset.get());
  return [
    f.for(t.channel, i.const(0), i.const(config.channels), 1, [
      channelScale.set(f.f32.load(i.add(t.ca.get(), i.shl(t.channel.get(), 2)))),
      f.for(p, i.const(0), i.const(pixels - 3), 4, [
        offset.set(i.shl(i.add(i.mul(t.channel.get(), i.const(pixels)), p.get()), 2)),
        v.store(output(), v.mul(v.load(input()), factorVector())),
      ]),
      f.for(p, p.get(), i.const(pixels), 1, [
        offset.set(i.shl(i.add(i.mul(t.channel.get(), i.const(pixels)), p.get()), 2)),
        f.f32.store(output(), f.f32.mul(f.f32.load(input()), factorScalar())),
      ]),
    ]),
  ];
}
