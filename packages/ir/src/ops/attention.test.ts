/**
 * Attention: type/shape inference (static and symbolic), verification errors
 * (typed, naming the input and expected-vs-actual), and a few hand-checked
 * values. Numerics are covered by the conformance and decomposition tests.
 */
import { describe, expect, it } from 'vitest';
import { dimsEqual, type Dim } from '../dim.js';
import type { DType } from '../dtype.js';
import { ArityError, AttributeError, DTypeError, ShapeError } from '../errors.js';
import type { Attributes, Node } from '../graph.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { tensor, toNumbers } from '../tensor.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { Attention } from './attention.js';

const t = (shape: Dim[], dtype: DType = 'f32'): TensorType => ({ dtype, shape });
const Q4 = t([2, 3, 4, 8]);
const K4 = t([2, 3, 6, 8]);
const V4 = t([2, 3, 6, 8]);

function expectShape(type: TensorType | undefined, shape: Dim[], dtype: DType = 'f32'): void {
  expect(type?.dtype).toBe(dtype);
  expect(type?.shape.length).toBe(shape.length);
  type!.shape.forEach((dim, axis) => expect(dim === shape[axis] || dimsEqual(dim, shape[axis]), `axis ${axis}: ${dim} vs ${shape[axis]}`).toBe(true));
}

function expectError(run: () => unknown, errorClass: new (...args: never[]) => Error, ...fragments: string[]): void {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error, 'expected an error').toBeInstanceOf(errorClass);
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
}

const infer = (inputs: (TensorType | undefined)[], attrs: Attributes = {}, outputs = 1) => inferOp(Attention, inputs, attrs, { outputs });

describe('Attention inference', () => {
  it('infers Y [B, Hq, Sq, Dv] for 4-D inputs', () => {
    const [y] = infer([Q4, K4, t([2, 3, 6, 10])]);
    expectShape(y, [2, 3, 4, 10]);
  });

  it('infers every output with a KV cache and qk_matmul_output', () => {
    const types = infer([t([2, 6, 4, 8], 'f16'), t([2, 2, 6, 8], 'f16'), t([2, 2, 6, 5], 'f16'), t([4, 11], 'bool'), t([2, 2, 5, 8], 'f16'), t([2, 2, 5, 5], 'f16')], {}, 4);
    expectShape(types[0], [2, 6, 4, 5], 'f16');
    expectShape(types[1], [2, 2, 11, 8], 'f16');
    expectShape(types[2], [2, 2, 11, 5], 'f16');
    expectShape(types[3], [2, 6, 4, 11], 'f16');
  });

  it('keeps symbolic dims: [batch, 8, seq, 16] with a past of length past', () => {
    const q = t(['batch', 8, 'seq', 16]);
    const kv = t(['batch', 8, 'kv', 16]);
    const past = t(['batch', 8, 'past', 16]);
    const types = infer([q, kv, kv, undefined, past, past], { is_causal: 1 }, 4);
    expectShape(types[0], ['batch', 8, 'seq', 16]);
    expectShape(types[1], ['batch', 8, 'kv+past', 16]);
    expectShape(types[2], ['batch', 8, 'past+kv', 16]);
    expectShape(types[3], ['batch', 8, 'seq', 'kv+past']);
  });

  it('infers 3-D inputs [B, S, H*D] to Y [B, Sq, Hq*Dv] and 4-D presents', () => {
    const types = infer([t([2, 4, 72]), t([2, 6, 24]), t([2, 6, 30])], { q_num_heads: 9, kv_num_heads: 3 }, 3);
    expectShape(types[0], [2, 4, 90]);
    expectShape(types[1], [2, 3, 6, 8]);
    expectShape(types[2], [2, 3, 6, 10]);
  });

  it('infers symbolic 3-D inputs', () => {
    const [y] = infer([t(['b', 's', 64]), t(['b', 't', 32]), t(['b', 't', 32])], { q_num_heads: 4, kv_num_heads: 2 });
    expectShape(y, ['b', 's', 64]);
  });

  it('accepts masks of rank 1 to 4, a shorter padded mask, and nonpad_kv_seqlen', () => {
    for (const shape of [[6], [4, 6], [3, 4, 6], [2, 1, 4, 6], [1, 1, 1, 6], [2, 3, 4, 4]]) {
      expectShape(infer([Q4, K4, V4, t(shape, 'bool')])[0], [2, 3, 4, 8]);
    }
    expectShape(infer([Q4, K4, V4, t([4, 4]), undefined, undefined, t([2], 'i64')])[0], [2, 3, 4, 8]);
  });

  it('returns undefined for outputs omitted in the node', () => {
    const node: Node = { op: 'Attention', inputs: ['q', 'k', 'v'], outputs: ['y', '', '', 'qk'], attrs: { qk_matmul_output_mode: 3 } };
    const types = Attention.infer(new InferContext(node, Attention, [Q4, K4, V4], [], []));
    expect(types).toHaveLength(4);
    expect(types[1]).toBeUndefined();
    expect(types[2]).toBeUndefined();
    expectShape(types[3], [2, 3, 4, 6]);
  });
});

describe('Attention verification errors', () => {
  it('rejects Q of rank 2', () => {
    expectError(() => infer([t([2, 8]), K4, V4]), ShapeError, 'Q %in0', 'rank 3 or 4', 'f32[2, 8]');
  });

  it('rejects K with a different rank than Q', () => {
    expectError(() => infer([Q4, t([2, 6, 24]), V4]), ShapeError, 'K %in1 f32[2, 6, 24]', 'has rank 3, expected rank 4');
  });

  it('rejects 3-D inputs without q_num_heads / kv_num_heads', () => {
    expectError(() => infer([t([2, 4, 24]), t([2, 6, 24]), t([2, 6, 24])], { kv_num_heads: 3 }), AttributeError, "'q_num_heads'", 'q_num_heads=unset');
  });

  it('rejects a 3-D hidden size not divisible by the head count', () => {
    expectError(() => infer([t([2, 4, 70]), t([2, 6, 24]), t([2, 6, 24])], { q_num_heads: 3, kv_num_heads: 3 }), ShapeError, 'Q %in0 f32[2, 4, 70]', 'hidden size (axis 2) is 70, expected a multiple of q_num_heads=3');
  });

  it('rejects query heads that are not a multiple of key/value heads', () => {
    expectError(() => infer([t([2, 6, 4, 8]), t([2, 4, 6, 8]), t([2, 4, 6, 8])]), ShapeError, 'Q %in0 f32[2, 6, 4, 8] has 6 query heads', 'multiple of the 4 key/value heads of K %in1');
  });

  it('rejects K and V with different head counts', () => {
    expectError(() => infer([Q4, K4, t([2, 1, 6, 8])]), ShapeError, 'V %in2', 'head count (axis 1) is 1, expected 3');
  });

  it('rejects different Q and K head sizes', () => {
    expectError(() => infer([Q4, t([2, 3, 6, 7]), V4]), ShapeError, 'K %in1', 'head size (axis 3) is 7, expected 8');
    expectError(() => infer([t([2, 4, 24]), t([2, 6, 12]), t([2, 6, 24])], { q_num_heads: 3, kv_num_heads: 3 }), ShapeError, 'K %in1', 'head size is 4', 'expected 8');
  });

  it('rejects K and V with different sequence lengths', () => {
    expectError(() => infer([Q4, K4, t([2, 3, 5, 8])]), ShapeError, 'V %in2', 'sequence length (axis 2) is 5, expected 6');
  });

  it('rejects a batch mismatch', () => {
    expectError(() => infer([Q4, t([3, 3, 6, 8]), V4]), ShapeError, 'K %in1', 'batch size (axis 0) is 3, expected 2');
  });

  it('rejects K of another dtype than Q', () => {
    expectError(() => infer([Q4, t([2, 3, 6, 8], 'f16'), V4]), DTypeError, 'K %in1', 'f16', 'f32');
  });

  it('rejects integer Q', () => {
    expectError(() => infer([t([2, 3, 4, 8], 'i32'), K4, V4]), DTypeError, 'Q %in0', 'f32 or f16', 'i32[2, 3, 4, 8]');
  });

  it('rejects a mask that is neither bool nor the dtype of Q', () => {
    expectError(() => infer([Q4, K4, V4, t([4, 6], 'f16')]), DTypeError, 'attn_mask %in3', 'bool or f32 (the dtype of Q), got f16');
  });

  it('rejects a mask of rank 5', () => {
    expectError(() => infer([Q4, K4, V4, t([1, 2, 3, 4, 6], 'bool')]), ShapeError, 'attn_mask %in3', 'rank 1 to 4, got rank 5');
  });

  it('rejects a mask that does not broadcast to [B, Hq, Sq, T]', () => {
    expectError(() => infer([Q4, K4, V4, t([2, 3, 5, 6])]), ShapeError, 'attn_mask %in3', 'axis 2 is 5, expected 1 or 4', 'query length Sq');
    expectError(() => infer([Q4, K4, V4, t([2, 4, 6])]), ShapeError, 'attn_mask %in3', 'axis 0 is 2, expected 1 or 3', 'query head count Hq');
  });

  it('rejects a mask longer than the total key length', () => {
    expectError(() => infer([Q4, K4, V4, t([4, 7])]), ShapeError, 'attn_mask %in3', 'last axis is 7, expected at most 6');
  });

  it('rejects past_key without past_value', () => {
    expectError(() => infer([Q4, K4, V4, undefined, t([2, 3, 5, 8])]), ArityError, 'past_key is given but past_value is missing');
  });

  it('rejects a past_key with the wrong head count or rank', () => {
    expectError(() => infer([Q4, K4, V4, undefined, t([2, 2, 5, 8]), t([2, 3, 5, 8])]), ShapeError, 'past_key %in4', 'head count (axis 1) is 2, expected 3');
    expectError(() => infer([Q4, K4, V4, undefined, t([2, 5, 24]), t([2, 3, 5, 8])]), ShapeError, 'past_key %in4', 'rank 4');
  });

  it('rejects past_value with another past length than past_key', () => {
    expectError(() => infer([Q4, K4, V4, undefined, t([2, 3, 5, 8]), t([2, 3, 4, 8])]), ShapeError, 'past_value %in5', 'past length (axis 2) is 4, expected 5');
  });

  it('rejects a nonpad_kv_seqlen that is not i64 [B]', () => {
    expectError(() => infer([Q4, K4, V4, undefined, undefined, undefined, t([2], 'i32')]), DTypeError, 'nonpad_kv_seqlen %in6', 'i64');
    expectError(() => infer([Q4, K4, V4, undefined, undefined, undefined, t([3], 'i64')]), ShapeError, 'nonpad_kv_seqlen %in6', 'length (axis 0) is 3, expected 2');
  });

  it('rejects q_num_heads that contradicts the 4-D head count', () => {
    expectError(() => infer([Q4, K4, V4], { q_num_heads: 4 }), ShapeError, 'Q %in0', 'head count (axis 1) is 3, expected 4', "'q_num_heads'");
  });

  it('rejects out-of-range attributes', () => {
    expectError(() => infer([Q4, K4, V4], { qk_matmul_output_mode: 4 }), AttributeError, "'qk_matmul_output_mode'", 'got 4');
    expectError(() => infer([Q4, K4, V4], { softmax_precision: 7 }), AttributeError, "'softmax_precision'", '1, 10, 11, 16', 'got 7');
    expectError(() => infer([Q4, K4, V4], { is_causal: 2 }), AttributeError, "'is_causal'", 'got 2');
    expectError(() => infer([Q4, K4, V4], { softcap: -1 }), AttributeError, "'softcap'", 'got -1');
    expectError(() => infer([Q4, K4, V4], { left_window_size: -2 }), AttributeError, "'left_window_size'", 'got -2');
    expectError(() => infer([t([2, 4, 24]), t([2, 6, 24]), t([2, 6, 24])], { q_num_heads: 0, kv_num_heads: 3 }), AttributeError, "'q_num_heads'", 'got 0');
  });

  it('verifies at evaluation time too', () => {
    const q = tensor('f32', [1, 2, 2, 4]);
    const k = tensor('f32', [1, 2, 3, 4]);
    expectError(() => evaluateOp(Attention, [q, k, tensor('f32', [1, 2, 2, 4])]), ShapeError, 'V %in2', 'sequence length (axis 2) is 2, expected 3');
  });
});

describe('Attention values', () => {
  it('averages V when all scores are equal, and rounds f16 once', () => {
    const q = tensor('f16', [1, 1, 1, 2], [0, 0]);
    const k = tensor('f16', [1, 1, 3, 2], [1, 2, 3, 4, 5, 6]);
    const v = tensor('f16', [1, 1, 3, 1], [1, 2, 4]);
    const [y] = evaluateOp(Attention, [q, k, v], {}, 1);
    expect(y?.dtype).toBe('f16');
    expect(toNumbers(y!)[0]).toBeCloseTo(7 / 3, 2);
  });

  it('attends the causal diagonal with the past length as offset', () => {
    const q = tensor('f32', [1, 1, 2, 1], [0, 0]);
    const k = tensor('f32', [1, 1, 2, 1], [0, 0]);
    const v = tensor('f32', [1, 1, 2, 1], [4, 10]);
    const past = tensor('f32', [1, 1, 1, 1], [2]);
    const [y, presentKey, presentValue] = evaluateOp(Attention, [q, k, v, undefined, past, past], { is_causal: 1 }, 3);
    // P = 1: row 0 (p = 1) sees keys 0..1 -> mean(2, 4); row 1 (p = 2) sees keys 0..2 -> mean(2, 4, 10).
    expect(Array.from(toNumbers(y!), (x) => Math.round(x * 1e5) / 1e5)).toEqual([3, 5.33333]);
    expect(presentKey?.shape).toEqual([1, 1, 3, 1]);
    expect(toNumbers(presentValue!)).toEqual([2, 4, 10]);
  });
});
