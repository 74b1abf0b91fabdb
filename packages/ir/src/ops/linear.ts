/**
 * Linear (Ladon extension): `Y = X · W + B` over the last axis of X, the
 * form PyTorch's `nn.Linear` exports as MatMul+Add or Gemm. X is [..., K];
 * W is [K, N], or [N, K] with `transB` = 1 (PyTorch's weight layout); the
 * optional bias B is [N]; Y is [..., N]. The compiler rewrites Gemm and
 * MatMul+Add with a constant 2-D weight into it.
 */
import { dimsCompatible } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { formatType } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { FLOAT_TYPES, numericValues } from './kernel-utils.js';

/** Linear: `X · W (+ B)` on the last axis, W optionally stored transposed. */
export const Linear: OpDef = {
  name: 'Linear',
  summary: 'X·W + B over the last axis; W is [K, N] or, with transB, [N, K] (Ladon extension)',
  inputs: [{ name: 'X' }, { name: 'W' }, { name: 'B', optional: true }],
  outputs: [{ name: 'Y' }],
  attributes: { transB: { type: 'int', default: 0 } },
  infer(ctx) {
    const transB = ctx.int('transB');
    if (transB !== 0 && transB !== 1) ctx.failAttr(`attribute 'transB' must be 0 or 1, got ${transB}`);
    const dtype = ctx.expectDType(0, FLOAT_TYPES);
    ctx.expectSameDType(0, 1);
    const x = ctx.type(0).shape;
    if (x.length < 1) return ctx.failShape(`X ${ctx.inputRef(0)} must have rank >= 1, got ${formatType(ctx.type(0))}`);
    const w = ctx.expectRank(1, [2]).shape;
    const [k, n] = transB ? [w[1], w[0]] : [w[0], w[1]];
    if (!dimsCompatible(x[x.length - 1], k)) {
      ctx.failShape(`X ${ctx.inputRef(0)} is ${formatType(ctx.type(0))} but W ${ctx.inputRef(1)} is ${formatType(ctx.type(1))}${transB ? ' (transposed)' : ''}: inner dimensions ${x[x.length - 1]} and ${k} differ`);
    }
    if (ctx.has(2)) {
      ctx.expectSameDType(0, 2);
      const b = ctx.expectRank(2, [1]).shape;
      if (!dimsCompatible(b[0], n)) ctx.failShape(`bias ${ctx.inputRef(2)} is ${formatType(ctx.type(2))}, expected [${n}]`, ctx.node.inputs[2]);
    }
    return [{ dtype, shape: [...x.slice(0, -1), n] }];
  },
  evaluate(ctx) {
    const transB = ctx.int('transB') === 1;
    const x = ctx.input(0);
    const w = ctx.input(1);
    const bias = ctx.optionalInput(2);
    const k = x.shape[x.shape.length - 1];
    const n = transB ? w.shape[0] : w.shape[1];
    if ((transB ? w.shape[1] : w.shape[0]) !== k) ctx.failEval(`inner dimensions differ at run time ([${x.shape}] x [${w.shape}])`);
    const rows = x.data.length / k;
    const xv = numericValues(x);
    const wv = numericValues(w);
    const bv = bias ? numericValues(bias) : undefined;
    const out = new Float64Array(rows * n);
    for (let row = 0; row < rows; row++) {
      for (let j = 0; j < n; j++) {
        let sum = bv ? bv[j] : 0;
        for (let p = 0; p < k; p++) sum += xv[row * k + p] * wv[transB ? j * k + p : p * n + j];
        out[row * n + j] = sum;
      }
    }
    return [fromNumbers(x.dtype, [...x.shape.slice(0, -1), n], out)];
  },
};
