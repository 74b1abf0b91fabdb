/**
 * Matrix-product plans: MatMul, FusedMatMul, Gemm and Linear all become
 * `Y[.., M, N] = alpha · op(A)[.., M, K] · op(B)[.., K, N] (+ beta · C)`.
 * Batch dims broadcast NumPy-style: each operand has an element stride per
 * output batch axis, 0 where it is broadcast. Rank-1 operands are promoted
 * as ONNX says. Legend: op(X) is X or Xᵀ (transA / transB).
 */
import { mulDims, productOfDims, type Dim, type Node } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';
import { broadcastStrides } from './strides.js';

/** The added operand C (Gemm's C, Linear's bias) read over [M, N]. */
export interface MatMulAddend {
  readonly value: string;
  readonly beta: number;
  /** Element strides along M and N (0 where C is broadcast). */
  readonly strides: readonly [Dim, Dim];
  /** C is one row of N values (every other dim 1): a bias. */
  readonly row: boolean;
}

/** The plan of one matrix product. */
export interface MatMulPlan {
  readonly kind: 'matmul';
  readonly node: Node;
  readonly a: string;
  readonly b: string;
  readonly y: string;
  readonly m: Dim;
  readonly n: Dim;
  readonly k: Dim;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly alpha: number;
  /** A's and B's trailing [rows, cols] as stored. */
  readonly aMatrix: readonly [Dim, Dim];
  readonly bMatrix: readonly [Dim, Dim];
  /** The output's batch dims and each operand's element stride along them (0 = broadcast). */
  readonly batch: readonly Dim[];
  readonly aBatchStrides: readonly Dim[];
  readonly bBatchStrides: readonly Dim[];
  readonly c?: MatMulAddend;
}

/**
 * Element strides of an operand with batch dims `own` (right-aligned
 * against the output's `batch`) whose matrices hold `matrixSize` elements:
 * 0 along axes it lacks or has as 1 where the batch does not.
 */
function batchStrides(batch: readonly Dim[], own: readonly Dim[], matrixSize: Dim): Dim[] {
  const offset = batch.length - own.length;
  const strides: Dim[] = new Array<Dim>(batch.length).fill(0);
  let stride = matrixSize;
  for (let axis = batch.length - 1; axis >= 0; axis--) {
    const dim = axis >= offset ? own[axis - offset] : 1;
    strides[axis] = dim === 1 && batch[axis] !== 1 ? 0 : stride;
    if (axis >= offset) stride = mulDims(stride, dim);
  }
  return strides;
}

function matrixOf(shape: readonly Dim[]): readonly [Dim, Dim] {
  return [shape[shape.length - 2], shape[shape.length - 1]];
}

/** MatMul and FusedMatMul (transA, transB, alpha): batched and broadcasting. */
export function planMatMul(ctx: PlanContext): MatMulPlan {
  const [a, b] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const fused = ctx.node.op === 'FusedMatMul';
  const transA = fused && ctx.infer.int('transA') === 1;
  const transB = fused && ctx.infer.int('transB') === 1;
  const aShape = ctx.shape(a).length === 1 ? [1, ...ctx.shape(a)] : ctx.shape(a);
  const bShape = ctx.shape(b).length === 1 ? [...ctx.shape(b), 1] : ctx.shape(b);
  const [aMatrix, bMatrix] = [matrixOf(aShape), matrixOf(bShape)];
  const [m, k] = transA ? [aMatrix[1], aMatrix[0]] : aMatrix;
  const n = transB ? bMatrix[0] : bMatrix[1];
  const batch = ctx.shape(y).slice(0, Math.max(aShape.length, bShape.length) - 2);
  return {
    kind: 'matmul', node: ctx.node, a, b, y, m, n, k, transA, transB, alpha: fused ? ctx.infer.float('alpha') : 1, aMatrix, bMatrix, batch,
    aBatchStrides: batchStrides(batch, aShape.slice(0, -2), mulDims(m, k)),
    bBatchStrides: batchStrides(batch, bShape.slice(0, -2), mulDims(k, n)),
  };
}

function addend(ctx: PlanContext, value: string, beta: number, m: Dim, n: Dim): MatMulAddend {
  const shape = ctx.shape(value);
  const [strideM, strideN] = broadcastStrides(shape, [m, n]);
  const row = shape.length >= 1 && shape[shape.length - 1] === n && shape.slice(0, -1).every((dim) => dim === 1);
  return { value, beta, strides: [strideM, strideN], row };
}

/** Gemm: alpha · op(A) · op(B) + beta · C, C broadcast to [M, N]. */
export function planGemm(ctx: PlanContext): MatMulPlan {
  const [a, b, c = ''] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const transA = ctx.infer.int('transA') === 1;
  const transB = ctx.infer.int('transB') === 1;
  const [aMatrix, bMatrix] = [matrixOf(ctx.shape(a)), matrixOf(ctx.shape(b))];
  const [m, n] = ctx.shape(y);
  const k = transA ? aMatrix[0] : aMatrix[1];
  return {
    kind: 'matmul', node: ctx.node, a, b, y, m, n, k, transA, transB, alpha: ctx.infer.float('alpha'), aMatrix, bMatrix,
    batch: [], aBatchStrides: [], bBatchStrides: [],
    ...(c ? { c: addend(ctx, c, ctx.infer.float('beta'), m, n) } : {}),
  };
}

/** Linear: X [.., K] · W ([K, N], or [N, K] with transB) + bias [N]; the rows are X's leading dims. */
export function planLinear(ctx: PlanContext): MatMulPlan {
  const [x, w, bias = ''] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const transB = ctx.infer.int('transB') === 1;
  const xShape = ctx.shape(x);
  const m = productOfDims(xShape.slice(0, -1));
  const k = xShape[xShape.length - 1];
  const bMatrix = matrixOf(ctx.shape(w));
  const n = transB ? bMatrix[0] : bMatrix[1];
  return {
    kind: 'matmul', node: ctx.node, a: x, b: w, y, m, n, k, transA: false, transB, alpha: 1, aMatrix: [m, k], bMatrix,
    batch: [], aBatchStrides: [], bBatchStrides: [],
    ...(bias ? { c: addend(ctx, bias, 1, m, n) } : {}),
  };
}
