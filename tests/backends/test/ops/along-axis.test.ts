/**
 * TopK, ArgMax, ArgMin and CumSum on wasm and WebGPU against the reference
 * interpreter, on random inputs beyond the conformance cases: every axis
 * position, symbolic sizes bound two ways, many ties (small integers, also
 * in f32), f32, i32 and i64 data, k of 1, some and all of the axis.
 */
import { GraphBuilder, tensor, type DType, type Dim, type Graph } from '@ladon/ir';
import type { FillSpec } from '@ladon/ir/testing';
import { describe, it } from 'vitest';
import { describeGpu } from '../../src/gpu.js';
import { checkOnWasm } from '../../src/wasm-check.js';
import { checkOnWebGpu } from '../../src/webgpu-check.js';

const SIZES = [{ batch: 2, seq: 6 }, { batch: 3, seq: 9 }];
/** Small integers, so many elements tie. */
const TIES: FillSpec = { low: -2, high: 2, integers: true };

function topK(dtype: DType, shape: Dim[], axis: number, k: number): Graph {
  const g = new GraphBuilder('top_k');
  const x = g.input('x', dtype, shape);
  const count = g.constant(tensor('i64', [1], [BigInt(k)]));
  for (const largest of [1, 0]) {
    const [values, indices] = g.opMulti('TopK', [x, count], { axis, largest }, 2);
    g.output(values!, `values_${largest}`);
    g.output(indices!, `indices_${largest}`);
  }
  return g.build();
}

function argExtremes(dtype: DType, shape: Dim[], axis: number): Graph {
  const g = new GraphBuilder('arg_extremes');
  const x = g.input('x', dtype, shape);
  for (const op of ['ArgMax', 'ArgMin']) {
    g.output(g.op(op, [x], { axis }), `${op}_first`);
    g.output(g.op(op, [x], { axis, keepdims: 0, select_last_index: 1 }), `${op}_last`);
  }
  return g.build();
}

function cumSums(dtype: DType, shape: Dim[], axis: number): Graph {
  const g = new GraphBuilder('cumsums');
  const x = g.input('x', dtype, shape);
  const along = g.constant(tensor('i32', [], [axis]));
  for (const exclusive of [0, 1]) for (const reverse of [0, 1]) g.output(g.op('CumSum', [x, along], { exclusive, reverse }), `sums_${exclusive}${reverse}`);
  return g.build();
}

interface LineCase {
  readonly name: string;
  readonly graph: () => Graph;
  readonly fill?: FillSpec;
}

const CASES: readonly LineCase[] = [
  { name: 'TopK f32 along the last axis, ties', graph: () => topK('f32', ['batch', 'seq', 7], -1, 3), fill: TIES },
  { name: 'TopK f32 along a middle axis, k = the whole axis', graph: () => topK('f32', ['batch', 5, 'seq'], 1, 5) },
  { name: 'TopK i64 along the first axis, k = 1', graph: () => topK('i64', [4, 'seq'], 0, 1), fill: { low: -3, high: 3 } },
  { name: 'TopK i32, ties', graph: () => topK('i32', ['seq', 6], 1, 4), fill: TIES },
  { name: 'ArgMax/ArgMin f32 along the last axis, ties', graph: () => argExtremes('f32', ['batch', 'seq', 5], -1), fill: TIES },
  { name: 'ArgMax/ArgMin f32 along the first axis', graph: () => argExtremes('f32', ['batch', 'seq', 3], 0) },
  { name: 'ArgMax/ArgMin i32 along a middle axis, ties', graph: () => argExtremes('i32', ['batch', 'seq', 4], 1), fill: TIES },
  { name: 'CumSum f32 along the last axis', graph: () => cumSums('f32', ['batch', 'seq', 7], 2) },
  { name: 'CumSum i32 along a middle axis', graph: () => cumSums('i32', ['batch', 'seq', 3], 1), fill: { low: -20, high: 20 } },
  { name: 'CumSum i64 along the first axis', graph: () => cumSums('i64', ['batch', 'seq'], 0), fill: { low: -20, high: 20 } },
];

describe('line ops on wasm', () => {
  it.each(CASES)('$name', async ({ graph, fill }) => {
    await checkOnWasm(graph(), { sizes: SIZES, fills: fill ? { x: fill } : {}, tolerance: { rtol: 1e-5, atol: 1e-5 } });
  });
});

describeGpu('line ops on webgpu', () => {
  it.each(CASES)('$name', async ({ graph, fill }) => {
    await checkOnWebGpu(graph(), { sizes: SIZES, fills: fill ? { x: fill } : {} });
  });
});
