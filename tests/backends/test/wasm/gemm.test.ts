import { GraphBuilder, type Dim } from '@ladon/ir';
import { describe, it } from 'vitest';
import { checkOnWasm } from '../../src/wasm-check.js';
import { randomTensor, seededRandom } from '@ladon/ir/testing';

/** GEMM sums K products in f32 where the reference sums in f64: allow a little relative error. */
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };

describe('wasm Linear with a constant weight (packed at compile time)', () => {
  const cases: [number, number, boolean, boolean][] = [
    [5, 13, false, true],
    [5, 13, true, true],
    [64, 192, false, true],
    [300, 24, true, false],
    [1, 1, false, true],
    [517, 9, false, true],
    [8, 16, true, false],
  ];
  it.each(cases)('K=%s N=%s transB=%s bias=%s', async (k, n, transB, withBias) => {
    const next = seededRandom(k * 31 + n);
    const g = new GraphBuilder('linear');
    const x = g.input('x', 'f32', ['batch', 'seq', k]);
    const w = g.constant(randomTensor(next, 'f32', transB ? [n, k] : [k, n], { low: -1, high: 1 }));
    const b = withBias ? g.constant(randomTensor(next, 'f32', [n])) : undefined;
    g.output(g.op('Linear', [x, w, b], transB ? { transB: 1 } : {}), 'y');
    // M = batch·seq: 7 rows (tails of the 4-row tiles) and 3·13 = 39, and 1·130 (several row blocks)
    await checkOnWasm(g.build(), { sizes: [{ batch: 1, seq: 7 }, { batch: 3, seq: 13 }, { batch: 1, seq: 130 }], tolerance: TOLERANCE });
  });
});

describe('wasm Linear with a computed weight and Gemm', () => {
  it('Linear(x, W input, bias input), transB', async () => {
    const g = new GraphBuilder('linear_dynamic');
    const x = g.input('x', 'f32', ['seq', 5]);
    g.output(g.op('Linear', [x, g.input('w', 'f32', [13, 5]), g.input('b', 'f32', [13])], { transB: 1 }), 'y');
    await checkOnWasm(g.build(), { sizes: [{ seq: 7 }, { seq: 1 }], tolerance: TOLERANCE });
  });
  it.each([[0, 0], [1, 0], [0, 1], [1, 1]])('Gemm transA=%s transB=%s, alpha 0.5, row bias', async (transA, transB) => {
    const [m, k, n] = [7, 300, 13];
    const g = new GraphBuilder('gemm');
    const a = g.input('a', 'f32', transA ? [k, m] : [m, k]);
    const b = g.input('b', 'f32', transB ? [n, k] : [k, n]);
    g.output(g.op('Gemm', [a, b, g.input('c', 'f32', [1, n])], { transA, transB, alpha: 0.5 }), 'y');
    await checkOnWasm(g.build(), { tolerance: TOLERANCE });
  });
  const addends: [string, Dim[], number][] = [
    ['a full matrix', ['m', 6], 1],
    ['a column', ['m', 1], 0.25],
    ['a row scaled by beta', [6], -2],
    ['a scalar', [], 0.5],
    ['one element', [1], 1],
  ];
  it.each(addends)('Gemm with C %s', async (_name, shape, beta) => {
    const g = new GraphBuilder('gemm_c');
    const a = g.input('a', 'f32', ['m', 9]);
    g.output(g.op('Gemm', [a, g.input('b', 'f32', [6, 9]), g.input('c', 'f32', shape)], { transB: 1, beta, alpha: 1.5 }), 'y');
    await checkOnWasm(g.build(), { sizes: [{ m: 5 }, { m: 1 }], tolerance: TOLERANCE });
  });
});

describe('wasm MatMul and FusedMatMul', () => {
  const cases: [string, Dim[], Dim[]][] = [
    ['2-D odd sizes', ['m', 5], [5, 13]],
    ['batched, same batch', ['batch', 'm', 9], ['batch', 9, 17]],
    ['batch broadcast of B (folds into rows)', ['batch', 'm', 6], [6, 10]],
    ['batch broadcast of A', [7, 6], ['batch', 6, 3]],
    ['two-way batch broadcast', ['batch', 1, 'm', 4], [1, 3, 4, 'm']],
    ['vector times matrix', [9], [9, 'm']],
    ['matrix times vector', ['batch', 'm', 9], [9]],
    ['large K (two K blocks) and N tail', ['m', 600], [600, 21]],
  ];
  it.each(cases)('MatMul %s', async (_name, a, b) => {
    const g = new GraphBuilder('matmul');
    g.output(g.op('MatMul', [g.input('a', 'f32', a), g.input('b', 'f32', b)]), 'y');
    await checkOnWasm(g.build(), { sizes: [{ batch: 2, m: 7 }, { batch: 3, m: 4 }], tolerance: TOLERANCE });
  });
  it.each([[0, 1, 0.25], [1, 0, 1], [1, 1, -2]])('FusedMatMul transA=%s transB=%s alpha=%s', async (transA, transB, alpha) => {
    const [m, k, n] = ['m', 11, 9];
    const g = new GraphBuilder('fused_matmul');
    const a = g.input('a', 'f32', transA ? ['batch', k, m] : ['batch', m, k]);
    const b = g.input('b', 'f32', transB ? ['batch', n, k] : ['batch', k, n]);
    g.output(g.op('FusedMatMul', [a, b], { transA, transB, alpha }), 'y');
    await checkOnWasm(g.build(), { sizes: [{ batch: 2, m: 7 }, { batch: 1, m: 13 }], tolerance: TOLERANCE });
  });
});
