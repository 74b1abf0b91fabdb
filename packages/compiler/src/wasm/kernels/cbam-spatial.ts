/**
 * CBAM's spatial attention and the final apply pass (see cbam.ts).
 *
 * Spatial statistics: one pass over the image, four pixels of a row at a
 * time, channels innermost: the mean and max over channels of x · ca into
 * two planes with a zero border of (k - 1)/2 (plus 3 columns of slack so a
 * four-wide load never leaves them). The k×k convolution then reads those
 * planes without bounds checks (2·k² unrolled taps per four pixels) and the
 * gate gives sa. The apply pass reads the image once more: y = x · ca · sa.
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
  return [
    stats.set(scratch),
    f.memory.fill(stats.get(), i.const(0), i.const(2 * planeBytes)),
    t.sa.set(gates),
    ...statistics(f, config, t, stats),
    ...convolution(f, config, t, stats),
  ];
}

/** Mean and max over channels of x · ca, per pixel, into the bordered planes. */
function statistics(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, stats: Local): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const plane = planeGeometry(config);
  const pixels = config.height * config.width;
  const [row, column] = [f.local('statsRow', 'i32'), f.local('statsColumn', 'i32')];
  const [sum, max] = [t.acc[0], t.acc[1]];
  const [sumScalar, maxScalar, value] = [f.local('statsSum', 'f32'), f.local('statsMax', 'f32'), f.local('statsValue', 'f32')];
  const scaledVector = (): Expr => {
    const load = v.load(i.add(t.cursor.get(), i.mul(t.channel.get(), i.const(4 * pixels))));
    return config.hidden > 0 ? v.mul(load, v.loadSplat(i.add(t.ca.get(), i.shl(t.channel.get(), 2)))) : load;
  };
  const scaledScalar = (): Expr => {
    const load = f.f32.load(i.add(t.cursor.get(), i.mul(t.channel.get(), i.const(4 * pixels))));
    return config.hidden > 0 ? f.f32.mul(load, f.f32.load(i.add(t.ca.get(), i.shl(t.channel.get(), 2)))) : load;
  };
  // bordered position of pixel (row, column)
  const target = (): Expr => i.add(stats.get(), i.shl(i.add(i.mul(i.add(row.get(), i.const(plane.border)), i.const(plane.columns)), i.add(column.get(), i.const(plane.border))), 2));
  const planeBytes = 4 * plane.rows * plane.columns;
  const inverse = 1 / config.channels;
  const vectorPixels = [
    t.cursor.set(i.add(t.image.get(), i.shl(i.add(i.mul(row.get(), i.const(config.width)), column.get()), 2))),
    sum.set(v.zero()),
    max.set(v.const(-Infinity)),
    f.for(t.channel, i.const(0), i.const(config.channels), 1, [t.acc[2].set(scaledVector()), sum.set(v.add(sum.get(), t.acc[2].get())), max.set(v.max(max.get(), t.acc[2].get()))]),
    v.store(target(), v.mul(sum.get(), v.const(inverse))),
    v.store(target(), max.get(), planeBytes),
  ];
  const scalarPixel = [
    t.cursor.set(i.add(t.image.get(), i.shl(i.add(i.mul(row.get(), i.const(config.width)), column.get()), 2))),
    sumScalar.set(f.f32.const(0)),
    maxScalar.set(f.f32.const(-Infinity)),
    f.for(t.channel, i.const(0), i.const(config.channels), 1, [value.set(scaledScalar()), sumScalar.set(f.f32.add(sumScalar.get(), value.get())), maxScalar.set(f.f32.max(maxScalar.get(), value.get()))]),
    f.f32.store(target(), f.f32.mul(sumScalar.get(), f.f32.const(inverse))),
    f.f32.store(target(), maxScalar.get(), planeBytes),
  ];
  return [
    f.for(row, i.const(0), i.const(config.height), 1, [
      f.for(column, i.const(0), i.const(config.width - 3), 4, vectorPixels),
      f.for(column, column.get(), i.const(config.width), 1, scalarPixel),
    ]),
  ];
}

/** sa = gate(Bs + conv_k×k([mean, max])), four pixels of a row at a time. */
function convolution(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals, stats: Local): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const plane = planeGeometry(config);
  const k = config.kernel;
  const [row, column, origin] = [f.local('convRow', 'i32'), f.local('convColumn', 'i32'), f.local('convOrigin', 'i32')];
  const acc = t.acc[3];
  const chunk = (): Expr[] => {
    const statements: Expr[] = [
      origin.set(i.add(stats.get(), i.shl(i.add(i.mul(row.get(), i.const(plane.columns)), column.get()), 2))),
      acc.set(config.hasSpatialBias ? v.loadSplat(f.get('bs')) : v.zero()),
    ];
    for (let map = 0; map < 2; map++) {
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          const offset = 4 * (map * plane.rows * plane.columns + a * plane.columns + b);
          statements.push(acc.set(v.fma(v.loadSplat(f.get('ws'), 4 * ((map * k + a) * k + b)), v.load(origin.get(), offset), acc.get())));
        }
      }
    }
    return [...statements, ...gateInto(f, config, t.gateOut, acc.get())];
  };
  const gateAt = (): Expr => i.add(t.sa.get(), i.shl(i.add(i.mul(row.get(), i.const(config.width)), column.get()), 2));
  const whole = 4 * Math.floor(config.width / 4);
  const tail: Expr[] = [];
  if (whole < config.width) {
    tail.push(column.set(i.const(whole)), ...chunk());
    for (let lane = 0; lane < config.width - whole; lane++) tail.push(f.f32.store(gateAt(), f.f32x4.extract(t.gateOut.get(), lane), 4 * lane));
  }
  return [
    f.for(row, i.const(0), i.const(config.height), 1, [
      f.for(column, i.const(0), i.const(whole), 4, [...chunk(), v.store(gateAt(), t.gateOut.get())]),
      ...tail,
    ]),
  ];
}

/** Pass 3: y = x · ca[c] · sa[p] (either factor absent without its attention). */
export function applyAttention(f: FunctionBuilder, config: CbamKernelConfig, t: CbamLocals): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const pixels = config.height * config.width;
  const [p, offset] = [f.local('applyPixel', 'i32'), f.local('applyOffset', 'i32')];
  const channelScale = f.local('channelScale', 'f32');
  const spatial = config.kernel > 0;
  const at = (base: Expr): Expr => i.add(base, i.shl(p.get(), 2));
  const factorVector = (): Expr => (spatial ? v.mul(v.splat(channelScale.get()), v.load(at(t.sa.get()))) : v.splat(channelScale.get()));
  const factorScalar = (): Expr => (spatial ? f.f32.mul(channelScale.get(), f.f32.load(at(t.sa.get()))) : channelScale.get());
  const input = (): Expr => i.add(t.image.get(), offset.get());
  const output = (): Expr => i.add(t.output.get(), offset.get());
  return [
    f.for(t.channel, i.const(0), i.const(config.channels), 1, [
      channelScale.set(config.hidden > 0 ? f.f32.load(i.add(t.ca.get(), i.shl(t.channel.get(), 2))) : f.f32.const(1)),
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
