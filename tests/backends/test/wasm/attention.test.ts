import { compileProgram } from '@ladon/compiler';
import { compareTensors, GraphBuilder, interpret, tensor, type Attributes, type DType, type Graph, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { randomTensor as randomOf, seededRandom } from '@ladon/ir/testing';
import { WasmSession } from '@ladon/runtime';

const next = seededRandom(11);

/** A seeded random tensor: floats in [-1, 1), bools true three times in four. */
function randomTensor(dtype: DType, shape: number[]): Tensor {
  return randomOf(next, dtype, shape, { trueChance: 0.75 });
}

interface Case {
  name: string;
  q: number[];
  k: number[];
  v: number[];
  attrs?: Attributes;
  mask?: { dtype: DType; shape: number[] };
  qkOutput?: boolean;
}

function attentionGraph(c: Case): Graph {
  const g = new GraphBuilder(c.name);
  const q = g.input('q', 'f32', c.q);
  const k = g.input('k', 'f32', c.k);
  const v = g.input('v', 'f32', c.v);
  const mask = c.mask ? g.input('mask', c.mask.dtype, c.mask.shape) : undefined;
  const [y, , , weights] = g.opMulti('Attention', mask ? [q, k, v, mask] : [q, k, v], c.attrs ?? {}, [true, false, false, Boolean(c.qkOutput)]);
  g.output(y!, 'y');
  if (weights) g.output(weights, 'weights');
  return g.build();
}

async function runBoth(c: Case): Promise<void> {
  const graph = attentionGraph(c);
  const feeds: Record<string, Tensor> = { q: randomTensor('f32', c.q), k: randomTensor('f32', c.k), v: randomTensor('f32', c.v) };
  if (c.mask) feeds.mask = randomTensor(c.mask.dtype, c.mask.shape);
  const program = await compileProgram(graph, { target: 'wasm', relaxedSimd: false });
  const session = await WasmSession.create(program, { relaxedSimd: false });
  const actual = await session.run(feeds);
  const expected = interpret(graph, feeds);
  for (const name of graph.outputs) {
    const result = compareTensors(actual[name], expected[name], { rtol: 1e-4, atol: 1e-5 });
    expect(result.problem ?? '', `${c.name} ${name}`).toBe('');
  }
}

const cases: Case[] = [
  { name: 'plain', q: [2, 3, 5, 8], k: [2, 3, 7, 8], v: [2, 3, 7, 8] },
  { name: 'long rows, tails', q: [1, 2, 13, 16], k: [1, 2, 21, 16], v: [1, 2, 21, 12] },
  { name: 'causal', q: [1, 2, 9, 8], k: [1, 2, 9, 8], v: [1, 2, 9, 8], attrs: { is_causal: 1 } },
  { name: 'gqa', q: [2, 6, 5, 8], k: [2, 2, 6, 8], v: [2, 2, 6, 8] },
  { name: 'float mask', q: [2, 3, 5, 8], k: [2, 3, 6, 8], v: [2, 3, 6, 8], mask: { dtype: 'f32', shape: [2, 1, 5, 6] } },
  { name: 'bool mask', q: [2, 3, 5, 8], k: [2, 3, 6, 8], v: [2, 3, 6, 8], mask: { dtype: 'bool', shape: [5, 6] } },
  { name: 'softcap', q: [1, 2, 5, 8], k: [1, 2, 6, 8], v: [1, 2, 6, 8], attrs: { softcap: 2 } },
  { name: '3-D heads', q: [2, 5, 24], k: [2, 6, 24], v: [2, 6, 30], attrs: { q_num_heads: 3, kv_num_heads: 3 } },
  { name: 'windows', q: [1, 2, 9, 8], k: [1, 2, 9, 8], v: [1, 2, 9, 8], attrs: { is_causal: 1, left_window_size: 2 } },
  { name: 'weights (mode 3)', q: [1, 2, 5, 8], k: [1, 2, 6, 8], v: [1, 2, 6, 8], attrs: { qk_matmul_output_mode: 3 }, qkOutput: true },
  { name: 'scores with mask (mode 2)', q: [1, 2, 5, 8], k: [1, 2, 6, 8], v: [1, 2, 6, 8], attrs: { qk_matmul_output_mode: 2, is_causal: 1 }, mask: { dtype: 'f32', shape: [5, 6] }, qkOutput: true },
];

describe('wasm attention kernels against the reference', () => {
  it.each(cases)('$name', async (c) => runBoth(c));
});

describe('packed Q/K/V projections', () => {
  it('are read in place by the attention kernel: no Split step runs, results match the reference', async () => {
    const g = new GraphBuilder('packed');
    const x = g.input('x', 'f32', ['batch', 'seq', 16]);
    const weight = g.constant(tensor('f32', [16, 48], Array.from({ length: 768 }, () => next() - 0.5)), 'w');
    const [q, k, v] = g.opMulti('Split', [g.op('Linear', [x, weight]), g.ints([16, 16, 16])], { axis: -1 }, 3);
    g.output(g.op('Attention', [q!, k!, v!], { q_num_heads: 2, kv_num_heads: 2, is_causal: 1 }), 'y');
    const graph = g.build();
    const program = await compileProgram(graph, { target: 'wasm', relaxedSimd: false, passes: [] });
    expect(program.steps.map((step) => step.op)).toEqual(['Linear', 'Attention']);
    const packedBuffer = program.buffers.find((buffer) => buffer.shape.join() === 'batch,seq,48')!.id;
    expect(program.steps[1].args.slice(0, 3)).toEqual([
      { buffer: packedBuffer, byteOffset: 0 },
      { buffer: packedBuffer, byteOffset: 64 },
      { buffer: packedBuffer, byteOffset: 128 },
    ]);
    const session = await WasmSession.create(program, { relaxedSimd: false });
    for (const seq of [3, 70]) {
      const feeds = { x: randomTensor('f32', [2, seq, 16]) };
      const result = compareTensors((await session.run(feeds)).y, interpret(graph, feeds).y, { rtol: 1e-4, atol: 1e-5 });
      expect(result.problem ?? '').toBe('');
    }
  });
});

describe('NaN inputs', () => {
  it('propagate through the flash kernel as in the reference (no silently finite rows)', async () => {
    const c: Case = { name: 'nan', q: [1, 1, 6, 8], k: [1, 1, 70, 8], v: [1, 1, 70, 8] };
    const graph = attentionGraph(c);
    const q = randomTensor('f32', c.q);
    (q.data as Float32Array)[8 * 2 + 3] = NaN; // row 2 of Q
    const feeds = { q, k: randomTensor('f32', c.k), v: randomTensor('f32', c.v) };
    const session = await WasmSession.create(await compileProgram(graph, { target: 'wasm', relaxedSimd: false }), { relaxedSimd: false });
    const actual = (await session.run(feeds)).y.data as Float32Array;
    const expected = interpret(graph, feeds).y.data as Float32Array;
    expect(Array.from(actual, Number.isNaN)).toEqual(Array.from(expected, Number.isNaN));
    expect(Number.isNaN(actual[2 * 8])).toBe(true);
  });
});
