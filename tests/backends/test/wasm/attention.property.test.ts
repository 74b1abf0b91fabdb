/**
 * Property test: random attention configurations (shapes, layouts, GQA,
 * masks of every kind and rank, causal, windows, softcap, KV cache) give the
 * same result on the wasm backend as on the reference interpreter.
 */
import { compileProgram } from '@ladon/compiler';
import { compareTensors, GraphBuilder, interpret, tensor, type Attributes, type DType, type Tensor } from '@ladon/ir';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom as uniform } from '@ladon/ir';
import { WasmSession } from '@ladon/runtime';

interface Scenario {
  batch: number;
  kvHeads: number;
  group: number;
  queries: number;
  keys: number;
  past: number;
  headSize: number;
  valueHeadSize: number;
  threeD: boolean;
  mask: 'none' | 'bool' | 'float';
  maskRank: number;
  causal: boolean;
  leftWindow: number;
  softcap: number;
  scale: number | undefined;
  seed: number;
}

const scenario = fc.record<Scenario>({
  batch: fc.integer({ min: 1, max: 2 }),
  kvHeads: fc.integer({ min: 1, max: 3 }),
  group: fc.integer({ min: 1, max: 3 }),
  queries: fc.integer({ min: 1, max: 11 }),
  keys: fc.integer({ min: 1, max: 70 }),
  past: fc.constantFrom(0, 0, 3),
  headSize: fc.constantFrom(4, 8, 12, 16),
  valueHeadSize: fc.constantFrom(4, 6, 8, 10),
  threeD: fc.boolean(),
  mask: fc.constantFrom('none', 'bool', 'float'),
  maskRank: fc.integer({ min: 2, max: 4 }),
  causal: fc.boolean(),
  leftWindow: fc.constantFrom(-1, -1, 2),
  softcap: fc.constantFrom(0, 0, 2.5),
  scale: fc.constantFrom(undefined, 0.3),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});


function maskShape(s: Scenario, heads: number): number[] {
  const full = [s.batch, heads, s.queries, s.past + s.keys];
  return full.slice(4 - s.maskRank).map((dim, axis, dims) => (axis < dims.length - 2 && axis % 2 === 1 ? 1 : dim));
}

async function check(s: Scenario): Promise<void> {
  const heads = s.kvHeads * s.group;
  const random = uniform(s.seed);
  const make = (dtype: DType, shape: number[]): Tensor => {
    const size = shape.reduce((a, b) => a * b, 1);
    return dtype === 'bool' ? tensor('bool', shape, Array.from({ length: size }, () => random() < 0.8)) : tensor('f32', shape, Array.from({ length: size }, () => random() * 2 - 1));
  };
  const shapeOf = (h: number, length: number, size: number) => (s.threeD ? [s.batch, length, h * size] : [s.batch, h, length, size]);
  const g = new GraphBuilder('attention');
  const feeds: Record<string, Tensor> = {
    q: make('f32', shapeOf(heads, s.queries, s.headSize)),
    k: make('f32', shapeOf(s.kvHeads, s.keys, s.headSize)),
    v: make('f32', shapeOf(s.kvHeads, s.keys, s.valueHeadSize)),
  };
  if (s.mask !== 'none') feeds.mask = make(s.mask === 'bool' ? 'bool' : 'f32', maskShape(s, heads));
  if (s.past > 0) {
    feeds.pastKey = make('f32', [s.batch, s.kvHeads, s.past, s.headSize]);
    feeds.pastValue = make('f32', [s.batch, s.kvHeads, s.past, s.valueHeadSize]);
  }
  const refs = Object.fromEntries(Object.entries(feeds).map(([name, value]) => [name, g.input(name, value.dtype, value.shape)]));
  const attrs: Attributes = {
    is_causal: s.causal ? 1 : 0,
    softcap: s.softcap,
    ...(s.scale !== undefined ? { scale: s.scale } : {}),
    ...(s.leftWindow >= 0 ? { left_window_size: s.leftWindow } : {}),
    ...(s.threeD ? { q_num_heads: heads, kv_num_heads: s.kvHeads } : {}),
  };
  const inputs = [refs.q, refs.k, refs.v, refs.mask, refs.pastKey, refs.pastValue];
  const outputs = g.opMulti('Attention', s.past > 0 ? inputs : inputs.slice(0, refs.mask ? 4 : 3), attrs, s.past > 0 ? 3 : 1);
  outputs.forEach((output, index) => g.output(output!, ['y', 'presentKey', 'presentValue'][index]));
  const graph = g.build();
  const program = await compileProgram(graph, { target: 'wasm', relaxedSimd: false, passes: [] });
  const session = await WasmSession.create(program, { relaxedSimd: false });
  const actual = await session.run(feeds);
  const expected = interpret(graph, feeds);
  for (const name of graph.outputs) {
    const result = compareTensors(actual[name], expected[name], { rtol: 1e-4, atol: 2e-5 });
    expect(result.problem ?? '', `${name} for ${JSON.stringify(s)}`).toBe('');
  }
}

describe('wasm attention agrees with the reference on random configurations', () => {
  it('holds for 40 random scenarios', async () => {
    await fc.assert(fc.asyncProperty(scenario, check), { numRuns: 40, seed: 20261123 });
  });
});
