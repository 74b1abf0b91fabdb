import { interpret, tensor, toNumbers, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { MultiHeadAttention, multiHeadAttention, type BlockCallOptions, type MultiHeadAttentionWeights } from './index.js';
import { BACKENDS, expectClose, randomBlockWeights, referenceBlock, seedBlockGraph } from '../test/support.js';
import { randomTensor, seededRandom as random } from '@ladon/ir/testing';

interface Case {
  readonly name: string;
  readonly numHeads: number;
  readonly kvHeads?: number;
  readonly residual?: boolean;
  readonly layerNorm?: boolean;
  readonly causal?: boolean;
  readonly mask?: { readonly dtype: 'bool' | 'f32'; readonly shape: readonly number[] };
  /** Cross-attention over a kv input of this length. */
  readonly kvLength?: number;
}

const D_MODEL = 32;
const BATCH = 2;
const SEQ = 5;

const cases: Case[] = [
  { name: 'the seed block: residual + LayerNorm', numHeads: 4, residual: true, layerNorm: true },
  { name: 'attention only', numHeads: 8 },
  { name: 'causal', numHeads: 4, causal: true, residual: true, layerNorm: true },
  { name: 'GQA (4 query heads, 2 kv heads), causal', numHeads: 4, kvHeads: 2, causal: true, layerNorm: true },
  { name: 'MQA with a bool key-padding mask [B, 1, 1, seq]', numHeads: 4, kvHeads: 1, mask: { dtype: 'bool', shape: [BATCH, 1, 1, SEQ] } },
  { name: 'float mask [seq, seq], residual', numHeads: 2, residual: true, mask: { dtype: 'f32', shape: [SEQ, SEQ] } },
  { name: 'cross-attention with a mask', numHeads: 4, kvLength: 7, mask: { dtype: 'bool', shape: [BATCH, 4, SEQ, 7] }, residual: true, layerNorm: true },
];

function callFor(c: Case, next: () => number): BlockCallOptions {
  const kv = c.kvLength ? randomTensor(next, 'f32', [BATCH, c.kvLength, D_MODEL]) : undefined;
  const mask = c.mask && (c.mask.dtype === 'bool' ? randomTensor(next, 'bool', c.mask.shape, { trueChance: 0.7 }) : randomTensor(next, 'f32', c.mask.shape, { low: -2, high: 2 }));
  return { ...(kv ? { kv } : {}), ...(mask ? { mask } : {}), ...(c.causal ? { causal: true } : {}) };
}

function expected(x: Tensor, weights: MultiHeadAttentionWeights, c: Case, call: BlockCallOptions): Tensor {
  return referenceBlock(x, weights, {
    numHeads: c.numHeads,
    kvHeads: c.kvHeads ?? c.numHeads,
    residual: c.residual ?? false,
    ...(c.layerNorm ? { epsilon: 1e-5 } : {}),
    ...call,
  });
}

describe.each(BACKENDS)('MultiHeadAttention on %s agrees with the reference interpreter', (backend) => {
  it.each(cases)('$name', async (c) => {
    const next = random(21);
    const weights = randomBlockWeights(next, D_MODEL, c.numHeads, c.kvHeads ?? c.numHeads);
    const config = { dModel: D_MODEL, numHeads: c.numHeads, kvHeads: c.kvHeads, residual: c.residual, layerNorm: c.layerNorm, dropout: 0.1, backend };
    const module = new MultiHeadAttention({ ...config, weights });
    const x = randomTensor(next, 'f32', [BATCH, SEQ, D_MODEL]);
    const call = callFor(c, next);
    const y = await module.forward(x, call);
    expectClose(y, expected(x, weights, c, call), `${c.name} (module)`);
    const functional = await multiHeadAttention(x, weights, { ...config, ...call });
    expectClose(functional, y, `${c.name} (multiHeadAttention)`);
    module.dispose();
  });

  it('compiles once and serves other batch sizes and lengths', async () => {
    const next = random(4);
    const weights = randomBlockWeights(next, D_MODEL, 4, 4);
    const module = new MultiHeadAttention({ dModel: D_MODEL, numHeads: 4, residual: true, layerNorm: true, backend, weights });
    for (const [batch, seq] of [[1, 3], [3, 8], [2, 1]]) {
      const x = randomTensor(next, 'f32', [batch, seq, D_MODEL]);
      expectClose(await module.forward(x), expected(x, weights, { name: '', numHeads: 4, residual: true, layerNorm: true }, {}), `[${batch}, ${seq}]`);
    }
    expect(module.compiledStats()).toEqual({ compiles: 1, hits: 2, size: 1, interim: 0 });
    module.loadWeights(randomBlockWeights(next, D_MODEL, 4, 4));
    expect(module.compiledStats().size).toBe(0);
    module.dispose();
  });
});

describe.each(BACKENDS)('MultiHeadAttention on %s loads the seed block of apps/examples', (backend) => {
  it('matches the unfused seed graph run by the interpreter', async () => {
    const next = random(12);
    const seed = seedBlockGraph(next, 32, 4);
    const module = new MultiHeadAttention({ dModel: 32, numHeads: 4, residual: true, layerNorm: true, backend });
    module.loadInitializers(seed.initializers, { layout: 'in-out' });
    const x = randomTensor(next, 'f32', [2, 6, 32]);
    expectClose(await module.forward(x), interpret(seed, { x }).y, 'seed block');
    module.dispose();
  });
});

describe('MultiHeadAttention weights', () => {
  const next = random(8);
  const weights = randomBlockWeights(next, 16, 2, 2);
  const x = randomTensor(next, 'f32', [1, 4, 16]);
  const config = { dModel: 16, numHeads: 2, residual: true, layerNorm: true, backend: 'reference' } as const;

  async function outputOf(load: (module: MultiHeadAttention) => void): Promise<Tensor> {
    const module = new MultiHeadAttention(config);
    load(module);
    return module.forward(x);
  }

  it('load from plain arrays: flat rows and nested rows', async () => {
    const reference = await outputOf((module) => module.loadWeights(weights));
    const rows = (value: Tensor): number[][] => {
      const flat = toNumbers(value);
      return Array.from({ length: value.shape[0] }, (_, r) => flat.slice(r * value.shape[1], (r + 1) * value.shape[1]));
    };
    const plain = (layer: { weight: Tensor; bias?: Tensor }) => ({ weight: rows(layer.weight), bias: toNumbers(layer.bias!) });
    const nested = { q: plain(weights.q), k: plain(weights.k), v: plain(weights.v), out: plain(weights.out), norm: { weight: toNumbers(weights.norm!.weight), bias: toNumbers(weights.norm!.bias!) } };
    expectClose(await outputOf((module) => module.loadWeights(nested)), reference, 'nested arrays');
  });

  it('load from an ONNX initializer map with a prefix, in either layout, or packed in_proj_weight', async () => {
    const reference = await outputOf((module) => module.loadWeights(weights));
    const named = new Map<string, Tensor>();
    for (const [key, name] of [['q', 'q_proj'], ['k', 'k_proj'], ['v', 'v_proj'], ['out', 'out_proj']] as const) {
      named.set(`layer.0.${name}.weight`, weights[key].weight);
      named.set(`layer.0.${name}.bias`, weights[key].bias!);
    }
    named.set('layer.0.norm.weight', weights.norm!.weight);
    named.set('layer.0.norm.bias', weights.norm!.bias!);
    expectClose(await outputOf((module) => module.loadInitializers(named, { prefix: 'layer.0.' })), reference, 'initializer map');

    const transposed = new Map([...named].map(([name, value]) => [name, name.endsWith('_proj.weight') ? transpose(value) : value]));
    expectClose(await outputOf((module) => module.loadInitializers(transposed, { prefix: 'layer.0.', layout: 'in-out' })), reference, 'in-out layout');

    const packed: Record<string, Tensor> = {
      in_proj_weight: tensor('f32', [48, 16], [...toNumbers(weights.q.weight), ...toNumbers(weights.k.weight), ...toNumbers(weights.v.weight)]),
      in_proj_bias: tensor('f32', [48], [...toNumbers(weights.q.bias!), ...toNumbers(weights.k.bias!), ...toNumbers(weights.v.bias!)]),
      'out_proj.weight': weights.out.weight,
      'out_proj.bias': weights.out.bias!,
      'norm.weight': weights.norm!.weight,
      'norm.bias': weights.norm!.bias!,
    };
    expectClose(await outputOf((module) => module.loadInitializers(packed)), reference, 'packed in_proj_weight');
  });

  it('names a missing initializer', () => {
    const module = new MultiHeadAttention(config);
    expect(() => module.loadInitializers(new Map([['q_proj.weight', weights.q.weight]]))).toThrow("MultiHeadAttention: initializer 'k_proj.weight' (or in_proj_weight) not found");
  });

  it('LayerNorm without weights uses gamma = 1, beta = 0', async () => {
    const { norm: _norm, ...projections } = weights;
    const y = await outputOf((module) => module.loadWeights(projections));
    const ones = { weight: tensor('f32', [16], new Float32Array(16).fill(1)) };
    expectClose(y, referenceBlock(x, { ...projections, norm: ones }, { numHeads: 2, kvHeads: 2, residual: true, epsilon: 1e-5 }), 'default LayerNorm');
  });
});

function transpose(matrix: Tensor): Tensor<'f32'> {
  const [rows, columns] = matrix.shape;
  const values = toNumbers(matrix);
  return tensor('f32', [columns, rows], Array.from({ length: rows * columns }, (_, i) => values[(i % rows) * columns + Math.floor(i / rows)]));
}
