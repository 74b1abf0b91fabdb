/**
 * The general GEMM kernel (MatMul, FusedMatMul, Gemm, Linear with a
 * computed weight): `Y[t] = alpha · op(A[t]) · op(B[t]) (+ bias)` over
 * broadcast batch dims t, with runtime M, N, K. Per batch it packs B into
 * the panel layout in a scratch buffer (only when B's batch offset changes,
 * so a broadcast B is packed once), transposes A into a second scratch when
 * `transA`, and runs the macro-kernel of gemm.ts.
 *
 * Parameters: a, b, bias, y, pack (scratch: padded bias, then panels),
 * transposedA (scratch, transA only), aBlock (scratch for one packed block
 * of A), M, N, K, then per batch axis its size, A's and B's element strides
 * (0 where broadcast).
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { numberTag } from '@ladon/ir';
import { gemmMacro } from './gemm.js';
import { packAtRuntime } from './gemm-pack.js';
import { PANEL_WIDTH } from './gemm-tile.js';

/** What the general GEMM kernel bakes in. */
export interface GeneralGemmConfig {
  readonly batchRank: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly alpha: number;
  readonly hasBias: boolean;
}

/** Parameter names of the general GEMM kernel for a batch rank. */
export function generalGemmParams(batchRank: number): string[] {
  const axes = Array.from({ length: batchRank }, (_, axis) => axis);
  return ['a', 'b', 'bias', 'y', 'pack', 'transposedA', 'aBlock', 'M', 'N', 'K', ...axes.map((axis) => `batch${axis}`), ...axes.map((axis) => `aStride${axis}`), ...axes.map((axis) => `bStride${axis}`)];
}

/** The general GEMM kernel. */
export function generalGemmKernel(config: GeneralGemmConfig): KernelSpec {
  const flags = `${config.transA ? 'tA' : ''}${config.transB ? 'tB' : ''}${config.hasBias ? '_bias' : ''}`;
  const alpha = config.alpha === 1 ? '' : `_alpha${numberTag(config.alpha)}`;
  return {
    name: `gemm_general_b${config.batchRank}${flags ? `_${flags}` : ''}${alpha}`,
    params: generalGemmParams(config.batchRank),
    build: (f) => buildGeneralGemm(f, config),
  };
}

function buildGeneralGemm(f: FunctionBuilder, config: GeneralGemmConfig): Expr[] {
  const i = f.i32;
  const panels = f.local('panels', 'i32');
  const lastB = f.local('lastB', 'i32');
  const aBatch = f.local('aBatch', 'i32');
  const bBatch = f.local('bBatch', 'i32');
  const yBatch = f.local('yBatch', 'i32');
  const aMatrix = f.local('aMatrix', 'i32');
  const bMatrix = f.local('bMatrix', 'i32');
  const yMatrix = f.local('yMatrix', 'i32');
  const paddedN = i.and(i.add(f.get('N'), i.const(PANEL_WIDTH - 1)), i.const(-PANEL_WIDTH));
  const perBatch: Expr[] = [
    bMatrix.set(i.add(f.get('b'), i.shl(bBatch.get(), 2))),
    f.if(i.ne(bBatch.get(), lastB.get()), [
      ...packAtRuntime(f, { source: bMatrix, destination: panels, k: f.v('K'), n: f.v('N'), transposed: config.transB, scale: config.alpha }),
      lastB.set(bBatch.get()),
    ]),
    aMatrix.set(i.add(f.get('a'), i.shl(aBatch.get(), 2))),
    ...(config.transA ? [...transposeA(f, aMatrix), aMatrix.set(f.get('transposedA'))] : []),
    yMatrix.set(i.add(f.get('y'), i.shl(yBatch.get(), 2))),
    ...gemmMacro(f, { k: f.v('K'), n: f.v('N'), hasBias: config.hasBias, packA: true }, { a: aMatrix, packed: panels, bias: f.v('pack'), y: yMatrix, rows: f.v('M'), packA: f.v('aBlock') }),
  ];
  return [
    ...(config.hasBias ? padBias(f) : []),
    panels.set(config.hasBias ? i.add(f.get('pack'), i.shl(paddedN, 2)) : f.get('pack')),
    lastB.set(i.const(-1)),
    ...batchLoops(f, config.batchRank, { aBatch, bBatch, yBatch }, perBatch),
  ];
}

/** Copies the bias to the start of the pack scratch, zero-padded to a multiple of 8 floats. */
function padBias(f: FunctionBuilder): Expr[] {
  const i = f.i32;
  const bytes = i.shl(f.get('N'), 2);
  return [
    f.memory.fill(i.add(f.get('pack'), i.shl(f.get('N'), 2)), i.const(0), i.const(PANEL_WIDTH * 4)),
    f.memory.copy(f.get('pack'), f.get('bias'), bytes),
  ];
}

/** Writes Aᵀ of one batch ([K, M] in memory) as row-major [M, K] into transposedA. */
function transposeA(f: FunctionBuilder, source: Local): Expr[] {
  const i = f.i32;
  const m = f.local('transRow', 'i32');
  const k = f.local('transK', 'i32');
  const target = i.add(f.get('transposedA'), i.shl(i.add(i.mul(m.get(), f.get('K')), k.get()), 2));
  const from = i.add(source.get(), i.shl(i.add(i.mul(k.get(), f.get('M')), m.get()), 2));
  return [f.for(m, i.const(0), f.get('M'), 1, [f.for(k, i.const(0), f.get('K'), 1, [f.f32.store(target, f.f32.load(from))])])];
}

interface BatchOffsets {
  readonly aBatch: Local;
  readonly bBatch: Local;
  readonly yBatch: Local;
}

/** Nested loops over the batch axes; `body` sees A's, B's and Y's element offsets of the batch. */
function batchLoops(f: FunctionBuilder, rank: number, offsets: BatchOffsets, body: Expr[]): Expr[] {
  const i = f.i32;
  const start = [offsets.aBatch.set(i.const(0)), offsets.bBatch.set(i.const(0)), offsets.yBatch.set(i.const(0))];
  if (rank === 0) return [...start, ...body];
  const indices = Array.from({ length: rank }, (_, axis) => f.local(`batchIndex${axis}`, 'i32'));
  const matrixSize = i.mul(f.get('M'), f.get('N'));
  let loop: Expr[] = [
    ...body,
    offsets.yBatch.set(i.add(offsets.yBatch.get(), matrixSize)),
  ];
  for (let axis = rank - 1; axis >= 0; axis--) {
    const step = [
      offsets.aBatch.set(i.add(offsets.aBatch.get(), f.get(`aStride${axis}`))),
      offsets.bBatch.set(i.add(offsets.bBatch.get(), f.get(`bStride${axis}`))),
    ];
    // after the axis' loop, undo its advance so the outer axis steps from the same base
    const rewind = [
      offsets.aBatch.set(i.sub(offsets.aBatch.get(), i.mul(f.get(`aStride${axis}`), f.get(`batch${axis}`)))),
      offsets.bBatch.set(i.sub(offsets.bBatch.get(), i.mul(f.get(`bStride${axis}`), f.get(`batch${axis}`)))),
    ];
    loop = [f.for(indices[axis], i.const(0), f.get(`batch${axis}`), 1, [...loop, ...step]), ...rewind];
  }
  return [...start, ...loop];
}
