/**
 * Every Reduce* op on wasm and WebGPU against the reference interpreter, on
 * random inputs beyond the conformance cases: reduced axes that are the
 * trailing ones (the row kernels), a middle block (the column kernels),
 * scattered or all axes (the general kernels), symbolic sizes bound two
 * ways, integer and bool dtypes, empty sets and inputs large enough to
 * overflow a naive log-sum-exp.
 */
import { GraphBuilder, type DType, type Dim, type Graph } from '@ladon/ir';
import type { FillSpec } from '@ladon/ir/testing';
import { describe, it } from 'vitest';
import { describeGpu } from '../../src/gpu.js';
import { checkOnWasm } from '../../src/wasm-check.js';
import { checkOnWebGpu } from '../../src/webgpu-check.js';

const FLOAT_OPS = ['Sum', 'Mean', 'Max', 'Min', 'Prod', 'SumSquare', 'L1', 'L2', 'LogSum', 'LogSumExp'].map((kind) => `Reduce${kind}`);
const SIZES = [{ batch: 2, seq: 5 }, { batch: 1, seq: 9 }];

/** One graph reducing `x` with every op in `ops` over `axes` (output `<op>`). */
function reductions(name: string, ops: readonly string[], dtype: DType, shape: Dim[], axes: number[], keepdims = 1): Graph {
  const g = new GraphBuilder(name);
  const x = g.input('x', dtype, shape);
  for (const op of ops) g.output(g.op(op, axes.length > 0 ? [x, g.ints(axes)] : [x], { keepdims }), op);
  return g.build();
}

interface ReductionCase {
  readonly name: string;
  readonly graph: () => Graph;
  readonly fill?: FillSpec;
  readonly sizes?: readonly Readonly<Record<string, number>>[];
}

/** Products stay near 1 and logs see positive sums when inputs are in [0.5, 1.5). */
const POSITIVE: FillSpec = { low: 0.5, high: 1.5 };

const CASES: readonly ReductionCase[] = [
  { name: 'f32, trailing axis (rows)', graph: () => reductions('rows', FLOAT_OPS, 'f32', ['batch', 'seq', 7], [-1]), fill: POSITIVE },
  { name: 'f32, middle axis (columns), keepdims 0', graph: () => reductions('columns', FLOAT_OPS, 'f32', ['batch', 'seq', 6], [1], 0), fill: POSITIVE },
  { name: 'f32, scattered axes', graph: () => reductions('scattered', FLOAT_OPS, 'f32', ['batch', 3, 'seq', 2], [0, 2]), fill: POSITIVE },
  { name: 'f32, all axes', graph: () => reductions('all', FLOAT_OPS, 'f32', ['batch', 'seq', 3], [], 0), fill: POSITIVE },
  { name: 'f32 with negatives (max, min, sums, norms)', graph: () => reductions('signed', ['ReduceMax', 'ReduceMin', 'ReduceSum', 'ReduceL1', 'ReduceL2', 'ReduceMean'], 'f32', ['batch', 'seq', 5], [1, 2]) },
  { name: 'log-sum-exp of large inputs', graph: () => reductions('large', ['ReduceLogSumExp'], 'f32', ['batch', 'seq', 4], [-1]), fill: { low: 200, high: 300 } },
  { name: 'empty sets', graph: () => reductions('empty', FLOAT_OPS, 'f32', [2, 0, 'seq'], [1]), fill: POSITIVE },
  { name: 'i32', graph: () => reductions('i32', ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceSumSquare', 'ReduceL2'], 'i32', ['batch', 'seq', 3], [1]), fill: { low: -3, high: 3 } },
  { name: 'i64', graph: () => reductions('i64', ['ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceSumSquare'], 'i64', ['batch', 3, 'seq'], [0, 2]), fill: { low: -50, high: 50 } },
  { name: 'bool', graph: () => reductions('bool', ['ReduceMax', 'ReduceMin'], 'bool', ['batch', 'seq', 3], [-1]), fill: { trueChance: 0.7 } },
  { name: 'bool, empty sets', graph: () => reductions('bool_empty', ['ReduceMax', 'ReduceMin'], 'bool', ['seq', 0], [1]) },
];

describe('Reduce* on wasm', () => {
  it.each(CASES)('$name', async ({ graph, fill, sizes }) => {
    await checkOnWasm(graph(), { sizes: sizes ?? SIZES, fills: fill ? { x: fill } : {}, tolerance: { rtol: 1e-5, atol: 1e-5 } });
  });
});

describeGpu('Reduce* on webgpu', () => {
  it.each(CASES)('$name', async ({ graph, fill, sizes }) => {
    await checkOnWebGpu(graph(), { sizes: sizes ?? SIZES, fills: fill ? { x: fill } : {} });
  });
});
