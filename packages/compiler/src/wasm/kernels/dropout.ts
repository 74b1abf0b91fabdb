/**
 * Training-mode Dropout on f32: element i is kept when the 32-bit hash of
 * (seed, i) — the reference's `dropoutHash` — is at least `threshold`
 * (unsigned), and then scaled by the baked-in `scale`; dropped elements are
 * 0. With `withMask`, the bool mask of kept elements is written too.
 * Parameters: in, out, [mask], count, seed, threshold.
 */
import { numberTag } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** `hash` = dropoutHash(seed, index), in i32 arithmetic modulo 2^32. */
function hashInto(f: FunctionBuilder, hash: Local, index: Expr): Expr[] {
  const i = f.i32;
  const mix = (shift: number): Expr => hash.set(i.xor(hash.get(), i.shrU(hash.get(), shift)));
  return [
    hash.set(i.xor(i.mul(index, i.const(0x9e3779b9)), f.get('seed'))),
    mix(16),
    hash.set(i.mul(hash.get(), i.const(0x7feb352d))),
    mix(15),
    hash.set(i.mul(hash.get(), i.const(0x846ca68b))),
    mix(16),
  ];
}

/** The dropout kernel with `scale` baked in. */
export function dropoutKernel(scale: number, withMask: boolean): KernelSpec {
  return {
    name: `dropout_f32_${numberTag(scale)}${withMask ? '_mask' : ''}`,
    params: ['in', 'out', ...(withMask ? ['mask'] : []), 'count', 'seed', 'threshold'],
    build(f) {
      const i = f.i32;
      const [index, hash, keep] = ['index', 'hash', 'keep'].map((name) => f.local(name, 'i32'));
      const at = (pointer: string): Expr => i.add(f.get(pointer), i.shl(index.get(), 2));
      const value = f.f32.select(keep.get(), f.f32.mul(f.f32.load(at('in')), f.f32.const(scale)), f.f32.const(0));
      return [
        f.for(index, i.const(0), f.get('count'), 1, [
          ...hashInto(f, hash, index.get()),
          keep.set(i.geU(hash.get(), f.get('threshold'))),
          f.f32.store(at('out'), value),
          ...(withMask ? [i.store8(i.add(f.get('mask'), index.get()), keep.get())] : []),
        ]),
      ];
    },
  };
}
