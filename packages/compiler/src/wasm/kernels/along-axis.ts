/**
 * Kernels that work along each line of an [outer, length, inner] view
 * (see lower/plans/along-axis.ts), scalar code on f32, i32 or i64.
 *
 * - `select_<type>_<largest|smallest>_<first|last>`: the k best elements of
 *   each line, best first, and their indices (i64), by insertion into the
 *   outputs: an element enters when fewer than k are kept or it is better
 *   than the last kept one, then moves up past every kept element it is
 *   better than (params x, values, indices, outer, length, inner, k).
 * - `scan_<type>[_exclusive][_reverse]`: running sums (params x, y, outer,
 *   length, inner).
 */
import type { ScalarType } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { comparisons, elementAt, LOCAL_TYPE, loadElement, storeElement } from './typed-memory.js';

/** What a select kernel bakes in. */
export interface SelectConfig {
  readonly type: ScalarType;
  readonly largest: boolean;
  readonly ties: 'first' | 'last';
}

/** The select kernel (TopK, ArgMax, ArgMin). */
export function selectKernel(config: SelectConfig): KernelSpec {
  return {
    name: `select_${config.type}_${config.largest ? 'largest' : 'smallest'}_${config.ties}`,
    params: ['x', 'values', 'indices', 'outer', 'length', 'inner', 'k'],
    build: (f) => buildSelect(f, config),
  };
}

interface LineLocals {
  readonly outer: Local;
  readonly inner: Local;
  readonly j: Local;
}

/** Nested loops over the lines: `body` sees the outer and inner index. */
function overLines(f: FunctionBuilder, locals: LineLocals, body: Expr[]): Expr {
  const i = f.i32;
  return f.for(locals.outer, i.const(0), f.get('outer'), 1, [f.for(locals.inner, i.const(0), f.get('inner'), 1, body)]);
}

/** The element index of (outer, position, inner) in a [outer, extent, inner] tensor. */
function lineIndex(f: FunctionBuilder, locals: LineLocals, extent: string, position: Expr): Expr {
  const i = f.i32;
  return i.add(i.mul(i.add(i.mul(locals.outer.get(), f.get(extent)), position), f.get('inner')), locals.inner.get());
}

function buildSelect(f: FunctionBuilder, config: SelectConfig): Expr[] {
  const i = f.i32;
  const { type } = config;
  const locals: LineLocals = { outer: f.local('outerIndex', 'i32'), inner: f.local('innerIndex', 'i32'), j: f.local('j', 'i32') };
  const [kept, slot, value] = [f.local('kept', 'i32'), f.local('slot', 'i32'), f.local('value', LOCAL_TYPE[type])];
  const compare = comparisons(f, type);
  const better = (than: Expr): Expr => {
    const operator = config.largest ? (config.ties === 'first' ? compare.gt : compare.ge) : config.ties === 'first' ? compare.lt : compare.le;
    return operator(value.get(), than);
  };
  const valueAt = (rank: Expr): Expr => elementAt(f, type, f.get('values'), lineIndex(f, locals, 'k', rank));
  const indexAt = (rank: Expr): Expr => elementAt(f, 'i64', f.get('indices'), lineIndex(f, locals, 'k', rank));
  const previous = (): Expr => i.sub(slot.get(), i.const(1));
  // the slot above, read at slot 0 when there is none (the result is then ignored)
  const above = (): Expr => loadElement(f, type, valueAt(i.max(previous(), i.const(0))));
  // built once per use: an expression may appear in one place only
  const insert = (): Expr[] => [
    f.while(i.and(i.gt(slot.get(), i.const(0)), better(above())), [
      storeElement(f, type, valueAt(slot.get()), loadElement(f, type, valueAt(previous()))),
      f.i64.store(indexAt(slot.get()), f.i64.load(indexAt(previous()))),
      slot.set(previous()),
    ]),
    storeElement(f, type, valueAt(slot.get()), value.get()),
    f.i64.store(indexAt(slot.get()), f.i64.fromI32(locals.j.get())),
  ];
  const lastKept = (): Expr => loadElement(f, type, valueAt(i.sub(f.get('k'), i.const(1))));
  const perElement: Expr[] = [
    value.set(loadElement(f, type, elementAt(f, type, f.get('x'), lineIndex(f, locals, 'length', locals.j.get())))),
    f.if(i.lt(kept.get(), f.get('k')), [slot.set(kept.get()), kept.set(i.add(kept.get(), i.const(1))), ...insert()], [
      f.if(better(lastKept()), [slot.set(i.sub(f.get('k'), i.const(1))), ...insert()]),
    ]),
  ];
  return [
    f.if(i.gt(f.get('k'), i.const(0)), [overLines(f, locals, [kept.set(i.const(0)), f.for(locals.j, i.const(0), f.get('length'), 1, perElement)])]),
  ];
}

/** What a scan kernel bakes in. */
export interface ScanConfig {
  readonly type: ScalarType;
  readonly exclusive: boolean;
  readonly reverse: boolean;
}

/** The scan kernel (CumSum). */
export function scanKernel(config: ScanConfig): KernelSpec {
  return {
    name: `scan_${config.type}${config.exclusive ? '_exclusive' : ''}${config.reverse ? '_reverse' : ''}`,
    params: ['x', 'y', 'outer', 'length', 'inner'],
    build: (f) => buildScan(f, config),
  };
}

function buildScan(f: FunctionBuilder, config: ScanConfig): Expr[] {
  const i = f.i32;
  const { type } = config;
  const locals: LineLocals = { outer: f.local('outerIndex', 'i32'), inner: f.local('innerIndex', 'i32'), j: f.local('step', 'i32') };
  const [at, running] = [f.local('at', 'i32'), f.local('running', LOCAL_TYPE[type])];
  const ops = type === 'f32' ? f.f32 : type === 'i64' ? f.i64 : f.i32;
  const zero = type === 'f32' ? f.f32.const(0) : ops.const(0);
  const position = config.reverse ? i.sub(i.sub(f.get('length'), i.const(1)), locals.j.get()) : locals.j.get();
  const store = (): Expr => storeElement(f, type, elementAt(f, type, f.get('y'), at.get()), running.get());
  const add = running.set(ops.add(running.get(), loadElement(f, type, elementAt(f, type, f.get('x'), at.get()))));
  return [
    overLines(f, locals, [
      running.set(zero),
      f.for(locals.j, i.const(0), f.get('length'), 1, [at.set(lineIndex(f, locals, 'length', position)), ...(config.exclusive ? [store(), add] : [add, store()])]),
    ]),
  ];
}
