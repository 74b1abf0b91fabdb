import { tensor, type Attributes, type Tensor } from '@ladon/ir';
import { describe, it } from 'vitest';
import { attention, type AttentionOptions } from './index.js';
import { BACKENDS, expectClose, referenceAttention } from '../test/support.js';
import { randomTensor, seededRandom as random } from '@ladon/ir/testing';

interface Case {
  readonly name: string;
  /** [batch, heads, seq, headSize] */
  readonly q: readonly number[];
  /** [batch, kvHeads, keys, headSize] */
  readonly k: readonly number[];
  readonly valueHeadSize?: number;
  readonly options?: Omit<AttentionOptions, 'mask' | 'backend' | 'returnWeights'>;
  readonly mask?: { readonly dtype: 'bool' | 'f32'; readonly shape: readonly number[] };
}

const cases: Case[] = [
  { name: 'plain', q: [2, 4, 5, 16], k: [2, 4, 7, 16] },
  { name: 'value head size differs', q: [1, 2, 3, 8], k: [1, 2, 6, 8], valueHeadSize: 12 },
  { name: 'causal', q: [2, 3, 6, 8], k: [2, 3, 6, 8], options: { causal: true } },
  { name: 'GQA (6 query heads, 2 kv heads)', q: [2, 6, 5, 8], k: [2, 2, 9, 8], options: { kvHeads: 2 } },
  { name: 'MQA (1 kv head), causal', q: [1, 4, 7, 8], k: [1, 1, 7, 8], options: { causal: true } },
  { name: 'bool padding mask [B, 1, 1, keys]', q: [2, 4, 5, 8], k: [2, 4, 7, 8], mask: { dtype: 'bool', shape: [2, 1, 1, 7] } },
  { name: 'bool mask [seq, keys] + causal', q: [1, 2, 6, 8], k: [1, 2, 6, 8], mask: { dtype: 'bool', shape: [6, 6] }, options: { causal: true } },
  { name: 'float mask [heads, seq, keys]', q: [2, 3, 4, 8], k: [2, 3, 5, 8], mask: { dtype: 'f32', shape: [3, 4, 5] } },
  { name: 'float mask [B, heads, seq, keys] with GQA', q: [2, 4, 3, 8], k: [2, 2, 5, 8], mask: { dtype: 'f32', shape: [2, 4, 3, 5] } },
  { name: 'scale and softcap', q: [1, 2, 4, 8], k: [1, 2, 6, 8], options: { scale: 0.5, softcap: 3 } },
];

const weightCases: Case[] = [
  { name: 'weights', q: [2, 2, 4, 8], k: [2, 2, 6, 8] },
  { name: 'weights, causal, GQA, bool mask', q: [1, 4, 5, 8], k: [1, 2, 5, 8], mask: { dtype: 'bool', shape: [1, 1, 5, 5] }, options: { causal: true } },
];

function inputsFor(c: Case, seed: number): { q: Tensor<'f32'>; k: Tensor<'f32'>; v: Tensor<'f32'>; mask?: Tensor<'bool'> | Tensor<'f32'> } {
  const next = random(seed);
  const [batch, kvHeads, keys] = c.k;
  const v = [batch, kvHeads, keys, c.valueHeadSize ?? c.k[3]];
  const inputs = { q: randomTensor(next, 'f32', c.q), k: randomTensor(next, 'f32', c.k), v: randomTensor(next, 'f32', v) };
  if (!c.mask) return inputs;
  const mask = c.mask.dtype === 'bool' ? randomTensor(next, 'bool', c.mask.shape, { trueChance: 0.7 }) : randomTensor(next, 'f32', c.mask.shape, { low: -2, high: 2 });
  return { ...inputs, mask };
}

function referenceAttributes(options: Case['options'] = {}, returnWeights = false): Attributes {
  return {
    ...(options.causal ? { is_causal: 1 } : {}),
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.softcap !== undefined ? { softcap: options.softcap } : {}),
    ...(returnWeights ? { qk_matmul_output_mode: 3 } : {}),
  };
}

describe.each(BACKENDS)('attention() on %s agrees with the reference interpreter', (backend) => {
  it.each(cases)('$name', async (c) => {
    const inputs = inputsFor(c, 7);
    const output = await attention(inputs.q, inputs.k, inputs.v, { ...c.options, mask: inputs.mask, backend });
    const [expected] = referenceAttention(inputs, referenceAttributes(c.options));
    expectClose(output, expected, c.name);
  });

  it.each(weightCases)('returns the softmax weights: $name', async (c) => {
    const inputs = inputsFor(c, 11);
    const result = await attention(inputs.q, inputs.k, inputs.v, { ...c.options, mask: inputs.mask, backend, returnWeights: true });
    const [output, weights] = referenceAttention(inputs, referenceAttributes(c.options, true), true);
    expectClose(result.output, output, `${c.name} output`);
    expectClose(result.weights, weights, `${c.name} weights`);
  });
});

describe('attention() in f16', () => {
  it.each(['reference', 'wasm'] as const)('computes f16 inputs on the %s backend', async (backend) => {
    const next = random(3);
    const toF16 = (value: Tensor<'f32'>): Tensor<'f16'> => tensor('f16', value.shape, Array.from(value.data));
    const [q, k, v] = [[1, 2, 3, 8], [1, 2, 4, 8], [1, 2, 4, 8]].map((shape) => toF16(randomTensor(next, 'f32', shape)));
    const output = await attention(q, k, v, { backend, causal: true });
    const [expected] = referenceAttention({ q, k, v }, { is_causal: 1 });
    expectClose(output, expected, 'f16');
  });
});
