/**
 * Adds Gemm's C, scaled by beta and broadcast over [M, N] through its
 * element strides (0 along a broadcast axis), to the product in Y:
 * `Y[m, n] += beta · C[m · strideM + n · strideN]`. The general GEMM kernel
 * adds only a bias row with beta = 1 itself; every other C runs this after it.
 *
 * Parameters: y, c, M, N, strideM, strideN.
 */
import { numberTag } from '@ladon/ir';
import type { Expr, FunctionBuilder } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** The kernel adding beta · C (beta baked in). */
export function gemmAddendKernel(beta: number): KernelSpec {
  return {
    name: `gemm_add_c_beta${numberTag(beta)}`,
    params: ['y', 'c', 'M', 'N', 'strideM', 'strideN'],
    build: (f) => buildAddend(f, beta),
  };
}

function buildAddend(f: FunctionBuilder, beta: number): Expr[] {
  const i = f.i32;
  const [m, n, row, cRow] = ['m', 'n', 'yRow', 'cRow'].map((name) => f.local(name, 'i32'));
  const yAt = (): Expr => i.add(row.get(), i.shl(n.get(), 2));
  const cAt = i.add(cRow.get(), i.shl(i.mul(n.get(), f.get('strideN')), 2));
  return [
    row.set(f.get('y')),
    f.for(m, i.const(0), f.get('M'), 1, [
      cRow.set(i.add(f.get('c'), i.shl(i.mul(m.get(), f.get('strideM')), 2))),
      f.for(n, i.const(0), f.get('N'), 1, [f.f32.store(yAt(), f.f32.add(f.f32.load(yAt()), f.f32.mul(f.f32.const(beta), f.f32.load(cAt))))]),
      row.set(i.add(row.get(), i.shl(f.get('N'), 2))),
    ]),
  ];
}
