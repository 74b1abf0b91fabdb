/**
 * Kernels that write computed or constant values: Range (an arithmetic
 * sequence), ConstantOfShape (one value repeated) and Trilu (keep a
 * triangle of each trailing matrix, zero the rest).
 */
import { dtypeSize, numberTag, type DType } from '@ladon/ir';
import type { Expr } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/**
 * Range for integer dtypes: out[i] = start + i·delta (params out, count,
 * start, delta; i64 results are the sign-extended i32 values).
 */
export function rangeIntKernel(dtype: 'i32' | 'i64'): KernelSpec {
  return {
    name: `range_${dtype}`,
    params: ['out', 'count', 'start', 'delta'],
    build(f) {
      const i = f.i32;
      const index = f.local('index', 'i32');
      const value = i.add(f.get('start'), i.mul(index.get(), f.get('delta')));
      const at = i.add(f.get('out'), i.shl(index.get(), dtype === 'i64' ? 3 : 2));
      const store = dtype === 'i64' ? i.storeAsI64(at, value) : i.store(at, value);
      return [f.for(index, i.const(0), f.get('count'), 1, [store])];
    },
  };
}

/** Range for f32 with start and delta baked in: out[i] = start + i·delta (params out, count). */
export function rangeFloatKernel(start: number, delta: number): KernelSpec {
  return {
    name: `range_f32_${numberTag(start)}_${numberTag(delta)}`,
    params: ['out', 'count'],
    build(f) {
      const i = f.i32;
      const index = f.local('index', 'i32');
      const value = f.f32.add(f.f32.const(start), f.f32.mul(f.f32.fromI32(index.get()), f.f32.const(delta)));
      return [f.for(index, i.const(0), f.get('count'), 1, [f.f32.store(i.add(f.get('out'), i.shl(index.get(), 2)), value)])];
    },
  };
}

/** Range for f32 reading start and delta from one-element buffers: out[i] = start + i·delta (params out, count, start, delta). */
export const rangeFloatOperandsKernel: KernelSpec = {
  name: 'range_f32_operands',
  params: ['out', 'count', 'start', 'delta'],
  build(f) {
    const i = f.i32;
    const index = f.local('index', 'i32');
    const [start, delta] = [f.local('startValue', 'f32'), f.local('deltaValue', 'f32')];
    const value = f.f32.add(start.get(), f.f32.mul(f.f32.fromI32(index.get()), delta.get()));
    return [
      start.set(f.f32.load(f.get('start'))),
      delta.set(f.f32.load(f.get('delta'))),
      f.for(index, i.const(0), f.get('count'), 1, [f.f32.store(i.add(f.get('out'), i.shl(index.get(), 2)), value)]),
    ];
  },
};

/**
 * ConstantOfShape: `count` copies of one element whose bytes are baked in
 * (given as little-endian 32-bit words). Params out, count.
 */
export function constantFillKernel(dtype: DType, words: readonly number[]): KernelSpec {
  const bytes = dtypeSize(dtype);
  const allZero = words.every((word) => word === 0);
  return {
    name: `fill_e${bytes}_${allZero ? 'zero' : words.map((word) => (word >>> 0).toString(16)).join('_')}`,
    params: ['out', 'count'],
    build(f) {
      const i = f.i32;
      if (allZero || bytes === 1) return [f.memory.fill(f.get('out'), i.const(words[0] & 0xff), i.mul(f.get('count'), i.const(bytes)))];
      const index = f.local('index', 'i32');
      const at = (): Expr => i.add(f.get('out'), i.mul(index.get(), i.const(bytes)));
      const stores = bytes === 8 ? [i.store(at(), i.const(words[0])), i.store(at(), i.const(words[1]), 4)] : [f.raw.store(bytes, at(), i.const(words[0]))];
      return [f.for(index, i.const(0), f.get('count'), 1, stores)];
    },
  };
}

/**
 * Trilu: per trailing [rows, cols] matrix, keep element (r, c) when
 * c - r >= k (upper) or c - r <= k (lower), else write zero bytes. Each row
 * splits at one column: one copy and one fill.
 * Params in, out, matrices, rows, cols, k.
 */
export function triluKernel(upper: boolean, elementBytes: number): KernelSpec {
  return {
    name: `trilu_${upper ? 'upper' : 'lower'}_e${elementBytes}`,
    params: ['in', 'out', 'matrices', 'rows', 'cols', 'k'],
    build(f) {
      const i = f.i32;
      const [matrix, row, split, offset] = ['matrix', 'row', 'split', 'offset'].map((name) => f.local(name, 'i32'));
      const bytes = (columns: Expr): Expr => i.mul(columns, i.const(elementBytes));
      const at = (pointer: string, column: () => Expr): Expr => i.add(i.add(f.get(pointer), offset.get()), bytes(column()));
      const keep = (from: () => Expr, to: () => Expr): Expr => f.memory.copy(at('out', from), at('in', from), bytes(i.sub(to(), from())));
      const zero = (from: () => Expr, to: () => Expr): Expr => f.memory.fill(at('out', from), i.const(0), bytes(i.sub(to(), from())));
      const first = (): Expr => i.const(0);
      const middle = (): Expr => split.get();
      const end = (): Expr => f.get('cols');
      // upper keeps [r + k, cols); lower keeps [0, r + k + 1)
      const boundary = upper ? i.add(row.get(), f.get('k')) : i.add(i.add(row.get(), f.get('k')), i.const(1));
      return [
        offset.set(i.const(0)),
        f.for(matrix, i.const(0), f.get('matrices'), 1, [
          f.for(row, i.const(0), f.get('rows'), 1, [
            split.set(i.max(i.const(0), i.min(boundary, f.get('cols')))),
            ...(upper ? [zero(first, middle), keep(middle, end)] : [keep(first, middle), zero(middle, end)]),
            offset.set(i.add(offset.get(), bytes(f.get('cols')))),
          ]),
        ]),
      ];
    },
  };
}
