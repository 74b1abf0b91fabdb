/**
 * Pooling kernels on f32 [planes, D, H, W] (planes = N · C):
 *
 * - `pool_{max,avg}_...`: sliding windows. Each plane is copied into a
 *   padded scratch (conv-input.ts; -inf around it for max, 0 for avg, wide
 *   enough for ceil-mode windows), then four output columns at a time (max
 *   folds with pmax, which does not propagate NaN inputs): per
 *   window tap one vector of four inputs (one load at stride 1, two loads
 *   and a shuffle at stride 2, lane loads otherwise) folded in with max or
 *   add; an average is multiplied by the output's reciprocal divisor from a
 *   table the plan's counts give. The row's last 1-3 outputs go one at a
 *   time. Parameters: x, y, padded (one per thread), reciprocals (avg; 0
 *   for max), planes, part, parts.
 * - `pool_global_{max,avg}_n{size}`: one window over the whole plane, four
 *   lanes at a time. Parameters: x, y, planes, part, parts.
 * Both are split kernels (lower/split.ts): part p takes a block of planes.
 * - `pool_max_indices_...`: MaxPool with its Indices output, one output at
 *   a time with bounds checks (i64 flat indices). Parameters: x, y,
 *   indices, planes.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { SpatialWindow } from '../../lower/plans/window.js';
import type { KernelSpec } from '../kernel-set.js';
import { copyPadded, needsPadding, type PaddedImage } from './conv-input.js';
import { PART_PARAMS, rowShare } from './parts.js';

/** What a sliding-window pool kernel bakes in. */
export interface PoolKernelConfig {
  readonly reduce: 'max' | 'avg';
  readonly kernel: readonly [number, number, number];
  readonly strides: readonly [number, number, number];
  readonly dilations: readonly [number, number, number];
  readonly output: readonly [number, number, number];
  /** One plane and its padded copy. */
  readonly image: PaddedImage;
}

const triple = (values: readonly number[]) => values.join('x');

/** The sliding-window pool kernel. */
export function poolKernel(config: PoolKernelConfig): KernelSpec {
  const { image } = config;
  const tag = [`i${triple(image.input)}`, `p${triple(image.padded)}`, `b${triple(image.padBegin)}`, `k${triple(config.kernel)}`, `s${triple(config.strides)}`, `d${triple(config.dilations)}`, `o${triple(config.output)}`].join('_');
  return { name: `pool_${config.reduce}_${tag}`, params: ['x', 'y', 'padded', 'reciprocals', 'planes', ...PART_PARAMS], build: (f) => buildPool(f, config) };
}

/** Four values `strideBytes` apart from pointer + offset. */
function loadStrided(f: FunctionBuilder, pointer: Local, offset: number, strideBytes: number): Expr {
  if (strideBytes === 4) return f.f32x4.load(pointer.get(), offset);
  if (strideBytes === 8) return f.lanes.shuffle32(f.f32x4.load(pointer.get(), offset), f.f32x4.load(pointer.get(), offset + 16), [0, 2, 4, 6]);
  let vector = f.f32x4.loadSplat(pointer.get(), offset);
  for (let lane = 1; lane < 4; lane++) vector = f.lanes.replaceF32(vector, lane, f.f32.load(pointer.get(), offset + lane * strideBytes));
  return vector;
}

function tapOffsets(config: PoolKernelConfig): number[] {
  const [, hp, wp] = config.image.padded;
  const [kd, kh, kw] = config.kernel;
  const [dd, dh, dw] = config.dilations;
  const offsets: number[] = [];
  for (let a = 0; a < kd; a++) for (let b = 0; b < kh; b++) for (let e = 0; e < kw; e++) offsets.push(4 * ((a * dd * hp + b * dh) * wp + e * dw));
  return offsets;
}

function buildPool(f: FunctionBuilder, config: PoolKernelConfig): Expr[] {
  const i = f.i32;
  const { image } = config;
  const isMax = config.reduce === 'max';
  const [plane, row, column, source, rowAt, yAt, divisorAt] = ['plane', 'row', 'column', 'source', 'rowAt', 'yAt', 'divisorAt'].map((name) => f.local(name, 'i32'));
  const [acc, best] = [f.local('acc', 'v128'), f.local('best', 'f32')];
  const [od, oh, ow] = config.output;
  const [sd, sh, sw] = config.strides;
  const [, hp, wp] = image.padded;
  const inputFloats = image.input[0] * image.input[1] * image.input[2];
  const taps = tapOffsets(config);
  const fold = (a: Expr, b: Expr): Expr => (isMax ? f.f32x4.pmax(a, b) : f.f32x4.add(a, b));
  const foldScalar = (a: Expr, b: Expr): Expr => (isMax ? f.f32.max(a, b) : f.f32.add(a, b));
  const vector: Expr[] = [acc.set(loadStrided(f, rowAt, taps[0], 4 * sw))];
  for (const offset of taps.slice(1)) vector.push(acc.set(fold(acc.get(), loadStrided(f, rowAt, offset, 4 * sw))));
  if (!isMax) vector.push(acc.set(f.f32x4.mul(acc.get(), f.f32x4.load(divisorAt.get()))));
  vector.push(f.f32x4.store(yAt.get(), acc.get()), rowAt.set(i.add(rowAt.get(), i.const(16 * sw))), yAt.set(i.add(yAt.get(), i.const(16))), divisorAt.set(i.add(divisorAt.get(), i.const(16))));
  const scalar: Expr[] = [best.set(f.f32.load(rowAt.get(), taps[0]))];
  for (const offset of taps.slice(1)) scalar.push(best.set(foldScalar(best.get(), f.f32.load(rowAt.get(), offset))));
  if (!isMax) scalar.push(best.set(f.f32.mul(best.get(), f.f32.load(divisorAt.get()))));
  scalar.push(f.f32.store(yAt.get(), best.get()), rowAt.set(i.add(rowAt.get(), i.const(4 * sw))), yAt.set(i.add(yAt.get(), i.const(4))), divisorAt.set(i.add(divisorAt.get(), i.const(4))));
  const rowOrigin = i.add(source.get(), i.mul(i.add(i.mul(i.mul(i.divS(row.get(), i.const(oh)), i.const(sd)), i.const(hp)), i.mul(i.remS(row.get(), i.const(oh)), i.const(sh))), i.const(4 * wp)));
  const padding = needsPadding(image);
  const first = f.local('firstPlane', 'i32');
  return [
    ...rowShare(f, f.v('planes'), first, 1),
    yAt.set(i.add(f.get('y'), i.mul(first.get(), i.const(4 * od * oh * ow)))),
    f.for(plane, first.get(), i.add(first.get(), f.get('planes')), 1, [
      source.set(i.add(f.get('x'), i.mul(plane.get(), i.const(4 * inputFloats)))),
      ...(padding ? [...copyPadded(f, image, source, f.v('padded')), source.set(f.get('padded'))] : []),
      divisorAt.set(f.get('reciprocals')),
      f.for(row, i.const(0), i.const(od * oh), 1, [
        rowAt.set(rowOrigin),
        f.for(column, i.const(0), i.const(ow - 3), 4, vector),
        f.for(column, column.get(), i.const(ow), 1, scalar),
      ]),
    ]),
  ];
}

/** The global pool over planes of `size` floats. */
export function globalPoolKernel(reduce: 'max' | 'avg', size: number): KernelSpec {
  return {
    name: `pool_global_${reduce}_n${size}`,
    params: ['x', 'y', 'planes', ...PART_PARAMS],
    build(f) {
      const i = f.i32;
      const isMax = reduce === 'max';
      const [plane, at, end, first] = ['plane', 'at', 'end', 'firstPlane'].map((name) => f.local(name, 'i32'));
      const [acc, total] = [f.local('acc', 'v128'), f.local('total', 'f32')];
      const vectors = Math.floor(size / 4);
      const fold = (a: Expr, b: Expr): Expr => (isMax ? f.f32x4.pmax(a, b) : f.f32x4.add(a, b));
      const tail: Expr[] = [];
      for (let lane = 0; lane < size % 4; lane++) {
        const value = f.f32.load(at.get(), 16 * vectors + 4 * lane);
        tail.push(total.set(isMax ? f.f32.max(total.get(), value) : f.f32.add(total.get(), value)));
      }
      const init = vectors > 0 ? f.f32x4.load(at.get()) : f.f32x4.const(isMax ? -Infinity : 0);
      return [
        ...rowShare(f, f.v('planes'), first, 1),
        at.set(i.add(f.get('x'), i.mul(first.get(), i.const(4 * size)))),
        f.for(plane, first.get(), i.add(first.get(), f.get('planes')), 1, [
          acc.set(init),
          end.set(i.add(at.get(), i.const(16 * vectors))),
          f.for(at, i.add(at.get(), i.const(vectors > 0 ? 16 : 0)), end.get(), 16, [acc.set(fold(acc.get(), f.f32x4.load(at.get())))]),
          at.set(i.sub(end.get(), i.const(16 * vectors))),
          total.set(isMax ? f.f32x4.maxLanes(acc) : f.f32x4.sum(acc)),
          ...tail,
          f.f32.store(i.add(f.get('y'), i.shl(plane.get(), 2)), isMax ? total.get() : f.f32.div(total.get(), f.f32.const(size))),
          at.set(i.add(at.get(), i.const(4 * size))),
        ]),
      ];
    },
  };
}

/** What MaxPool with Indices bakes in: the window on the unpadded input. */
export interface PoolIndicesConfig extends Omit<SpatialWindow, 'padEnd'> {
  readonly columnMajor: boolean;
}

/** MaxPool writing Y and the flat index of every maximum. */
export function maxPoolIndicesKernel(config: PoolIndicesConfig): KernelSpec {
  const tag = [`i${triple(config.input)}`, `k${triple(config.kernel)}`, `s${triple(config.strides)}`, `d${triple(config.dilations)}`, `b${triple(config.padBegin)}`, `o${triple(config.output)}`].join('_');
  return { name: `pool_max_indices_${tag}${config.columnMajor ? '_colmajor' : ''}`, params: ['x', 'y', 'indices', 'planes'], build: (f) => buildMaxIndices(f, config) };
}

function buildMaxIndices(f: FunctionBuilder, config: PoolIndicesConfig): Expr[] {
  const i = f.i32;
  const [plane, out, best, position] = ['plane', 'out', 'best', 'position'].map((name) => f.local(name, 'i32'));
  const outputs = config.output[0] * config.output[1] * config.output[2];
  const inputs = config.input[0] * config.input[1] * config.input[2];
  const coordinates = [0, 1, 2].map((axis) => f.local(`coordinate${axis}`, 'i32'));
  const outIndex = [0, 1, 2].map((axis) => f.local(`outIndex${axis}`, 'i32'));
  const value = f.local('value', 'f32');
  const bestValue = f.local('bestValue', 'f32');
  const taps: Expr[] = [];
  const [kd, kh, kw] = config.kernel;
  for (let a = 0; a < kd; a++) for (let b = 0; b < kh; b++) for (let e = 0; e < kw; e++) taps.push(tap(f, config, [a, b, e], { coordinates, outIndex, position, value, bestValue, best, plane }, inputs));
  const [, oh, ow] = config.output;
  return [
    f.for(plane, i.const(0), f.get('planes'), 1, [
      f.for(out, i.const(0), i.const(outputs), 1, [
        outIndex[0].set(i.divS(out.get(), i.const(oh * ow))),
        outIndex[1].set(i.remS(i.divS(out.get(), i.const(ow)), i.const(oh))),
        outIndex[2].set(i.remS(out.get(), i.const(ow))),
        best.set(i.const(-1)),
        bestValue.set(f.f32.const(-Infinity)),
        ...taps,
        f.f32.store(i.add(f.get('y'), i.shl(i.add(i.mul(plane.get(), i.const(outputs)), out.get()), 2)), f.f32.select(i.ge(best.get(), i.const(0)), bestValue.get(), f.f32.const(0))),
        f.i32.storeAsI64(i.add(f.get('indices'), i.shl(i.add(i.mul(plane.get(), i.const(outputs)), out.get()), 3)), i.select(i.ge(best.get(), i.const(0)), i.add(i.mul(plane.get(), i.const(inputs)), best.get()), i.const(-1))),
      ]),
    ]),
  ];
}

interface TapLocals {
  readonly coordinates: readonly Local[];
  readonly outIndex: readonly Local[];
  readonly position: Local;
  readonly value: Local;
  readonly bestValue: Local;
  readonly best: Local;
  readonly plane: Local;
}

/** One window tap: when inside the input and larger than the best so far, it becomes the best (value and spatial index). */
function tap(f: FunctionBuilder, config: PoolIndicesConfig, kernelIndex: readonly number[], t: TapLocals, inputs: number): Expr {
  const i = f.i32;
  const sets = [0, 1, 2].map((axis) => t.coordinates[axis].set(i.add(i.mul(t.outIndex[axis].get(), i.const(config.strides[axis])), i.const(kernelIndex[axis] * config.dilations[axis] - config.padBegin[axis]))));
  const inside = [0, 1, 2].map((axis) => i.and(i.ge(t.coordinates[axis].get(), i.const(0)), i.lt(t.coordinates[axis].get(), i.const(config.input[axis])))).reduce((a, b) => i.and(a, b));
  const [d, h, w] = config.input;
  const rowMajor = (): Expr => i.add(i.mul(i.add(i.mul(t.coordinates[0].get(), i.const(h)), t.coordinates[1].get()), i.const(w)), t.coordinates[2].get());
  const spatialIndex = config.columnMajor ? i.add(i.add(t.coordinates[0].get(), i.mul(t.coordinates[1].get(), i.const(d))), i.mul(t.coordinates[2].get(), i.const(d * h))) : rowMajor();
  const load = f.f32.load(i.add(f.get('x'), i.shl(i.add(i.mul(t.plane.get(), i.const(inputs)), rowMajor()), 2)));
  return f.block([
    ...sets,
    f.if(inside, [
      t.value.set(load),
      f.if(f.f32.gt(t.value.get(), t.bestValue.get()), [t.bestValue.set(t.value.get()), t.best.set(spatialIndex)]),
    ]),
  ]);
}
