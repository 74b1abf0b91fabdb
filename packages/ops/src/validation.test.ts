import { AttributeError, DTypeError, FeedError, LadonError, ShapeError, tensor, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { attention, MultiHeadAttention, multiHeadAttention } from './index.js';
import { randomBlockWeights } from '../test/support.js';
import { randomTensor, seededRandom as random } from '@ladon/ir/testing';

const next = random(9);
const q = randomTensor(next, 'f32', [2, 8, 5, 16]);
const k = randomTensor(next, 'f32', [2, 4, 7, 16]);
const v = randomTensor(next, 'f32', [2, 4, 7, 16]);

/** The rejection of `promise`, as `Name: message`. */
async function rejection(promise: Promise<unknown>): Promise<{ error: LadonError; text: string }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LadonError);
  return { error: error as LadonError, text: String(error) };
}

describe('attention() rejects bad inputs with typed errors naming the argument and the expected shape', () => {
  it('k with the wrong head size', async () => {
    const { error, text } = await rejection(attention(q, randomTensor(next, 'f32', [2, 4, 7, 8]), v, { backend: 'reference' }));
    expect(error).toBeInstanceOf(ShapeError);
    expect(text).toBe('ShapeError: attention: k must be [batch, kvHeads, keys, headSize] = [2, 4, *, 16], got [2, 4, 7, 8]');
    expect(error.code).toBe('E_SHAPE');
  });

  const shapeCases: [string, () => Promise<unknown>, string][] = [
    ['q of rank 3', () => attention(randomTensor(next, 'f32', [2, 5, 16]), k, v), 'attention: q must be [batch, heads, seq, headSize] = [*, *, *, *], got [2, 5, 16]'],
    ['k from another batch', () => attention(q, randomTensor(next, 'f32', [3, 4, 7, 16]), v), 'attention: k must be [batch, kvHeads, keys, headSize] = [2, 4, *, 16], got [3, 4, 7, 16]'],
    ['v with other keys', () => attention(q, k, randomTensor(next, 'f32', [2, 4, 6, 16])), 'attention: v must be [batch, kvHeads, keys, valueHeadSize] = [2, 4, 7, *], got [2, 4, 6, 16]'],
    ['kvHeads not dividing heads', () => attention(q, randomTensor(next, 'f32', [2, 3, 7, 16]), randomTensor(next, 'f32', [2, 3, 7, 16])), 'attention: kvHeads = 3 must divide the 8 query heads'],
    ['k not matching the kvHeads option', () => attention(q, k, v, { kvHeads: 2 }), 'attention: k must be [batch, kvHeads, keys, headSize] = [2, 2, *, 16], got [2, 4, 7, 16]'],
    ['a mask that does not broadcast', () => attention(q, k, v, { mask: randomTensor(next, 'f32', [5, 6]) }), 'attention: mask must broadcast to [batch, heads, queries, keys] = [2, 8, 5, 7]'],
    ['a mask of rank 1', () => attention(q, k, v, { mask: randomTensor(next, 'f32', [7]) }), 'got [7]'],
  ];
  it.each(shapeCases)('%s', async (_name, call, message) => {
    const { error } = await rejection(call());
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain(message);
  });

  it('dtypes: q not float, k unlike q, an integer mask', async () => {
    const i32 = tensor('i32', [2, 8, 5, 16]);
    const f16 = tensor('f16', [2, 4, 7, 16]);
    const cases: [Promise<unknown>, string][] = [
      [attention(i32 as unknown as Tensor<'f32'>, k, v), 'attention: q must be f32 or f16, got i32'],
      [attention(q, f16 as unknown as Tensor<'f32'>, v), 'attention: k must be f32 like q, got f16'],
      [attention(q, k, v, { mask: tensor('i32', [5, 7]) as unknown as Tensor<'bool'> }), 'attention: mask must be bool or f32'],
    ];
    for (const [call, message] of cases) {
      const { error } = await rejection(call);
      expect(error).toBeInstanceOf(DTypeError);
      expect(error.message).toContain(message);
    }
  });

  it('an unknown backend name', async () => {
    const { error } = await rejection(attention(q, k, v, { backend: 'gpu' as 'wasm' }));
    expect(error.name).toBe('BackendError');
    expect(error.message).toContain("unknown backend 'gpu'");
  });

  it('options and malformed tensors', async () => {
    expect((await rejection(attention(q, k, v, { scale: Number.NaN }))).error).toBeInstanceOf(AttributeError);
    expect((await rejection(attention(q, k, v, { softcap: -1 }))).text).toContain('softcap must be a finite number >= 0, got -1');
    const short = { dtype: 'f32', shape: [2, 8, 5, 16], data: new Float32Array(3) } as Tensor<'f32'>;
    expect((await rejection(attention(short, k, v))).error).toBeInstanceOf(ShapeError);
    expect((await rejection(attention(undefined as unknown as Tensor<'f32'>, k, v))).error).toBeInstanceOf(FeedError);
  });
});

describe('MultiHeadAttention and multiHeadAttention() reject bad configurations and inputs', () => {
  it('checks the head counts against dModel', () => {
    expect(() => new MultiHeadAttention({ dModel: 64, numHeads: 6 })).toThrow('MultiHeadAttention: numHeads = 6 must divide dModel = 64');
    expect(() => new MultiHeadAttention({ dModel: 64, numHeads: 8, kvHeads: 3 })).toThrow(ShapeError);
    expect(() => new MultiHeadAttention({ dModel: 64, numHeads: 0 })).toThrow(AttributeError);
    expect(() => new MultiHeadAttention({ dModel: 64, numHeads: 8, dropout: -0.5 })).toThrow(AttributeError);
  });

  it('names a weight of the wrong shape', () => {
    const weights = randomBlockWeights(next, 32, 4, 4);
    const module = new MultiHeadAttention({ dModel: 64, numHeads: 8 });
    expect(() => module.loadWeights(weights)).toThrow('MultiHeadAttention: q_proj.weight must be [out, in] = [64, 64], got [32, 32]');
  });

  it('checks x, kv and the mask, and that weights are loaded', async () => {
    const module = new MultiHeadAttention({ dModel: 32, numHeads: 4, backend: 'reference' });
    const x = randomTensor(next, 'f32', [2, 5, 32]);
    expect((await rejection(module.forward(x))).error).toBeInstanceOf(FeedError);
    module.loadWeights(randomBlockWeights(next, 32, 4, 4));
    expect((await rejection(module.forward(randomTensor(next, 'f32', [2, 5, 16])))).text).toBe(
      'ShapeError: MultiHeadAttention: x must be [batch, seq, dModel] = [*, *, 32], got [2, 5, 16]',
    );
    expect((await rejection(module.forward(x, { kv: randomTensor(next, 'f32', [3, 4, 32]) }))).text).toContain('kv must be [batch, keys, dModel] = [2, *, 32]');
    expect((await rejection(module.forward(x, { mask: randomTensor(next, 'f32', [2, 5]) }))).text).toContain('mask must broadcast to [batch, heads, queries, keys] = [2, 4, 5, 5]');
    const weights = randomBlockWeights(next, 32, 4, 4);
    expect((await rejection(multiHeadAttention(x, weights, { numHeads: 5 }))).text).toContain('multiHeadAttention: numHeads = 5 must divide dModel = 32');
  });
});
