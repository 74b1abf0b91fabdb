/**
 * MatMul, FusedMatMul, Gemm and Linear on the one tiled matmul kernel: each
 * lowering only works out M, N, K, the strides of A, B and C, the batch
 * axes, alpha and beta. Legend: op(A) is [.., M, K], op(B) is [.., K, N],
 * Y is [.., M, N].
 */
import { broadcastShapes, mulDims, nodeLocation, type Dim, type Node } from '@ladon/ir';
import { deviceElement, elementCount, padLeft } from '../elements.js';
import { MATMUL_BATCH_RANK, MATMUL_TILE, matmulKernel } from '../kernels/matmul-kernel.js';
import type { WgslLowering } from '../lowering.js';
import { broadcastStrides } from './copy-ops.js';

/** One matmul call, as the kernel sees it. */
interface MatMulCall {
  readonly a: string;
  readonly b: string;
  readonly c?: { readonly value: string; readonly strideM: Dim; readonly strideN: Dim; readonly beta: number };
  readonly m: Dim;
  readonly n: Dim;
  readonly k: Dim;
  /** A's and B's strides along m/k and k/n. */
  readonly aStrides: readonly [Dim, Dim];
  readonly bStrides: readonly [Dim, Dim];
  /** Output batch dims and each operand's strides over them (all MATMUL_BATCH_RANK long). */
  readonly batch: readonly Dim[];
  readonly aBatchStrides: readonly Dim[];
  readonly bBatchStrides: readonly Dim[];
  readonly alpha: number;
}

const NO_BATCH = { batch: [1, 1, 1, 1], aBatchStrides: [0, 0, 0, 0], bBatchStrides: [0, 0, 0, 0] };

function emitMatMul(lowering: WgslLowering, node: Node, call: MatMulCall): void {
  const dtype = lowering.graph.typeOf(node.outputs[0]).dtype;
  const kernel = matmulKernel({ element: deviceElement(dtype), hasC: call.c !== undefined });
  const buffers: Record<string, number> = { a: lowering.buffer(call.a), b: lowering.buffer(call.b), y: lowering.buffer(node.outputs[0]) };
  const uniforms: Record<string, Dim> = { m: call.m, n: call.n, k: call.k, a_stride_m: call.aStrides[0], a_stride_k: call.aStrides[1] };
  Object.assign(uniforms, { b_stride_k: call.bStrides[0], b_stride_n: call.bStrides[1], alpha: call.alpha });
  for (let axis = 0; axis < MATMUL_BATCH_RANK; axis++) {
    uniforms[`batch_dim${axis}`] = call.batch[axis];
    uniforms[`a_batch_stride${axis}`] = call.aBatchStrides[axis];
    uniforms[`b_batch_stride${axis}`] = call.bBatchStrides[axis];
  }
  if (call.c) {
    buffers.c = lowering.buffer(call.c.value);
    Object.assign(uniforms, { c_stride_m: call.c.strideM, c_stride_n: call.c.strideN, beta: call.c.beta });
  }
  const launch = { items: [call.n, call.m, elementCount(call.batch)] as const, perWorkgroup: [MATMUL_TILE, MATMUL_TILE, 1] as const };
  lowering.call(kernel, node, { buffers, uniforms }, launch);
}

/** Strides of a [.., rows, cols] operand along (first, second) of op(X), op = optional transpose. */
function matrixStrides(rows: Dim, cols: Dim, transposed: boolean): { size: readonly [Dim, Dim]; strides: readonly [Dim, Dim] } {
  return transposed ? { size: [cols, rows], strides: [1, cols] } : { size: [rows, cols], strides: [cols, 1] };
}

/** MatMul and FusedMatMul: batched, broadcasting, 1-D operands promoted as ONNX says. */
export function lowerMatMul(lowering: WgslLowering, node: Node): void {
  const attrs = node.op === 'FusedMatMul' ? lowering.attrs(node) : undefined;
  const transA = attrs?.int('transA') === 1;
  const transB = attrs?.int('transB') === 1;
  const aShape = [...lowering.graph.typeOf(node.inputs[0]).shape];
  const bShape = [...lowering.graph.typeOf(node.inputs[1]).shape];
  if (aShape.length === 1) aShape.unshift(1);
  if (bShape.length === 1) bShape.push(1);
  const a = matrixStrides(aShape[aShape.length - 2], aShape[aShape.length - 1], transA);
  const b = matrixStrides(bShape[bShape.length - 2], bShape[bShape.length - 1], transB);
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes([aBatch, bBatch], nodeLocation(node));
  const what = `${node.op} ${node.outputs[0]} batch`;
  const batchStrides = (shape: readonly Dim[], matrix: Dim): Dim[] =>
    padLeft(broadcastStrides(shape, batch).map((stride) => (stride === 0 ? 0 : mulDims(stride, matrix))), MATMUL_BATCH_RANK, 0, what);
  emitMatMul(lowering, node, {
    a: node.inputs[0],
    b: node.inputs[1],
    m: a.size[0],
    k: a.size[1],
    n: b.size[1],
    aStrides: a.strides,
    bStrides: b.strides,
    batch: padLeft(batch, MATMUL_BATCH_RANK, 1, what),
    aBatchStrides: batchStrides(aBatch, elementCount(aShape.slice(-2))),
    bBatchStrides: batchStrides(bBatch, elementCount(bShape.slice(-2))),
    alpha: attrs ? attrs.float('alpha') : 1,
  });
}

/** Linear: X [.., K] · W ([K, N], or [N, K] with transB) + bias [N], rows = product of X's leading dims. */
export function lowerLinear(lowering: WgslLowering, node: Node): void {
  const transB = lowering.attrs(node).int('transB') === 1;
  const x = lowering.graph.typeOf(node.inputs[0]).shape;
  const w = lowering.graph.typeOf(node.inputs[1]).shape;
  const k = x[x.length - 1];
  const b = matrixStrides(w[0], w[1], transB);
  const bias = node.inputs[2];
  emitMatMul(lowering, node, {
    a: node.inputs[0],
    b: node.inputs[1],
    ...(bias ? { c: { value: bias, strideM: 0, strideN: 1, beta: 1 } } : {}),
    m: elementCount(x.slice(0, -1)),
    k,
    n: b.size[1],
    aStrides: [k, 1],
    bStrides: b.strides,
    ...NO_BATCH,
    alpha: 1,
  });
}

/** Gemm: alpha · op(A) · op(B) + beta · C, C broadcast to [M, N]. */
export function lowerGemm(lowering: WgslLowering, node: Node): void {
  const attrs = lowering.attrs(node);
  const aShape = lowering.graph.typeOf(node.inputs[0]).shape;
  const bShape = lowering.graph.typeOf(node.inputs[1]).shape;
  const a = matrixStrides(aShape[0], aShape[1], attrs.int('transA') === 1);
  const b = matrixStrides(bShape[0], bShape[1], attrs.int('transB') === 1);
  const output = lowering.graph.typeOf(node.outputs[0]).shape;
  const cValue = node.inputs[2];
  const c = cValue ? broadcastStrides(lowering.graph.typeOf(cValue).shape, output) : undefined;
  emitMatMul(lowering, node, {
    a: node.inputs[0],
    b: node.inputs[1],
    ...(cValue && c ? { c: { value: cValue, strideM: c[0], strideN: c[1], beta: attrs.float('beta') } } : {}),
    m: a.size[0],
    k: a.size[1],
    n: b.size[1],
    aStrides: a.strides,
    bStrides: b.strides,
    ...NO_BATCH,
    alpha: attrs.float('alpha'),
  });
}
