/**
 * One resampling step of Resize along one axis (lower/plans/resize.ts):
 * `y[outer, o, inner] = Σ_j w[o, j] · x[outer, idx[o, j], inner] + c[o]`
 * with the input and output lengths and the taps per output baked in.
 * Four inner positions at a time when the axis is not the innermost, else
 * one output at a time.
 *
 * Parameters: x, y, indices (i32 [output, width]), weights (f32 [output,
 * width]), constants (f32 [output]), outer, inner.
 */
import type { Expr } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** The resampling kernel for an axis of `input` → `output` elements with `width` taps each. */
export function resampleKernel(input: number, output: number, width: number): KernelSpec {
  return {
    name: `resample_i${input}_o${output}_w${width}`,
    params: ['x', 'y', 'indices', 'weights', 'constants', 'outer', 'inner'],
    build(f) {
      const i = f.i32;
      const v = f.f32x4;
      const [o, position, column, source, target, tap] = ['o', 'position', 'column', 'source', 'target', 'tap'].map((name) => f.local(name, 'i32'));
      const [acc, sum] = [f.local('acc', 'v128'), f.local('sum', 'f32')];
      const rowBytes = (): Expr => i.shl(f.get('inner'), 2);
      const tapSource = (j: number): Expr => i.add(source.get(), i.mul(i.load(tap.get(), 4 * j), rowBytes()));
      const weight = (j: number): Expr => f.f32.load(i.add(f.get('weights'), i.shl(i.add(i.mul(position.get(), i.const(width)), i.const(j)), 2)));
      const wide: Expr[] = [acc.set(v.splat(f.f32.load(i.add(f.get('constants'), i.shl(position.get(), 2)))))];
      const narrow: Expr[] = [sum.set(f.f32.load(i.add(f.get('constants'), i.shl(position.get(), 2))))];
      for (let j = 0; j < width; j++) {
        wide.push(acc.set(v.fma(v.splat(weight(j)), v.load(i.add(tapSource(j), i.shl(column.get(), 2))), acc.get())));
        narrow.push(sum.set(f.f32.add(sum.get(), f.f32.mul(weight(j), f.f32.load(i.add(tapSource(j), i.shl(column.get(), 2)))))));
      }
      wide.push(v.store(i.add(target.get(), i.shl(column.get(), 2)), acc.get()));
      narrow.push(f.f32.store(i.add(target.get(), i.shl(column.get(), 2)), sum.get()));
      return [
        target.set(f.get('y')),
        f.for(o, i.const(0), f.get('outer'), 1, [
          source.set(i.add(f.get('x'), i.mul(o.get(), i.mul(i.const(input), rowBytes())))),
          f.for(position, i.const(0), i.const(output), 1, [
            tap.set(i.add(f.get('indices'), i.shl(i.mul(position.get(), i.const(width)), 2))),
            f.for(column, i.const(0), i.sub(f.get('inner'), i.const(3)), 4, wide),
            f.for(column, column.get(), f.get('inner'), 1, narrow),
            target.set(i.add(target.get(), rowBytes())),
          ]),
        ]),
      ];
    },
  };
}
