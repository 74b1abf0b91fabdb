import { LimitError } from '@ladon/runtime';
import { ShapeError, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { attention, IncrementalAttention, KVCache, MultiHeadAttention } from './index.js';
import { BACKENDS, concatAxis, expectClose, randomBlockWeights, sliceAxis } from '../test/support.js';
import { randomTensor, seededRandom as random } from '@ladon/ir/testing';

/** Splits positions 0..length into chunks of the given sizes. */
function chunks(sizes: readonly number[]): [number, number][] {
  let start = 0;
  return sizes.map((size) => [start, (start += size)]);
}

describe.each(BACKENDS)('incremental decoding on %s equals the full sequence', (backend) => {
  it.each([
    { name: 'one token at a time', heads: 4, kvHeads: 4, steps: [1, 1, 1, 1, 1, 1] },
    { name: 'a prompt of 3, then single tokens, GQA', heads: 4, kvHeads: 2, steps: [3, 1, 1, 1] },
    { name: 'MQA, uneven chunks', heads: 2, kvHeads: 1, steps: [2, 1, 3] },
  ])('IncrementalAttention: $name', async ({ heads, kvHeads, steps }) => {
    const next = random(31);
    const length = steps.reduce((a, b) => a + b, 0);
    const q = randomTensor(next, 'f32', [2, heads, length, 8]);
    const k = randomTensor(next, 'f32', [2, kvHeads, length, 8]);
    const v = randomTensor(next, 'f32', [2, kvHeads, length, 8]);
    const full = await attention(q, k, v, { causal: true, backend });
    const decoder = new IncrementalAttention({ maxLength: 16, backend });
    const outputs: Tensor[] = [];
    for (const [start, end] of chunks(steps)) {
      outputs.push(await decoder.step(sliceAxis(q, 2, start, end), sliceAxis(k, 2, start, end), sliceAxis(v, 2, start, end)));
      expect(decoder.length).toBe(end);
    }
    expectClose(concatAxis(outputs, 2), full, 'token by token');
    expectClose(decoder.cache.key!, k, 'cached keys');
    expectClose(decoder.cache.value!, v, 'cached values');
  });

  it('MultiHeadAttention decoder: token by token equals forward(x, { causal: true })', async () => {
    const next = random(32);
    const weights = randomBlockWeights(next, 32, 4, 2);
    const module = new MultiHeadAttention({ dModel: 32, numHeads: 4, kvHeads: 2, residual: true, layerNorm: true, backend, weights });
    const x = randomTensor(next, 'f32', [2, 6, 32]);
    const full = await module.forward(x, { causal: true });
    const decoder = module.createDecoder({ maxLength: 6 });
    const outputs: Tensor[] = [];
    for (const [start, end] of chunks([2, 1, 1, 1, 1])) outputs.push(await decoder.step(sliceAxis(x, 1, start, end)));
    expectClose(concatAxis(outputs, 1), full, 'decoder');
    expect(decoder.cache.key!.shape).toEqual([2, 2, 6, 8]);
    await expect(decoder.step(sliceAxis(x, 1, 0, 1))).rejects.toThrow(LimitError);
    decoder.reset();
    expectClose(await decoder.step(sliceAxis(x, 1, 0, 2)), sliceAxis(full, 1, 0, 2), 'after reset');
    module.dispose();
  });
});

describe('the KV cache', () => {
  const next = random(33);
  const token = (): [Tensor<'f32'>, Tensor<'f32'>, Tensor<'f32'>] => [randomTensor(next, 'f32', [1, 2, 1, 8]), randomTensor(next, 'f32', [1, 2, 1, 8]), randomTensor(next, 'f32', [1, 2, 1, 8])];

  it('guards the maximum length and leaves the cache unchanged', async () => {
    const decoder = new IncrementalAttention({ maxLength: 2, backend: 'reference' });
    await decoder.step(...token());
    await decoder.step(...token());
    const [q, k, v] = token();
    await expect(decoder.step(q, k, v)).rejects.toThrow('KVCache: 1 new position after 2 cached would make 3, more than maxLength = 2');
    expect(decoder.length).toBe(2);
    decoder.reset();
    expect(decoder.length).toBe(0);
    expect(decoder.cache.key).toBeUndefined();
    await decoder.step(q, k, v);
    expect(decoder.length).toBe(1);
  });

  it('rejects new keys unlike the cached ones', async () => {
    const decoder = new IncrementalAttention({ maxLength: 8, backend: 'reference' });
    const [q, k, v] = token();
    await decoder.step(q, k, v);
    const wide = randomTensor(next, 'f32', [1, 1, 1, 8]);
    await expect(decoder.step(randomTensor(next, 'f32', [1, 2, 1, 8]), wide, wide)).rejects.toThrow(ShapeError);
  });

  it('validates its own inputs', () => {
    expect(() => new KVCache({ maxLength: 0 })).toThrow('KVCache: maxLength must be a positive integer, got 0');
    const cache = new KVCache({ maxLength: 4 });
    const present = randomTensor(next, 'f32', [1, 2, 5, 8]);
    expect(() => cache.update(present, present)).toThrow(LimitError);
    expect(cache.length).toBe(0);
  });
});
