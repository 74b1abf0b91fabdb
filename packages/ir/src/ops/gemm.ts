/**
 * Gemm (ONNX Gemm-13): `Y = alpha · A' · B' + beta · C` where A' is A or Aᵀ
 * (`transA`), B' is B or Bᵀ (`transB`), A' is [M, K], B' is [K, N], and the
 * optional C broadcasts one-way (right-aligned) to [M, N]. Rank-2 only.
 * Computed in f64 and rounded once; integer results truncate.
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { InferContext, OpContext, OpDef } from '../op-def.js';
import { formatShape, formatType, type Shape } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { broadcastIndexMap, FLOAT_TYPES, INT_TYPES, numericValues } from './kernel-utils.js';

const GEMM_TYPES = [...FLOAT_TYPES, ...INT_TYPES];

function flag(ctx: OpContext, name: string): boolean {
  const value = ctx.int(name);
  if (value !== 0 && value !== 1) ctx.failAttr(`attribute '${name}' must be 0 or 1, got ${value}`);
  return value === 1;
}

/** True when `c` broadcasts one-way (right-aligned) to `[m, n]`. */
function broadcastsTo(c: Shape, target: Shape): boolean {
  if (c.length > target.length) return false;
  const offset = target.length - c.length;
  return c.every((dim, axis) => dim === 1 || dimsCompatible(dim, target[offset + axis]));
}

function inferC(ctx: InferContext, m: Dim, n: Dim): void {
  if (!ctx.has(2)) return;
  ctx.expectDType(2, GEMM_TYPES);
  ctx.expectSameDType(0, 2);
  const c = ctx.type(2);
  if (!broadcastsTo(c.shape, [m, n])) {
    ctx.failShape(`C ${ctx.inputRef(2)} is ${formatType(c)} but must broadcast to [M, N] = ${formatShape([m, n])}`, ctx.node.inputs[2]);
  }
}

/** Gemm: general matrix multiply `alpha·op(A)·op(B) + beta·C`. */
export const Gemm: OpDef = {
  name: 'Gemm',
  summary: 'alpha · A·B + beta · C with optional transposes (rank 2)',
  inputs: [{ name: 'A' }, { name: 'B' }, { name: 'C', optional: true }],
  outputs: [{ name: 'Y' }],
  attributes: {
    alpha: { type: 'float', default: 1.0 },
    beta: { type: 'float', default: 1.0 },
    transA: { type: 'int', default: 0 },
    transB: { type: 'int', default: 0 },
  },
  infer(ctx) {
    const transA = flag(ctx, 'transA');
    const transB = flag(ctx, 'transB');
    ctx.float('alpha');
    ctx.float('beta');
    const dtype = ctx.expectDType(0, GEMM_TYPES);
    ctx.expectDType(1, GEMM_TYPES);
    ctx.expectSameDType(0, 1);
    const a = ctx.expectRank(0, [2]).shape;
    const b = ctx.expectRank(1, [2]).shape;
    const [m, ka] = transA ? [a[1], a[0]] : [a[0], a[1]];
    const [kb, n] = transB ? [b[1], b[0]] : [b[0], b[1]];
    if (!dimsCompatible(ka, kb)) {
      ctx.failShape(
        `inner dimensions ${ka} and ${kb} differ (A ${ctx.inputRef(0)} is ${formatType(ctx.type(0))}${transA ? ' transposed' : ''}, ` +
          `B ${ctx.inputRef(1)} is ${formatType(ctx.type(1))}${transB ? ' transposed' : ''})`,
      );
    }
    inferC(ctx, m, n);
    return [{ dtype, shape: [m, n] }];
  },
  evaluate(ctx) {
    const transA = flag(ctx, 'transA');
    const transB = flag(ctx, 'transB');
    const alpha = ctx.float('alpha');
    const beta = ctx.float('beta');
    const a = ctx.input(0);
    const b = ctx.input(1);
    const c = ctx.optionalInput(2);
    if (a.shape.length !== 2 || b.shape.length !== 2) ctx.failEval(`A and B must have rank 2, got [${a.shape}] and [${b.shape}]`);
    const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [kb, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (k !== kb) ctx.failEval(`inner dimensions ${k} and ${kb} differ at run time ([${a.shape}] x [${b.shape}])`);
    if (c && !broadcastsTo(c.shape, [m, n])) ctx.failEval(`C ${ctx.inputRef(2)} of shape [${c.shape}] does not broadcast to [${m}, ${n}]`);
    const av = numericValues(a);
    const bv = numericValues(b);
    const cv = c ? numericValues(c) : undefined;
    const cMap = c ? broadcastIndexMap([m, n], c.shape) : undefined;
    const isInt = a.dtype === 'i32' || a.dtype === 'i64';
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const x = transA ? av[p * m + i] : av[i * k + p];
          const y = transB ? bv[j * k + p] : bv[p * n + j];
          sum += x * y;
        }
        let value = alpha * sum;
        if (cv && cMap) value += beta * cv[cMap[i * n + j]];
        out[i * n + j] = isInt ? Math.trunc(value) : value;
      }
    }
    return [fromNumbers(a.dtype, [m, n], out)];
  },
};
