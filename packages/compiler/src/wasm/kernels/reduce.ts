/**
 * Reduction kernels, rendered from a reduction's definition (@ladon/ir
 * ReductionDefinition: an element's contribution `map`, an associative
 * `combine` from its identity, and `finish` from the accumulator and the
 * set's size). f32 expressions are rendered four lanes at a time (a scalar
 * is a splatted vector's lane 0, so the math functions are there); integer
 * and bool ones as scalar code.
 *
 * - `reduce_<op>_rows`: f32, the reduced axes are the trailing ones — one
 *   result per contiguous row, four lanes at a time (params x, y, rows, length).
 * - `reduce_<op>_columns`: f32, the reduced axes form one block in the
 *   middle, [outer, length, inner] — four neighbouring columns per vector,
 *   a tail of 1-3 columns one at a time (params x, y, outer, length, inner).
 * - `reduce_<op>_k<K>_r<R>`: any dtype, any axes, and the max-shifted
 *   reductions — for each output element (K kept axes, row-major), a loop
 *   over the reduced sub-space (R axes) (params x, y, count, then each kept
 *   axis' size and input element stride, then each reduced axis' size and
 *   stride).
 */
import { combineIdentity, scalar, type ReductionCombine, type ReductionDefinition, type ScalarType } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { scalarForm } from './elementwise-scalar.js';
import { vectorForm, type VectorForm } from './elementwise-vector.js';
import { ELEMENT_SHIFT, loadElement as load, LOCAL_TYPE, storeElement as store } from './typed-memory.js';

/** A reduction for one element type, as the kernels render it. */
export interface ReduceKernelOp {
  /** Names the kernel: the op and the dtype, e.g. `logsumexp_f32`. */
  readonly name: string;
  readonly definition: ReductionDefinition;
}

/** The reductions the vectorised row and column kernels compute: f32, combined lane-wise, not max-shifted. */
export function vectorizes(definition: ReductionDefinition): boolean {
  const lanewise: readonly ReductionCombine[] = ['add', 'mul', 'max', 'min'];
  return definition.accumulator === 'f32' && !definition.shiftByMax && lanewise.includes(definition.combine) && Boolean(vectorForm(definition.map) && vectorForm(definition.finish));
}

function identityOf(op: ReduceKernelOp): string {
  const { map, combine, finish, shiftByMax } = op.definition;
  return `${scalar.printScalarExpr(map)} ${combine} ${scalar.printScalarExpr(finish)}${shiftByMax ? ' shifted' : ''}`;
}

function identity(f: FunctionBuilder, combine: ReductionCombine, type: ScalarType): Expr {
  const value = combineIdentity(combine, type);
  if (type === 'f32') return f.f32.const(value as number);
  return type === 'i64' ? f.i64.constBig(value as bigint) : f.i32.const(value as number);
}

/** Statements that set `accumulator` to combine(accumulator, value) on one value of `type`. */
function combineInto(f: FunctionBuilder, combine: ReductionCombine, type: ScalarType, accumulator: Local, value: Expr): Expr[] {
  if (type === 'f32') return [accumulator.set((f.f32 as unknown as Record<string, (a: Expr, b: Expr) => Expr>)[combine](accumulator.get(), value))];
  if (type === 'bool') return [accumulator.set(combine === 'and' ? f.i32.and(accumulator.get(), value) : f.i32.or(accumulator.get(), value))];
  const ops = type === 'i64' ? f.i64 : f.i32;
  if (combine === 'add' || combine === 'mul') return [accumulator.set(ops[combine](accumulator.get(), value))];
  const held = f.temp(LOCAL_TYPE[type]);
  const keeps = combine === 'max' ? ops.gt(accumulator.get(), held.get()) : ops.lt(accumulator.get(), held.get());
  return [held.set(value), accumulator.set(ops.select(keeps, accumulator.get(), held.get()))];
}

/** The value of a one-lane f32 expression form on scalars: the form on splatted lanes, lane 0. */
function f32Value(f: FunctionBuilder, form: VectorForm, inputs: readonly Expr[], statements: Expr[]): Expr {
  const out = f.temp('v128');
  statements.push(...form(f, out, inputs.map((value) => f.f32x4.splat(value))));
  return f.f32x4.extract(out.get(), 0);
}

/** Renders `expression` on scalar inputs of `type`; statements it needs first go to `statements`. */
function scalarValue(f: FunctionBuilder, expression: scalar.ScalarExpr, type: ScalarType, inputs: readonly Expr[], statements: Expr[]): Expr {
  if (type === 'f32') return f32Value(f, vectorForm(expression)!, inputs, statements);
  const held = inputs.map((value) => {
    const local = f.temp(LOCAL_TYPE[type]);
    statements.push(local.set(value));
    return () => local.get();
  });
  return scalarForm(expression)!(f, held);
}

/** True when the general kernel can render the definition (integer expressions need a scalar form). */
export function rendersGeneral(definition: ReductionDefinition): boolean {
  const render = definition.accumulator === 'f32' ? vectorForm : scalarForm;
  return Boolean(render(definition.map) && render(definition.finish));
}

/** The general reduction kernel: `keptRank` output axes, `reducedRank` reduced axes. */
export function reduceGeneralKernel(op: ReduceKernelOp, keptRank: number, reducedRank: number): KernelSpec {
  const kept = Array.from({ length: keptRank }, (_, axis) => axis);
  const reduced = Array.from({ length: reducedRank }, (_, axis) => axis);
  return {
    name: `reduce_${op.name}_k${keptRank}_r${reducedRank}`,
    params: ['x', 'y', 'count', ...kept.flatMap((axis) => [`k${axis}`, `ks${axis}`]), ...reduced.flatMap((axis) => [`r${axis}`, `rs${axis}`])],
    identity: identityOf(op),
    build: (f) => buildGeneral(f, op.definition, keptRank, reducedRank),
  };
}

/** Nested counted loops over `count` axes (sizes `<prefix><axis>`), innermost last. */
function nestedLoops(f: FunctionBuilder, indices: readonly Local[], prefix: string, body: Expr[]): Expr[] {
  let loop = body;
  for (let axis = indices.length - 1; axis >= 0; axis--) loop = [f.for(indices[axis], f.i32.const(0), f.get(`${prefix}${axis}`), 1, loop)];
  return loop;
}

/** Σ index[axis] · `<prefix><axis>` (an element offset). */
function offsetOf(f: FunctionBuilder, indices: readonly Local[], prefix: string, start: Expr): Expr {
  return indices.reduce((sum, index, axis) => f.i32.add(sum, f.i32.mul(index.get(), f.get(`${prefix}${axis}`))), start);
}

function buildGeneral(f: FunctionBuilder, definition: ReductionDefinition, keptRank: number, reducedRank: number): Expr[] {
  const type = definition.accumulator;
  const i = f.i32;
  const keptIndices = Array.from({ length: keptRank }, (_, axis) => f.local(`kept${axis}`, 'i32'));
  const reducedIndices = Array.from({ length: reducedRank }, (_, axis) => f.local(`reduced${axis}`, 'i32'));
  const [base, yAt] = [f.local('base', 'i32'), f.local('yAt', 'i32')];
  const [accumulator, shift] = [f.local('accumulator', LOCAL_TYPE[type]), f.local('shift', 'f32')];
  const element = (): Expr => load(f, type, i.add(f.get('x'), i.shl(offsetOf(f, reducedIndices, 'rs', base.get()), ELEMENT_SHIFT[type])));
  const shifted = (): Expr => (definition.shiftByMax ? f.f32.sub(element(), shift.get()) : element());
  const step: Expr[] = [];
  const contribution = scalarValue(f, definition.map, type, [shifted()], step);
  step.push(...combineInto(f, definition.combine, type, accumulator, contribution));
  const count = type === 'f32' ? f.f32.fromI32(f.get('count')) : type === 'i64' ? f.i64.fromI32(f.get('count')) : f.get('count');
  const result: Expr[] = [];
  const finished = scalarValue(f, definition.finish, type, [accumulator.get(), count], result);
  const perOutput: Expr[] = [
    base.set(offsetOf(f, keptIndices, 'ks', i.const(0))),
    ...(definition.shiftByMax ? maxShift(f, shift, nestedLoops(f, reducedIndices, 'r', [shift.set(f.f32.max(shift.get(), element()))])) : []),
    accumulator.set(identity(f, definition.combine, type)),
    ...nestedLoops(f, reducedIndices, 'r', step),
    ...result,
    store(f, type, yAt.get(), definition.shiftByMax ? f.f32.add(finished, shift.get()) : finished),
    yAt.set(i.add(yAt.get(), i.const(1 << ELEMENT_SHIFT[type]))),
  ];
  return [yAt.set(f.get('y')), ...nestedLoops(f, keptIndices, 'k', perOutput)];
}

/** Statements setting `shift` to the set's maximum (by `scan`), or 0 when that is not finite. */
function maxShift(f: FunctionBuilder, shift: Local, scan: Expr[]): Expr[] {
  return [
    shift.set(f.f32.const(-Infinity)),
    ...scan,
    shift.set(f.f32.select(f.f32.lt(f.f32.abs(shift.get()), f.f32.const(Infinity)), shift.get(), f.f32.const(0))),
  ];
}

/** The vector and scalar pieces of a vectorising reduction. */
interface LaneOps {
  readonly map: VectorForm;
  readonly finish: VectorForm;
  readonly combine: (a: Expr, b: Expr) => Expr;
}

function laneOps(f: FunctionBuilder, definition: ReductionDefinition): LaneOps {
  const lanes = f.f32x4 as unknown as Record<string, (a: Expr, b: Expr) => Expr>;
  return { map: vectorForm(definition.map)!, finish: vectorForm(definition.finish)!, combine: lanes[definition.combine] };
}

/** Statements that set the v128 local `out` to map(lanes). */
function mapped(f: FunctionBuilder, ops: LaneOps, lanes: Expr): { statements: Expr[]; value: Expr } {
  const out = f.temp('v128');
  return { statements: ops.map(f, out, [lanes]), value: out.get() };
}

/** Reduction over the trailing axes (f32). */
export function reduceRowsKernel(op: ReduceKernelOp): KernelSpec {
  return { name: `reduce_${op.name}_rows`, params: ['x', 'y', 'rows', 'length'], identity: identityOf(op), build: (f) => buildRows(f, op.definition) };
}

function buildRows(f: FunctionBuilder, definition: ReductionDefinition): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const ops = laneOps(f, definition);
  const [row, j, x] = [f.local('row', 'i32'), f.local('j', 'i32'), f.local('rowX', 'i32')];
  const [accumulator, lanes, total] = [f.local('accumulator', 'v128'), f.local('lanes', 'v128'), f.local('total', 'v128')];
  const at = (): Expr => i.add(x.get(), i.shl(j.get(), 2));
  const start = v.splat(identity(f, definition.combine, 'f32'));
  const wide = mapped(f, ops, v.load(at()));
  const single = mapped(f, ops, v.loadSplat(at()));
  const finished = f.temp('v128');
  return [
    x.set(f.get('x')),
    f.for(row, i.const(0), f.get('rows'), 1, [
      accumulator.set(start),
      f.for(j, i.const(0), i.sub(f.get('length'), i.const(3)), 4, [...wide.statements, accumulator.set(ops.combine(accumulator.get(), wide.value))]),
      // fold the four lanes into lane 0, then the tail one element at a time (in lane 0)
      lanes.set(ops.combine(accumulator.get(), f.lanes.shuffle32(accumulator.get(), accumulator.get(), [2, 3, 0, 1]))),
      total.set(ops.combine(lanes.get(), f.lanes.shuffle32(lanes.get(), lanes.get(), [1, 0, 3, 2]))),
      f.for(j, j.get(), f.get('length'), 1, [...single.statements, total.set(ops.combine(total.get(), single.value))]),
      ...ops.finish(f, finished, [total.get(), v.splat(f.f32.fromI32(f.get('length')))]),
      f.f32.store(i.add(f.get('y'), i.shl(row.get(), 2)), v.extract(finished.get(), 0)),
      x.set(i.add(x.get(), i.shl(f.get('length'), 2))),
    ]),
  ];
}

/** Reduction over a middle block of axes (f32). */
export function reduceColumnsKernel(op: ReduceKernelOp): KernelSpec {
  return {
    name: `reduce_${op.name}_columns`,
    params: ['x', 'y', 'outer', 'length', 'inner'],
    identity: identityOf(op),
    build: (f) => buildColumns(f, op.definition),
  };
}

function buildColumns(f: FunctionBuilder, definition: ReductionDefinition): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const ops = laneOps(f, definition);
  const [outer, column, j, stride, base] = ['outerIndex', 'column', 'j', 'stride', 'base'].map((name) => f.local(name, 'i32'));
  const [accumulator, finished] = [f.local('accumulator', 'v128'), f.local('finished', 'v128')];
  const block = (wide: boolean): Expr[] => {
    const at = i.add(f.get('x'), i.add(base.get(), i.mul(j.get(), stride.get())));
    const target = i.add(f.get('y'), i.shl(i.add(i.mul(outer.get(), f.get('inner')), column.get()), 2));
    const contribution = mapped(f, ops, wide ? v.load(at) : v.loadSplat(at));
    return [
      base.set(i.add(i.mul(outer.get(), i.mul(f.get('length'), stride.get())), i.shl(column.get(), 2))),
      accumulator.set(v.splat(identity(f, definition.combine, 'f32'))),
      f.for(j, i.const(0), f.get('length'), 1, [...contribution.statements, accumulator.set(ops.combine(accumulator.get(), contribution.value))]),
      ...ops.finish(f, finished, [accumulator.get(), v.splat(f.f32.fromI32(f.get('length')))]),
      wide ? v.store(target, finished.get()) : f.f32.store(target, v.extract(finished.get(), 0)),
    ];
  };
  return [
    stride.set(i.shl(f.get('inner'), 2)),
    f.for(outer, i.const(0), f.get('outer'), 1, [
      f.for(column, i.const(0), i.sub(f.get('inner'), i.const(3)), 4, block(true)),
      f.for(column, column.get(), f.get('inner'), 1, block(false)),
    ]),
  ];
}
