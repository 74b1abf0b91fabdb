/**
 * MatMul: NumPy matrix product (ONNX MatMul-13). Rank-1 operands are
 * promoted (a leading / trailing 1 added, then removed); batch dims
 * broadcast. Legend: A is [..., M, K], B is [..., K, N], Y is [..., M, N].
 */
import { dimsCompatible, type Dim } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { broadcastShapes, formatType, shapeSize } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { broadcastIndexMap, FLOAT_TYPES, numericValues } from './kernel-utils.js';

export const MatMul: OpDef = {
  name: 'MatMul',
  summary: 'matrix product A·B with NumPy broadcasting of batch dims',
  inputs: [{ name: 'A' }, { name: 'B' }],
  outputs: [{ name: 'Y' }],
  attributes: {},
  infer(ctx) {
    const dtype = ctx.expectDType(0, [...FLOAT_TYPES, 'i32', 'i64']);
    ctx.expectSameDType(0, 1);
    const a = ctx.type(0).shape;
    const b = ctx.type(1).shape;
    if (a.length === 0 || b.length === 0) {
      ctx.failShape(`MatMul operands must have rank >= 1, got ${formatType(ctx.type(0))} and ${formatType(ctx.type(1))}`);
    }
    const aMatrix = a.length === 1 ? [1, a[0]] : a;
    const bMatrix = b.length === 1 ? [b[0], 1] : b;
    const k1 = aMatrix[aMatrix.length - 1];
    const k2 = bMatrix[bMatrix.length - 2];
    if (!dimsCompatible(k1, k2)) {
      ctx.failShape(
        `inner dimensions ${k1} and ${k2} differ (A ${ctx.inputRef(0)} is ${formatType(ctx.type(0))}, B ${ctx.inputRef(1)} is ${formatType(ctx.type(1))})`,
      );
    }
    const batch = broadcastShapes([aMatrix.slice(0, -2), bMatrix.slice(0, -2)], { node: ctx.label, op: 'MatMul' });
    const shape: Dim[] = [...batch];
    if (a.length !== 1) shape.push(aMatrix[aMatrix.length - 2]);
    if (b.length !== 1) shape.push(bMatrix[bMatrix.length - 1]);
    return [{ dtype, shape }];
  },
  evaluate(ctx) {
    const a = ctx.input(0);
    const b = ctx.input(1);
    const aShape = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
    const bShape = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
    const m = aShape[aShape.length - 2];
    const k = aShape[aShape.length - 1];
    const n = bShape[bShape.length - 1];
    if (bShape[bShape.length - 2] !== k) {
      ctx.failEval(`inner dimensions ${k} and ${bShape[bShape.length - 2]} differ at run time ([${a.shape}] x [${b.shape}])`);
    }
    const aBatch = aShape.slice(0, -2);
    const bBatch = bShape.slice(0, -2);
    const batch = broadcastShapes([aBatch, bBatch], { node: ctx.label, op: 'MatMul' }) as number[];
    const batchCount = shapeSize(batch);
    const aMap = broadcastIndexMap(batch, aBatch);
    const bMap = broadcastIndexMap(batch, bBatch);
    const av = numericValues(a);
    const bv = numericValues(b);
    const out = new Float64Array(batchCount * m * n);
    const row = new Float64Array(n);
    for (let t = 0; t < batchCount; t++) {
      const aBase = aMap[t] * m * k;
      const bBase = bMap[t] * k * n;
      for (let i = 0; i < m; i++) {
        row.fill(0);
        for (let p = 0; p < k; p++) {
          const x = av[aBase + i * k + p];
          const bRow = bBase + p * n;
          for (let j = 0; j < n; j++) row[j] += x * bv[bRow + j];
        }
        out.set(row, (t * m + i) * n);
      }
    }
    const shape = [...batch];
    if (a.shape.length !== 1) shape.push(m);
    if (b.shape.length !== 1) shape.push(n);
    return [fromNumbers(a.dtype, shape, out)];
  },
};
