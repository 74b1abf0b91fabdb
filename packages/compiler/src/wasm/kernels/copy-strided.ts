/**
 * A strided 4-D copy of f32 elements: dst[dstOffset + Σ i·dstStride] =
 * src[Σ i·srcStride] over [n0, n1, n2, n3] with the last axis contiguous on
 * both sides. Used to lay K/V into the KV-cache layout [B, Hkv, S, D].
 */
import type { KernelSpec } from '../kernel-set.js';

/** Parameter order of the strided copy. */
export const COPY_STRIDED_PARAMS = ['src', 'dst', 'dstOffset', 'n0', 'n1', 'n2', 'n3', 's0', 's1', 's2', 'd0', 'd1', 'd2'] as const;

/** The strided copy kernel. */
export const copyStrided4: KernelSpec = {
  name: 'copy_strided4_f32',
  params: COPY_STRIDED_PARAMS,
  build(f) {
    const i = f.i32;
    const [a, b, c] = [f.local('a', 'i32'), f.local('b', 'i32'), f.local('c', 'i32')];
    const from = f.local('from', 'i32');
    const to = f.local('to', 'i32');
    const offset = (strides: readonly string[]) => i.add(i.add(i.mul(a.get(), f.get(strides[0])), i.mul(b.get(), f.get(strides[1]))), i.mul(c.get(), f.get(strides[2])));
    return [
      f.for(a, i.const(0), f.get('n0'), 1, [
        f.for(b, i.const(0), f.get('n1'), 1, [
          f.for(c, i.const(0), f.get('n2'), 1, [
            from.set(i.add(f.get('src'), i.shl(offset(['s0', 's1', 's2']), 2))),
            to.set(i.add(f.get('dst'), i.shl(i.add(f.get('dstOffset'), offset(['d0', 'd1', 'd2'])), 2))),
            f.memory.copy(to.get(), from.get(), i.shl(f.get('n3'), 2)),
          ]),
        ]),
      ]),
    ];
  },
};
