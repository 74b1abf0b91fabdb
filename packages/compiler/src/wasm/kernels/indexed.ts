/**
 * Kernels that address elements through an index tensor (i32 or i64,
 * wrapped and clamped as in kernels/gather.ts): GatherElements and GatherND
 * read; ScatterElements and ScatterND write updates in order into an
 * output already holding a copy of data, combined by the reduction (none
 * moves raw bytes; add, mul, max, min compute in the element's type: f32,
 * i32 or i64).
 *
 * Element-wise addressing (GatherElements, ScatterElements) walks the
 * indices' `rank` axes (d<a>) with data's strides (s<a>); the axis the
 * indices replace is baked in. Tuple addressing (GatherND, ScatterND) reads
 * `depth` indices per tuple (axis sizes k<j>, strides t<j>) and moves a
 * slice of `slice` elements.
 */
import type { DType, ScatterReduction } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { readIndex } from './gather.js';
import { copyRow } from './strided-copy.js';

/** What an index kernel bakes in. */
export interface IndexedKernelConfig {
  readonly dtype: DType;
  readonly elementBytes: number;
  readonly indexType: 'i32' | 'i64';
}

const axesOf = (count: number): number[] => Array.from({ length: count }, (_, axis) => axis);

/**
 * The store of `update` into `target` combined by `reduction`: both are
 * addresses held in locals (each read more than once).
 */
function combine(f: FunctionBuilder, config: IndexedKernelConfig, reduction: ScatterReduction, target: Local, update: Local): Expr {
  const { dtype, elementBytes } = config;
  if (reduction === 'none') return f.raw.copy(elementBytes, target.get(), update.get());
  if (dtype === 'f32') {
    const [a, b] = [f.f32.load(target.get()), f.f32.load(update.get())];
    const value = { add: f.f32.add, mul: f.f32.mul, max: f.f32.max, min: f.f32.min }[reduction](a, b);
    return f.f32.store(target.get(), value);
  }
  if (dtype === 'i32') {
    const i = f.i32;
    const value = { add: i.add, mul: i.mul, max: i.max, min: i.min }[reduction](i.load(target.get()), i.load(update.get()));
    return i.store(target.get(), value);
  }
  const l = f.i64;
  const [a, b] = [(): Expr => l.load(target.get()), (): Expr => l.load(update.get())];
  if (reduction === 'add') return l.store(target.get(), l.add(a(), b()));
  if (reduction === 'mul') return l.store(target.get(), l.mul(a(), b()));
  const keep = reduction === 'max' ? l.ge(a(), b()) : l.le(a(), b());
  return l.store(target.get(), l.select(keep, a(), b()));
}

/** Parameters of element-wise addressing over `rank` axes. */
function elementParams(rank: number): string[] {
  return [...axesOf(rank).map((axis) => `d${axis}`), ...axesOf(rank).map((axis) => `s${axis}`), 'axisSize'];
}

/**
 * Loops over the indices' axes in order; at each element, `base` holds the
 * data offset (elements) of every axis but `axis`, and `flat` the element's
 * position in indices. `body` runs per element.
 */
function elementLoops(f: FunctionBuilder, rank: number, axis: number, flat: Local, body: (base: Local) => Expr[]): Expr[] {
  const i = f.i32;
  const base = Array.from({ length: rank + 1 }, (_, level) => f.local(`base${level}`, 'i32'));
  let inner: Expr[] = [...body(base[rank]), flat.set(i.add(flat.get(), i.const(1)))];
  for (let level = rank - 1; level >= 0; level--) {
    const index = f.local(`i${level}`, 'i32');
    const step = level === axis ? base[level].get() : i.add(base[level].get(), i.mul(index.get(), f.get(`s${level}`)));
    inner = [f.for(index, i.const(0), f.get(`d${level}`), 1, [base[level + 1].set(step), ...inner])];
  }
  return [base[0].set(i.const(0)), flat.set(i.const(0)), ...inner];
}

/** GatherElements: out[i] = data[i with its `axis` coordinate from indices[i]]. Params data, indices, out, then the addressing. */
export function gatherElementsKernel(config: IndexedKernelConfig, rank: number, axis: number): KernelSpec {
  return {
    name: `gather_elements_r${rank}_a${axis}_e${config.elementBytes}_${config.indexType}`,
    params: ['data', 'indices', 'out', ...elementParams(rank)],
    build(f) {
      const i = f.i32;
      const [flat, index] = [f.local('flat', 'i32'), f.local('index', 'i32')];
      const bytes = (elements: Expr): Expr => i.mul(elements, i.const(config.elementBytes));
      return elementLoops(f, rank, axis, flat, (base) => [
        ...readIndex(f, index, f.get('indices'), flat.get(), config.indexType, f.get('axisSize')),
        f.raw.copy(config.elementBytes, i.add(f.get('out'), bytes(flat.get())), i.add(f.get('data'), bytes(i.add(base.get(), i.mul(index.get(), f.get(`s${axis}`)))))),
      ]);
    },
  };
}

/** ScatterElements: out[i with its `axis` coordinate from indices[i]] combined with updates[i], in order. Params out, indices, updates, then the addressing. */
export function scatterElementsKernel(config: IndexedKernelConfig, reduction: ScatterReduction, rank: number, axis: number): KernelSpec {
  return {
    name: `scatter_elements_${reduction}_r${rank}_a${axis}_${config.dtype}_${config.indexType}`,
    params: ['out', 'indices', 'updates', ...elementParams(rank)],
    build(f) {
      const i = f.i32;
      const [flat, index, target, update] = ['flat', 'index', 'target', 'update'].map((name) => f.local(name, 'i32'));
      const bytes = (elements: Expr): Expr => i.mul(elements, i.const(config.elementBytes));
      return elementLoops(f, rank, axis, flat, (base) => [
        ...readIndex(f, index, f.get('indices'), flat.get(), config.indexType, f.get('axisSize')),
        target.set(i.add(f.get('out'), bytes(i.add(base.get(), i.mul(index.get(), f.get(`s${axis}`)))))),
        update.set(i.add(f.get('updates'), bytes(flat.get()))),
        combine(f, config, reduction, target, update),
      ]);
    },
  };
}

/** Parameters of tuple addressing with `depth` indices per tuple. */
function tupleParams(depth: number): string[] {
  return ['batches', 'tuples', 'batchStride', 'slice', ...axesOf(depth).flatMap((k) => [`k${k}`, `t${k}`])];
}

/** Sets `offset` to the data offset (elements) of tuple `tuple` in batch `batch`. */
function tupleOffset(f: FunctionBuilder, config: IndexedKernelConfig, depth: number, offset: Local, batch: Expr, tuple: Expr): Expr[] {
  const i = f.i32;
  const [first, index] = [f.local('firstIndex', 'i32'), f.local('index', 'i32')];
  const statements: Expr[] = [offset.set(i.mul(batch, f.get('batchStride'))), first.set(i.mul(tuple, i.const(depth)))];
  for (let k = 0; k < depth; k++) {
    statements.push(
      ...readIndex(f, index, f.get('indices'), i.add(first.get(), i.const(k)), config.indexType, f.get(`k${k}`)),
      offset.set(i.add(offset.get(), i.mul(index.get(), f.get(`t${k}`)))),
    );
  }
  return statements;
}

/** GatherND: each tuple's slice of data, in order. Params data, indices, out, then the addressing. */
export function gatherNdKernel(config: IndexedKernelConfig, depth: number): KernelSpec {
  return {
    name: `gather_nd_k${depth}_e${config.elementBytes}_${config.indexType}`,
    params: ['data', 'indices', 'out', ...tupleParams(depth)],
    build(f) {
      const i = f.i32;
      const [batch, tuple, offset, source, target] = ['batch', 'tuple', 'offset', 'source', 'target'].map((name) => f.local(name, 'i32'));
      const sliceBytes = f.local('sliceBytes', 'i32');
      return [
        sliceBytes.set(i.mul(f.get('slice'), i.const(config.elementBytes))),
        target.set(f.get('out')),
        f.for(batch, i.const(0), f.get('batches'), 1, [
          f.for(tuple, i.const(0), f.get('tuples'), 1, [
            ...tupleOffset(f, config, depth, offset, batch.get(), i.add(i.mul(batch.get(), f.get('tuples')), tuple.get())),
            source.set(i.add(f.get('data'), i.mul(offset.get(), i.const(config.elementBytes)))),
            ...copyRow(f, target, source, sliceBytes.get()),
            target.set(i.add(target.get(), sliceBytes.get())),
          ]),
        ]),
      ];
    },
  };
}

/** ScatterND: each tuple's slice of out combined with the matching slice of updates, tuples in order. Params out, indices, updates, then the addressing. */
export function scatterNdKernel(config: IndexedKernelConfig, reduction: ScatterReduction, depth: number): KernelSpec {
  return {
    name: `scatter_nd_${reduction}_k${depth}_${config.dtype}_${config.indexType}`,
    params: ['out', 'indices', 'updates', ...tupleParams(depth)],
    build(f) {
      const i = f.i32;
      const [tuple, offset, element, target, update] = ['tuple', 'offset', 'element', 'target', 'update'].map((name) => f.local(name, 'i32'));
      const bytes = (elements: Expr): Expr => i.mul(elements, i.const(config.elementBytes));
      return [
        update.set(f.get('updates')),
        f.for(tuple, i.const(0), f.get('tuples'), 1, [
          ...tupleOffset(f, config, depth, offset, i.const(0), tuple.get()),
          f.for(element, i.const(0), f.get('slice'), 1, [
            target.set(i.add(f.get('out'), bytes(i.add(offset.get(), element.get())))),
            combine(f, config, reduction, target, update),
            update.set(i.add(update.get(), i.const(config.elementBytes))),
          ]),
        ]),
      ];
    },
  };
}
