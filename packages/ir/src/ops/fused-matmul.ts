/**
 * FusedMatMul (Ladon extension, after ONNX Runtime's contrib op of the same
 * name): `Y = alpha · op(A) · op(B)` where op transposes the last two axes
 * when `transA` / `transB` is 1; batch dims broadcast as in MatMul. The
 * compiler folds a Transpose of the last two axes and a constant scale into
 * it, so a backend reads Bᵀ in place instead of materialising it.
 * Legend: op(A) is [..., M, K], op(B) is [..., K, N], Y is [..., M, N].
 */
import { dimsCompatible } from '../dim.js';
import type { OpContext, OpDef } from '../op-def.js';
import { broadcastShapes, formatType, shapeSize } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { broadcastIndexMap, FLOAT_TYPES, numericValues } from './kernel-utils.js';

function flag(ctx: OpContext, name: string): boolean {
  const value = ctx.int(name);
  if (value !== 0 && value !== 1) ctx.failAttr(`attribute '${name}' must be 0 or 1, got ${value}`);
  return value === 1;
}

/** FusedMatMul: batched `alpha · op(A) · op(B)` with optional transposes of the last two axes. */
export const FusedMatMul: OpDef = {
  name: 'FusedMatMul',
  summary: 'alpha · op(A)·op(B), op = optional transpose of the last two axes (Ladon extension)',
  inputs: [{ name: 'A' }, { name: 'B' }],
  outputs: [{ name: 'Y' }],
  attributes: {
    transA: { type: 'int', default: 0 },
    transB: { type: 'int', default: 0 },
    alpha: { type: 'float', default: 1.0 },
  },
  infer(ctx) {
    const transA = flag(ctx, 'transA');
    const transB = flag(ctx, 'transB');
    ctx.float('alpha');
    const dtype = ctx.expectDType(0, FLOAT_TYPES);
    ctx.expectSameDType(0, 1);
    const a = ctx.type(0).shape;
    const b = ctx.type(1).shape;
    if (a.length < 2 || b.length < 2) {
      return ctx.failShape(`operands must have rank >= 2, got ${formatType(ctx.type(0))} and ${formatType(ctx.type(1))}`);
    }
    const [m, ka] = transA ? [a[a.length - 1], a[a.length - 2]] : [a[a.length - 2], a[a.length - 1]];
    const [kb, n] = transB ? [b[b.length - 1], b[b.length - 2]] : [b[b.length - 2], b[b.length - 1]];
    if (!dimsCompatible(ka, kb)) {
      ctx.failShape(`inner dimensions ${ka} and ${kb} differ (A ${ctx.inputRef(0)} is ${formatType(ctx.type(0))}, B ${ctx.inputRef(1)} is ${formatType(ctx.type(1))})`);
    }
    const batch = broadcastShapes([a.slice(0, -2), b.slice(0, -2)], { node: ctx.label, op: 'FusedMatMul' });
    return [{ dtype, shape: [...batch, m, n] }];
  },
  evaluate(ctx) {
    const transA = flag(ctx, 'transA');
    const transB = flag(ctx, 'transB');
    const alpha = ctx.float('alpha');
    const a = ctx.input(0);
    const b = ctx.input(1);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const [m, k] = transA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
    const [kb, n] = transB ? [b.shape[rb - 1], b.shape[rb - 2]] : [b.shape[rb - 2], b.shape[rb - 1]];
    if (k !== kb) ctx.failEval(`inner dimensions ${k} and ${kb} differ at run time ([${a.shape}] x [${b.shape}])`);
    const batch = broadcastShapes([a.shape.slice(0, -2), b.shape.slice(0, -2)], { node: ctx.label, op: 'FusedMatMul' }) as number[];
    const aMap = broadcastIndexMap(batch, a.shape.slice(0, -2));
    const bMap = broadcastIndexMap(batch, b.shape.slice(0, -2));
    const av = numericValues(a);
    const bv = numericValues(b);
    const out = new Float64Array(shapeSize(batch) * m * n);
    for (let t = 0; t < shapeSize(batch); t++) {
      const aBase = aMap[t] * m * k;
      const bBase = bMap[t] * k * n;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) {
            const x = av[aBase + (transA ? p * m + i : i * k + p)];
            const y = bv[bBase + (transB ? j * k + p : p * n + j)];
            sum += x * y;
          }
          out[(t * m + i) * n + j] = alpha * sum;
        }
      }
    }
    return [fromNumbers(a.dtype, [...batch, m, n], out)];
  },
};
