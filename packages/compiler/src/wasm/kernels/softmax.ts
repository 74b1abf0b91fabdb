/**
 * Softmax and LogSoftmax kernels, numerically stable like the reference:
 * subtract the maximum, exponentiate (the vectorised exp of vector-exp.ts),
 * divide by the sum — or, for LogSoftmax, subtract the sum's log from
 * x - max. A slice that is all -inf gives NaN, as in the reference.
 *
 * - Last axis (`softmax_rows`): each row of `length` contiguous values,
 *   four lanes at a time with a scalar tail (params x, y, rows, length).
 * - Other axes (`softmax_columns`): [outer, length, inner] with the axis in
 *   the middle; four neighbouring columns run in the lanes of one vector,
 *   a tail of 1-3 columns runs one column per splat (params x, y, outer,
 *   length, inner).
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { vlogInto } from './math.js';
import { vexpNonPositiveInto } from './vector-exp.js';

/** Softmax (or LogSoftmax) along the last axis. */
export function softmaxRowsKernel(log: boolean): KernelSpec {
  return { name: `${log ? 'log_softmax' : 'softmax'}_rows`, params: ['x', 'y', 'rows', 'length'], build: (f) => buildRows(f, log) };
}

/** ln of an f32 scalar ≥ 1 (a sum of exponentials that includes e⁰): lane 0 of the vector log. */
function scalarLog(f: FunctionBuilder, value: Expr): { statements: Expr[]; value: Expr } {
  const out = f.temp('v128');
  return { statements: vlogInto(f, out, f.f32x4.splat(value)), value: f.f32x4.extract(out.get(), 0) };
}

function buildRows(f: FunctionBuilder, log: boolean): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const [row, j, x, y] = ['row', 'j', 'rowX', 'rowY'].map((name) => f.local(name, 'i32'));
  const [accumulator, e] = [f.local('accumulator', 'v128'), f.local('e', 'v128')];
  const [max, sum, scalarE] = [f.local('max', 'f32'), f.local('sum', 'f32'), f.local('scalarE', 'v128')];
  const length = (): Expr => f.get('length');
  const at = (base: Local): Expr => i.add(base.get(), i.shl(j.get(), 2));
  const vectorLoop = (body: Expr[]): Expr => f.for(j, i.const(0), i.sub(length(), i.const(3)), 4, body);
  const tailLoop = (body: Expr[]): Expr => f.for(j, j.get(), length(), 1, body);
  // softmax: y /= sum (y holds the exponentials); LogSoftmax: y = (x - max) - log(sum)
  const logSum = log ? f.local('logSum', 'f32') : undefined;
  const normalize = (): Expr[] => {
    if (!logSum) return [vectorLoop([v.store(at(y), v.div(v.load(at(y)), v.splat(sum.get())))]), tailLoop([f.f32.store(at(y), f.f32.div(f.f32.load(at(y)), sum.get()))])];
    const logOfSum = scalarLog(f, sum.get());
    return [
      ...logOfSum.statements,
      logSum.set(logOfSum.value),
      vectorLoop([v.store(at(y), v.sub(v.sub(v.load(at(x)), v.splat(max.get())), v.splat(logSum.get())))]),
      tailLoop([f.f32.store(at(y), f.f32.sub(f.f32.sub(f.f32.load(at(x)), max.get()), logSum.get()))]),
    ];
  };
  return [
    x.set(f.get('x')),
    y.set(f.get('y')),
    f.for(row, i.const(0), f.get('rows'), 1, [
      // the maximum (NaN propagates)
      accumulator.set(v.const(-Infinity)),
      vectorLoop([accumulator.set(v.max(accumulator.get(), v.load(at(x))))]),
      max.set(v.maxLanes(accumulator)),
      tailLoop([max.set(f.f32.max(max.get(), f.f32.load(at(x))))]),
      // e = exp(x - max) (kept in y for softmax), and its sum
      accumulator.set(v.zero()),
      vectorLoop([...vexpNonPositiveInto(f, e, v.sub(v.load(at(x)), v.splat(max.get()))), ...(log ? [] : [v.store(at(y), e.get())]), accumulator.set(v.add(accumulator.get(), e.get()))]),
      sum.set(v.sum(accumulator)),
      tailLoop([
        ...vexpNonPositiveInto(f, scalarE, v.splat(f.f32.sub(f.f32.load(at(x)), max.get()))),
        ...(log ? [] : [f.f32.store(at(y), v.extract(scalarE.get(), 0))]),
        sum.set(f.f32.add(sum.get(), v.extract(scalarE.get(), 0))),
      ]),
      ...normalize(),
      x.set(i.add(x.get(), i.shl(length(), 2))),
      y.set(i.add(y.get(), i.shl(length(), 2))),
    ]),
  ];
}

/** Softmax (or LogSoftmax) along an axis with `inner` elements after it. */
export function softmaxColumnsKernel(log: boolean): KernelSpec {
  return { name: `${log ? 'log_softmax' : 'softmax'}_columns`, params: ['x', 'y', 'outer', 'length', 'inner'], build: (f) => buildColumns(f, log) };
}

interface ColumnLocals {
  readonly base: Local;
  readonly j: Local;
  readonly stride: Local;
  readonly max: Local;
  readonly sum: Local;
  readonly e: Local;
}

function buildColumns(f: FunctionBuilder, log: boolean): Expr[] {
  const i = f.i32;
  const [outer, column] = [f.local('outerIndex', 'i32'), f.local('column', 'i32')];
  const locals: ColumnLocals = {
    base: f.local('base', 'i32'),
    j: f.local('j', 'i32'),
    stride: f.local('stride', 'i32'),
    max: f.local('max', 'v128'),
    sum: f.local('sum', 'v128'),
    e: f.local('e', 'v128'),
  };
  const blockBytes = (): Expr => i.mul(f.get('length'), locals.stride.get());
  // byte offset of (outer, 0, column)
  const setBase = (): Expr => locals.base.set(i.add(i.mul(outer.get(), blockBytes()), i.shl(column.get(), 2)));
  return [
    locals.stride.set(i.shl(f.get('inner'), 2)),
    f.for(outer, i.const(0), f.get('outer'), 1, [
      f.for(column, i.const(0), i.sub(f.get('inner'), i.const(3)), 4, [setBase(), ...columnBlock(f, locals, true, log)]),
      f.for(column, column.get(), f.get('inner'), 1, [setBase(), ...columnBlock(f, locals, false, log)]),
    ]),
  ];
}

/** Softmax (or LogSoftmax) of four neighbouring columns (`wide`) or of one column in lane 0. */
function columnBlock(f: FunctionBuilder, t: ColumnLocals, wide: boolean, log: boolean): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const at = (pointer: string): Expr => i.add(f.get(pointer), i.add(t.base.get(), i.mul(t.j.get(), t.stride.get())));
  const load = (pointer: string): Expr => (wide ? v.load(at(pointer)) : v.loadSplat(at(pointer)));
  const store = (value: Expr): Expr => (wide ? v.store(at('y'), value) : f.f32.store(at('y'), v.extract(value, 0)));
  const loop = (body: Expr[]): Expr => f.for(t.j, i.const(0), f.get('length'), 1, body);
  if (log) {
    return [
      t.max.set(v.const(-Infinity)),
      loop([t.max.set(v.max(t.max.get(), load('x')))]),
      t.sum.set(v.zero()),
      loop([...vexpNonPositiveInto(f, t.e, v.sub(load('x'), t.max.get())), t.sum.set(v.add(t.sum.get(), t.e.get()))]),
      ...vlogInto(f, t.e, t.sum.get()),
      loop([store(v.sub(v.sub(load('x'), t.max.get()), t.e.get()))]),
    ];
  }
  return [
    t.max.set(v.const(-Infinity)),
    loop([t.max.set(v.max(t.max.get(), load('x')))]),
    t.sum.set(v.zero()),
    loop([...vexpNonPositiveInto(f, t.e, v.sub(load('x'), t.max.get())), store(t.e.get()), t.sum.set(v.add(t.sum.get(), t.e.get()))]),
    loop([store(v.div(load('y'), t.sum.get()))]),
  ];
}
