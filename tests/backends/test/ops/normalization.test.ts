/**
 * Softmax, LogSoftmax, LayerNormalization and RMSNormalization on wasm and
 * WebGPU against the reference interpreter, on random inputs beyond the
 * conformance cases: every axis position (rows, columns), symbolic sizes
 * bound two ways, large inputs, Scale and B covering a row, one value, or
 * a trailing part of a row repeated, and LayerNorm's Mean / InvStdDev.
 */
import { GraphBuilder, type Dim, type Graph } from '@ladon/ir';
import { randomTensor, seededRandom, type FillSpec } from '@ladon/ir/testing';
import { describe, it } from 'vitest';
import { describeGpu } from '../../src/gpu.js';
import { checkOnWasm } from '../../src/wasm-check.js';
import { checkOnWebGpu } from '../../src/webgpu-check.js';

const SIZES = [{ batch: 2, seq: 5 }, { batch: 1, seq: 11 }];

function softmaxes(shape: Dim[], axis: number): Graph {
  const g = new GraphBuilder('softmaxes');
  const x = g.input('x', 'f32', shape);
  g.output(g.op('Softmax', [x], { axis }), 'softmax');
  g.output(g.op('LogSoftmax', [x], { axis }), 'log_softmax');
  return g.build();
}

/** LayerNorm (with its statistics) and RMSNorm over the axes from `axis`, Scale (and B) of `parameter` shape. */
function normalizations(shape: Dim[], axis: number, parameter: number[]): Graph {
  const next = seededRandom(11);
  const g = new GraphBuilder('normalizations');
  const x = g.input('x', 'f32', shape);
  const scale = g.constant(randomTensor(next, 'f32', parameter, { low: 0.5, high: 1.5 }));
  const bias = g.constant(randomTensor(next, 'f32', parameter));
  const [y, mean, invStd] = g.opMulti('LayerNormalization', [x, scale, bias], { axis, epsilon: 1e-5 }, 3);
  g.output(y!, 'layer_norm');
  g.output(mean!, 'mean');
  g.output(invStd!, 'inv_std');
  g.output(g.op('RMSNormalization', [x, scale], { axis, epsilon: 1e-3 }), 'rms_norm');
  return g.build();
}

interface NormCase {
  readonly name: string;
  readonly graph: () => Graph;
  readonly fill?: FillSpec;
}

const CASES: readonly NormCase[] = [
  { name: 'softmaxes over the last axis', graph: () => softmaxes(['batch', 'seq', 'seq'], -1), fill: { low: -8, high: 8 } },
  { name: 'softmaxes over a middle axis', graph: () => softmaxes(['batch', 'seq', 6], 1), fill: { low: -8, high: 8 } },
  { name: 'softmaxes over the first axis, odd inner', graph: () => softmaxes(['batch', 'seq', 5], 0), fill: { low: -8, high: 8 } },
  { name: 'softmaxes of large inputs', graph: () => softmaxes(['batch', 7], -1), fill: { low: 500, high: 1000 } },
  { name: 'norms over the last axis', graph: () => normalizations(['batch', 'seq', 37], -1, [37]), fill: { low: -3, high: 5 } },
  { name: 'norms over two axes, parameters a repeated trailing part', graph: () => normalizations(['batch', 'seq', 3, 5], 2, [5]) },
  { name: 'norms over two axes, parameters whole rows', graph: () => normalizations(['batch', 4, 6], 1, [4, 6]) },
  { name: 'norms with one-value parameters', graph: () => normalizations(['batch', 'seq', 9], -1, [1]) },
];

describe('normalisations on wasm', () => {
  it.each(CASES)('$name', async ({ graph, fill }) => {
    await checkOnWasm(graph(), { sizes: SIZES, fills: fill ? { x: fill } : {}, tolerance: { rtol: 1e-5, atol: 1e-5 } });
  });
});

describeGpu('normalisations on webgpu', () => {
  it.each(CASES)('$name', async ({ graph, fill }) => {
    await checkOnWebGpu(graph(), { sizes: SIZES, fills: fill ? { x: fill } : {} });
  });
});
