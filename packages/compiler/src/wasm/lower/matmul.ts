/**
 * Lowering MatMul, FusedMatMul and Gemm (and Linear with a computed weight)
 * to the general GEMM kernel. Batch dims broadcast NumPy-style: each batch
 * axis gets A's and B's element strides, 0 where the operand is broadcast.
 * When B has no batch of its own and A is not transposed, A's batch folds
 * into the rows (one GEMM of prod(batch)·M rows, B packed once).
 *
 * Legend: op(A) is [..., M, K], op(B) is [..., K, N], Y is [..., M, N].
 */
import { addDims, mulDims, type Dim, type StepArg } from '@ladon/ir';
import { aBlockFloats } from '../kernels/gemm.js';
import { generalGemmKernel } from '../kernels/gemm-general.js';
import { addStep, bufferArg, dimArg, type LoweringContext } from '../lowering-context.js';
import { expectDType, productOf, shapeOf, unsupported } from './common.js';

/** One general GEMM call: operands, sizes, flags and the batch layout. */
export interface GeneralGemm {
  readonly a: string;
  readonly b: string;
  /** A bias of N values ('' for none). */
  readonly bias: string;
  readonly y: string;
  readonly m: Dim;
  readonly n: Dim;
  readonly k: Dim;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly alpha: number;
  /** The output's batch dims and each operand's element stride along them (0 = broadcast). */
  readonly batch: readonly Dim[];
  readonly aBatchStrides: readonly Dim[];
  readonly bBatchStrides: readonly Dim[];
}

/** Adds the step of one general GEMM. */
export function lowerGeneralGemm(ctx: LoweringContext, gemm: GeneralGemm): void {
  const folded = foldBatchIntoRows(gemm);
  const pack = ctx.program.scratch('gemm_pack', 'f32', [mulDims(addDims(folded.k, 1), addDims(folded.n, 7))]);
  const transposedA = ctx.program.scratch('gemm_transposed_a', 'f32', [folded.transA ? mulDims(folded.m, folded.k) : 1]);
  const aBlock = ctx.program.scratch('gemm_a_block', 'f32', [aBlockFloats(typeof folded.k === 'number' ? folded.k : undefined)]);
  const kernel = ctx.kernels.request(
    generalGemmKernel({ batchRank: folded.batch.length, transA: folded.transA, transB: folded.transB, alpha: folded.alpha, hasBias: Boolean(folded.bias) }),
  );
  const args: StepArg[] = [
    bufferArg(ctx, folded.a),
    bufferArg(ctx, folded.b),
    folded.bias ? bufferArg(ctx, folded.bias) : { int: 0 },
    bufferArg(ctx, folded.y),
    { buffer: pack },
    { buffer: transposedA },
    { buffer: aBlock },
    ...[folded.m, folded.n, folded.k, ...folded.batch, ...folded.aBatchStrides, ...folded.bBatchStrides].map(dimArg),
  ];
  addStep(ctx, kernel, args);
}

/** A's batch becomes rows when B is shared by every batch and A is not broadcast or transposed. */
function foldBatchIntoRows(gemm: GeneralGemm): GeneralGemm {
  if (gemm.batch.length === 0 || gemm.transA) return gemm;
  const bShared = gemm.bBatchStrides.every((stride) => stride === 0);
  const aWhole = gemm.aBatchStrides.every((stride, axis) => stride !== 0 || gemm.batch[axis] === 1);
  if (!bShared || !aWhole) return gemm;
  return { ...gemm, m: mulDims(productOf(gemm.batch), gemm.m), batch: [], aBatchStrides: [], bBatchStrides: [] };
}

/**
 * The element strides of an operand with batch dims `own` (right-aligned
 * against the output's `batch`), whose matrices hold `matrixSize` elements.
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

interface MatrixOperands {
  readonly transA: boolean;
  readonly transB: boolean;
  readonly alpha: number;
}

/** Lowers a batched product `alpha · op(A) · op(B)` with NumPy batch broadcasting. */
function lowerBatchedProduct(ctx: LoweringContext, flags: MatrixOperands): void {
  const [a, b] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  for (const value of [a, b]) expectDType(ctx, value, ['f32']);
  const aShape = shapeOf(ctx, a).length === 1 ? [1, ...shapeOf(ctx, a)] : shapeOf(ctx, a);
  const bShape = shapeOf(ctx, b).length === 1 ? [...shapeOf(ctx, b), 1] : shapeOf(ctx, b);
  const [aRows, aColumns] = aShape.slice(-2);
  const [bRows, bColumns] = bShape.slice(-2);
  const [m, k] = flags.transA ? [aColumns, aRows] : [aRows, aColumns];
  const n = flags.transB ? bRows : bColumns;
  const yShape = shapeOf(ctx, y);
  const batchRank = Math.max(aShape.length, bShape.length) - 2;
  const batch = yShape.slice(0, batchRank);
  if (batch.length > 4) throw unsupported(ctx, `at most 4 batch dims are supported, got ${batch.length}`);
  lowerGeneralGemm(ctx, {
    a, b, bias: '', y, m, n, k, ...flags, batch,
    aBatchStrides: batchStrides(batch, aShape.slice(0, -2), mulDims(m, k)),
    bBatchStrides: batchStrides(batch, bShape.slice(0, -2), mulDims(k, n)),
  });
}

/** Lowers MatMul (rank-1 operands promoted as NumPy does). */
export function lowerMatMul(ctx: LoweringContext): void {
  lowerBatchedProduct(ctx, { transA: false, transB: false, alpha: 1 });
}

/** Lowers FusedMatMul (transA, transB, alpha). */
export function lowerFusedMatMul(ctx: LoweringContext): void {
  const attrs = ctx.node.attrs;
  lowerBatchedProduct(ctx, { transA: attrs.transA === 1, transB: attrs.transB === 1, alpha: (attrs.alpha as number | undefined) ?? 1 });
}

/** Lowers a Gemm the Linear pass left alone: C must be a bias of N values (or absent), with beta = 1. */
export function lowerGemm(ctx: LoweringContext): void {
  const [a, b, c = ''] = ctx.node.inputs;
  const y = ctx.node.outputs[0];
  const attrs = ctx.node.attrs;
  for (const value of [a, b, c]) if (value) expectDType(ctx, value, ['f32']);
  const transA = attrs.transA === 1;
  const transB = attrs.transB === 1;
  const beta = (attrs.beta as number | undefined) ?? 1;
  const [m, n] = shapeOf(ctx, y);
  const k = transA ? shapeOf(ctx, a)[0] : shapeOf(ctx, a)[1];
  if (c) {
    const cShape = shapeOf(ctx, c);
    const isRow = cShape.length >= 1 && cShape[cShape.length - 1] === n && cShape.slice(0, -1).every((dim) => dim === 1);
    if (!isRow || beta !== 1) throw unsupported(ctx, `C must be a row of N values with beta = 1 (got shape [${cShape.join(', ')}], beta ${beta})`, c);
  }
  lowerGeneralGemm(ctx, {
    a, b, bias: c, y, m, n, k, transA, transB, alpha: (attrs.alpha as number | undefined) ?? 1,
    batch: [], aBatchStrides: [], bBatchStrides: [],
  });
}
