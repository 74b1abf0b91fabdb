import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { RotaryEmbedding } from './rotary-embedding.js';

const f32 = (shape: (number | string)[]) => ({ dtype: 'f32' as const, shape });

describe('RotaryEmbedding', () => {
  it('infers the input type and checks the caches and position ids', () => {
    expect(inferOp(RotaryEmbedding, [f32(['b', 4, 's', 8]), f32([50, 4]), f32([50, 4]), { dtype: 'i64', shape: ['b', 's'] }])).toEqual([f32(['b', 4, 's', 8])]);
    expect(inferOp(RotaryEmbedding, [f32([2, 3, 32]), f32([2, 3, 2]), f32([2, 3, 2])], { num_heads: 4, rotary_embedding_dim: 4 })).toEqual([f32([2, 3, 32])]);
    expect(() => inferOp(RotaryEmbedding, [f32([2, 4, 3, 8]), f32([50, 2]), f32([50, 2]), { dtype: 'i64', shape: [2, 3] }])).toThrow(/must be \[P, 4\]/);
    expect(() => inferOp(RotaryEmbedding, [f32([2, 3, 32]), f32([2, 3, 4]), f32([2, 3, 4])])).toThrow(/num_heads/);
    expect(() => inferOp(RotaryEmbedding, [f32([2, 4, 3, 8]), f32([2, 3, 4]), f32([2, 3, 4])], { rotary_embedding_dim: 10 })).toThrow(AttributeError);
    expect(() => inferOp(RotaryEmbedding, [f32([2, 4, 3, 8]), f32([2, 3, 4]), f32([2, 3, 4]), { dtype: 'i64', shape: [3, 2] }])).toThrow(ShapeError);
  });

  // One batch, one head, two positions, head size 4: pairs (0, 2) and (1, 3), or (0, 1) and (2, 3) interleaved.
  const x = tensor('f32', [1, 1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
  const angles = [0.5, 1.5, -1, 2]; // cache rows: position p has angles [2p], [2p+1]
  const cos = tensor('f32', [2, 2], angles.map(Math.cos));
  const sin = tensor('f32', [2, 2], angles.map(Math.sin));
  const rotate = (a: number, b: number, angle: number) => [Math.cos(angle) * a - Math.sin(angle) * b, Math.sin(angle) * a + Math.cos(angle) * b];

  it('rotates the halves of each head by the angle of its position', () => {
    const positions = tensor('i64', [1, 2], [1n, 0n]);
    const [y] = evaluateOp(RotaryEmbedding, [x, cos, sin, positions]);
    const [r0, r2] = rotate(1, 3, angles[2]);
    const [r1, r3] = rotate(2, 4, angles[3]);
    const [s0, s2] = rotate(5, 7, angles[0]);
    const [s1, s3] = rotate(6, 8, angles[1]);
    toNumbers(y!).forEach((value, i) => expect(value).toBeCloseTo([r0, r1, r2, r3, s0, s1, s2, s3][i], 6));
  });

  it('rotates neighbouring pairs when interleaved, and only the rotary dims', () => {
    const [y] = evaluateOp(RotaryEmbedding, [x, tensor('f32', [1, 2, 1], [Math.cos(1), Math.cos(2)]), tensor('f32', [1, 2, 1], [Math.sin(1), Math.sin(2)])], { interleaved: 1, rotary_embedding_dim: 2 });
    const [a, b] = rotate(1, 2, 1);
    const [c, d] = rotate(5, 6, 2);
    toNumbers(y!).forEach((value, i) => expect(value).toBeCloseTo([a, b, 3, 4, c, d, 7, 8][i], 6));
  });

  it('refuses a position outside the caches', () => {
    expect(() => evaluateOp(RotaryEmbedding, [x, cos, sin, tensor('i64', [1, 2], [0n, 2n])])).toThrow(/position 2 is outside the caches' 2 rows/);
  });
});
