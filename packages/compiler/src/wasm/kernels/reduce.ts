/**
 * ReduceSum / ReduceMean kernels on f32 (the mean divides the sum by the
 * element count, as the reference does).
 *
 * - `reduce_rows`: the reduced axes are the trailing ones — one sum per
 *   contiguous row, four lanes at a time (params x, y, rows, length).
 * - `reduce_columns`: the reduced axes form one block in the middle,
 *   [outer, length, inner] — four neighbouring columns per vector, a tail
 *   of 1-3 columns one at a time (params x, y, outer, length, inner).
 * - `reduce_general_rR`: any set of axes — zero the output, then add every
 *   input element into its output slot (params x, y, count, outSize, then
 *   per input axis its size and the output's element stride along it, 0
 *   for reduced axes).
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** Sum or mean. */
export type ReduceKind = 'sum' | 'mean';

/** Reduction over the trailing axes. */
export function reduceRowsKernel(kind: ReduceKind): KernelSpec {
  return {
    name: `reduce_${kind}_rows`,
    params: ['x', 'y', 'rows', 'length'],
    build(f) {
      const i = f.i32;
      const v = f.f32x4;
      const [row, j, x] = [f.local('row', 'i32'), f.local('j', 'i32'), f.local('rowX', 'i32')];
      const [accumulator, sum] = [f.local('accumulator', 'v128'), f.local('sum', 'f32')];
      const at = (): Expr => i.add(x.get(), i.shl(j.get(), 2));
      return [
        x.set(f.get('x')),
        f.for(row, i.const(0), f.get('rows'), 1, [
          accumulator.set(v.zero()),
          f.for(j, i.const(0), i.sub(f.get('length'), i.const(3)), 4, [accumulator.set(v.add(accumulator.get(), v.load(at())))]),
          sum.set(v.sum(accumulator)),
          f.for(j, j.get(), f.get('length'), 1, [sum.set(f.f32.add(sum.get(), f.f32.load(at())))]),
          f.f32.store(i.add(f.get('y'), i.shl(row.get(), 2)), finish(f, kind, sum.get(), () => f.f32.fromI32(f.get('length')))),
          x.set(i.add(x.get(), i.shl(f.get('length'), 2))),
        ]),
      ];
    },
  };
}

function finish(f: FunctionBuilder, kind: ReduceKind, sum: Expr, count: () => Expr): Expr {
  return kind === 'mean' ? f.f32.div(sum, count()) : sum;
}

/** Reduction over a middle block of axes. */
export function reduceColumnsKernel(kind: ReduceKind): KernelSpec {
  return {
    name: `reduce_${kind}_columns`,
    params: ['x', 'y', 'outer', 'length', 'inner'],
    build(f) {
      const i = f.i32;
      const [outer, column, j, stride, base] = ['outerIndex', 'column', 'j', 'stride', 'base'].map((name) => f.local(name, 'i32'));
      const sum = f.local('sum', 'v128');
      const block = (wide: boolean): Expr[] => {
        const at = i.add(f.get('x'), i.add(base.get(), i.mul(j.get(), stride.get())));
        const target = i.add(f.get('y'), i.shl(i.add(i.mul(outer.get(), f.get('inner')), column.get()), 2));
        const load = wide ? f.f32x4.load(at) : f.f32x4.loadSplat(at);
        const result = kind === 'mean' ? f.f32x4.div(sum.get(), f.f32x4.splat(f.f32.fromI32(f.get('length')))) : sum.get();
        return [
          base.set(i.add(i.mul(outer.get(), i.mul(f.get('length'), stride.get())), i.shl(column.get(), 2))),
          sum.set(f.f32x4.zero()),
          f.for(j, i.const(0), f.get('length'), 1, [sum.set(f.f32x4.add(sum.get(), load))]),
          wide ? f.f32x4.store(target, result) : f.f32.store(target, f.f32x4.extract(result, 0)),
        ];
      };
      return [
        stride.set(i.shl(f.get('inner'), 2)),
        f.for(outer, i.const(0), f.get('outer'), 1, [
          f.for(column, i.const(0), i.sub(f.get('inner'), i.const(3)), 4, block(true)),
          f.for(column, column.get(), f.get('inner'), 1, block(false)),
        ]),
      ];
    },
  };
}

/** Reduction over any set of axes of a rank-`rank` input. */
export function reduceGeneralKernel(kind: ReduceKind, rank: number): KernelSpec {
  const axes = Array.from({ length: rank }, (_, axis) => axis);
  return {
    name: `reduce_${kind}_general_r${rank}`,
    params: ['x', 'y', 'count', 'outSize', ...axes.map((axis) => `d${axis}`), ...axes.map((axis) => `o${axis}`)],
    build(f) {
      const i = f.i32;
      const x = f.local('xAt', 'i32');
      const indices = axes.map((axis) => f.local(`i${axis}`, 'i32'));
      const index = f.local('index', 'i32');
      const slot = (): Expr => axes.reduce<Expr>((sum, axis) => i.add(sum, i.mul(indices[axis].get(), f.get(`o${axis}`))), i.const(0));
      const target = (): Expr => i.add(f.get('y'), i.shl(slot(), 2));
      let body: Expr[] = [f.f32.store(target(), f.f32.add(f.f32.load(target()), f.f32.load(x.get()))), x.set(i.add(x.get(), i.const(4)))];
      for (let axis = rank - 1; axis >= 0; axis--) body = [nestedLoop(f, indices[axis], f.get(`d${axis}`), body)];
      const mean = kind === 'mean' ? [f.for(index, i.const(0), f.get('outSize'), 1, [scaleSlot(f, index)])] : [];
      return [f.memory.fill(f.get('y'), i.const(0), i.shl(f.get('outSize'), 2)), x.set(f.get('x')), ...body, ...mean];
    },
  };
}

function nestedLoop(f: FunctionBuilder, index: Local, end: Expr, body: Expr[]): Expr {
  return f.for(index, f.i32.const(0), end, 1, body);
}

/** y[index] /= count. */
function scaleSlot(f: FunctionBuilder, index: Local): Expr {
  const at = (): Expr => f.i32.add(f.get('y'), f.i32.shl(index.get(), 2));
  return f.f32.store(at(), f.f32.div(f.f32.load(at()), f.f32.fromI32(f.get('count'))));
}
