/**
 * Gather along one axis (and OneHot, at the end): data viewed as [outer, axisSize, inner], indices
 * flattened to `count` values; output [outer, count, inner]. Each picked
 * slice of `inner` elements is one row copy.
 *
 * Indices (i32 or i64) follow ONNX: negative values count from the end.
 * Out-of-range indices are CLAMPED to [0, axisSize - 1] (the reference
 * interpreter rejects them; a kernel cannot raise a readable error, and
 * clamping never reads outside `data`). i64 indices beyond the i32 range
 * saturate before clamping. With axisSize = 0 nothing is read.
 *
 * Parameters: data, indices, out, outer, axisSize, count, inner.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { copyRow } from './strided-copy.js';

/** The Gather kernel for `elementBytes`-byte data and i32 or i64 indices. */
export function gatherKernel(elementBytes: number, indexType: 'i32' | 'i64'): KernelSpec {
  return {
    name: `gather_e${elementBytes}_${indexType}`,
    params: ['data', 'indices', 'out', 'outer', 'axisSize', 'count', 'inner'],
    build(f) {
      const i = f.i32;
      const [outer, j, index, target, source] = ['outerIndex', 'j', 'index', 'target', 'source'].map((name) => f.local(name, 'i32'));
      const rowBytes = f.local('sliceBytes', 'i32');
      return [
        rowBytes.set(i.mul(f.get('inner'), i.const(elementBytes))),
        target.set(f.get('out')),
        f.if(i.gt(f.get('axisSize'), i.const(0)), [
          f.for(outer, i.const(0), f.get('outer'), 1, [
            f.for(j, i.const(0), f.get('count'), 1, [
              ...readIndex(f, index, f.get('indices'), j.get(), indexType, f.get('axisSize')),
              source.set(i.add(f.get('data'), i.mul(i.add(i.mul(outer.get(), f.get('axisSize')), index.get()), rowBytes.get()))),
              ...copyRow(f, target, source, rowBytes.get()),
              target.set(i.add(target.get(), rowBytes.get())),
            ]),
          ]),
        ]),
      ];
    },
  };
}

/**
 * Sets `index` to the index at `position` of the index tensor at `pointer`
 * (i32 or i64), wrapped (negative from the end) and clamped into
 * [0, size). i64 indices beyond the i32 range saturate first.
 */
export function readIndex(f: FunctionBuilder, index: Local, pointer: Expr, position: Expr, indexType: 'i32' | 'i64', size: Expr): Expr[] {
  const i = f.i32;
  const statements: Expr[] = [];
  const limit = f.temp('i32');
  if (indexType === 'i32') {
    statements.push(index.set(i.load(i.add(pointer, i.shl(position, 2)))));
  } else {
    const at = f.temp('i32');
    const high = f.temp('i32');
    // an i64 fits in i32 when its high word is the sign extension of the low word; else saturate
    statements.push(
      at.set(i.add(pointer, i.shl(position, 3))),
      index.set(i.load(at.get())),
      high.set(i.load(at.get(), 4)),
      f.if(i.ne(high.get(), i.shrS(index.get(), 31)), [index.set(i.select(i.lt(high.get(), i.const(0)), i.const(-0x80000000), i.const(0x7fffffff)))]),
    );
  }
  statements.push(
    limit.set(size),
    f.if(i.lt(index.get(), i.const(0)), [index.set(i.add(index.get(), limit.get()))]),
    index.set(i.max(i.const(0), i.min(index.get(), i.sub(limit.get(), i.const(1))))),
  );
  return statements;
}

/**
 * OneHot: out[o, j, i] = values[1] when indices[o, i] (i32, i64 or f32
 * truncated; negative counts from the end) equals j, else values[0]; raw
 * elements of `elementBytes`. Parameters: indices, values, out, outer,
 * depth, inner.
 */
export function oneHotKernel(elementBytes: number, indexType: 'i32' | 'i64' | 'f32'): KernelSpec {
  return {
    name: `one_hot_e${elementBytes}_${indexType}`,
    params: ['indices', 'values', 'out', 'outer', 'depth', 'inner'],
    build(f) {
      const i = f.i32;
      const [outer, j, inner, index, target] = ['outerIndex', 'j', 'innerIndex', 'index', 'target'].map((name) => f.local(name, 'i32'));
      const position = (): Expr => i.add(i.mul(outer.get(), f.get('inner')), inner.get());
      const read = indexType === 'f32' ? i.fromF32(f.f32.load(i.add(f.get('indices'), i.shl(position(), 2)))) : indexType === 'i32' ? i.load(i.add(f.get('indices'), i.shl(position(), 2))) : i.fromF32(f.f32.fromI64At(i.add(f.get('indices'), i.shl(position(), 3))));
      const value = (on: Expr): Expr => i.add(f.get('values'), i.mul(on, i.const(elementBytes)));
      return [
        target.set(f.get('out')),
        f.for(outer, i.const(0), f.get('outer'), 1, [
          f.for(j, i.const(0), f.get('depth'), 1, [
            f.for(inner, i.const(0), f.get('inner'), 1, [
              index.set(read),
              f.if(i.lt(index.get(), i.const(0)), [index.set(i.add(index.get(), f.get('depth')))]),
              f.raw.copy(elementBytes, target.get(), value(i.eq(index.get(), j.get()))),
              target.set(i.add(target.get(), i.const(elementBytes))),
            ]),
          ]),
        ]),
      ];
    },
  };
}
