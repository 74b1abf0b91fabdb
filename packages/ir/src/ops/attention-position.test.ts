/**
 * Attention's position inputs (Ladon extension): each equals the plain ONNX
 * Attention of the same operands with the position information applied by
 * hand — rotated Q/K (rotate-half, interleaved, partial), ALiBi and relative
 * biases as an explicit float mask — plus the typed errors of bad inputs.
 */
import { describe, expect, it } from 'vitest';
import { ArityError, AttributeError, ShapeError } from '../errors.js';
import type { Attributes } from '../graph.js';
import { tensor, type Tensor } from '../tensor.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { randomTensor } from '../testing/random-tensors.js';
import { seededRandom } from '../testing/random.js';
import { Attention } from './attention.js';

const random = seededRandom(1207);
const [B, H, S, D] = [2, 3, 5, 8];

/** The inputs array with position inputs at their slots (7: cos, 8: sin, 9: slopes, 10: key positions, 11: relative bias). */
function withPositions(base: (Tensor | undefined)[], positions: Record<number, Tensor>): (Tensor | undefined)[] {
  const inputs = [...base, ...new Array<undefined>(12 - base.length).fill(undefined)];
  for (const [slot, value] of Object.entries(positions)) inputs[Number(slot)] = value;
  while (inputs.length > 0 && inputs[inputs.length - 1] === undefined) inputs.pop();
  return inputs;
}

function run(inputs: (Tensor | undefined)[], attrs: Attributes = {}, outputs = 1): Tensor[] {
  return evaluateOp(Attention, inputs, attrs, outputs) as Tensor[];
}

function expectClose(actual: Tensor, expected: Tensor, tolerance = 1e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  for (let i = 0; i < expected.data.length; i++) expect(Math.abs(Number(actual.data[i]) - Number(expected.data[i]))).toBeLessThanOrEqual(tolerance);
}

/** Rotates [B, H, S, D] rows by hand: pairs (first(d), second(d)) for d < R/2 with tables [B, S, R/2]. */
function rotateByHand(x: Tensor, cos: Tensor, sin: Tensor, interleaved: boolean): Tensor {
  const out = Float32Array.from(x.data as Float32Array);
  const half = cos.shape[2];
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let s = 0; s < S; s++)
        for (let d = 0; d < half; d++) {
          const [first, second] = interleaved ? [2 * d, 2 * d + 1] : [d, d + half];
          const row = ((b * H + h) * S + s) * D;
          const c = Number(cos.data[(b * S + s) * half + d]);
          const n = Number(sin.data[(b * S + s) * half + d]);
          const x1 = Number(x.data[row + first]);
          const x2 = Number(x.data[row + second]);
          out[row + first] = x1 * c - x2 * n;
          out[row + second] = x2 * c + x1 * n;
        }
  return tensor('f32', x.shape, out);
}

function tables(half: number): { cos: Tensor; sin: Tensor } {
  const angles = randomTensor(random, 'f32', [B, S, half], { low: -3, high: 3 });
  const map = (f: (angle: number) => number) => tensor('f32', [B, S, half], Array.from(angles.data as Float32Array, f));
  return { cos: map(Math.cos), sin: map(Math.sin) };
}

/** A float mask [1, H, S, S] with bias(h, i, j). */
function maskOf(bias: (h: number, i: number, j: number) => number): Tensor {
  return tensor('f32', [1, H, S, S], Array.from({ length: H * S * S }, (_, n) => bias(Math.floor(n / (S * S)), Math.floor(n / S) % S, n % S)));
}

describe('Attention rotary embeddings (Ladon extension)', () => {
  const [q, k, v] = [0, 1, 2].map(() => randomTensor(random, 'f32', [B, H, S, D]));

  for (const [name, half, interleaved] of [
    ['rotate-half', D / 2, false],
    ['interleaved', D / 2, true],
    ['partial rotate-half (R = D/2)', D / 4, false],
  ] as const) {
    it(`${name}: equals Attention of the rotated Q and K`, () => {
      const { cos, sin } = tables(half);
      const attrs: Record<string, number> = interleaved ? { rotary_interleaved: 1, is_causal: 1 } : { is_causal: 1 };
      const [y] = run(withPositions([q, k, v], { 7: cos, 8: sin }), attrs);
      const [expected] = run([rotateByHand(q, cos, sin, interleaved), rotateByHand(k, cos, sin, interleaved), v], { is_causal: 1 });
      expectClose(y, expected);
    });
  }

  it('with a KV cache, present_key holds the past and the rotated new keys', () => {
    const { cos, sin } = tables(D / 2);
    const past = randomTensor(random, 'f32', [B, H, 3, D]);
    const [, presentKey] = run(withPositions([q, k, v, undefined, past, randomTensor(random, 'f32', [B, H, 3, D])], { 7: cos, 8: sin }), {}, 3);
    const rotated = rotateByHand(k, cos, sin, false);
    const f32 = (t: { data: unknown }): Float32Array => t.data as Float32Array;
    expect(Array.from(f32(presentKey).subarray(3 * D, (3 + S) * D))).toEqual(Array.from(f32(rotated).subarray(0, S * D)));
    expect(Array.from(f32(presentKey).subarray(0, 3 * D))).toEqual(Array.from(f32(past).subarray(0, 3 * D)));
  });

  it('tables with a batch of 1 broadcast over the batch', () => {
    const { cos, sin } = tables(D / 2);
    const first = (table: Tensor) => tensor('f32', [1, S, D / 2], (table.data as Float32Array).slice(0, S * (D / 2)));
    const [y] = run(withPositions([q, k, v], { 7: first(cos), 8: first(sin) }));
    const both = (table: Tensor) => tensor('f32', [B, S, D / 2], [...first(table).data, ...first(table).data]);
    const [expected] = run(withPositions([q, k, v], { 7: both(cos), 8: both(sin) }));
    expectClose(y, expected, 0);
  });
});

describe('Attention position biases (Ladon extension)', () => {
  const [q, k, v] = [0, 1, 2].map(() => randomTensor(random, 'f32', [B, H, S, D]));
  const slopes = tensor('f32', [H], [0.5, 0.25, 0.125]);

  for (const [form, f] of [
    ['key', (i: number, j: number) => j],
    ['relative', (i: number, j: number) => j - i],
    ['symmetric', (i: number, j: number) => -Math.abs(j - i)],
  ] as const) {
    it(`ALiBi '${form}' equals the same bias as a float mask`, () => {
      const [y] = run(withPositions([q, k, v], { 9: slopes }), { alibi_form: form });
      const [expected] = run([q, k, v, maskOf((h, i, j) => Number(slopes.data[h]) * f(i, j))]);
      expectClose(y, expected);
    });
  }

  it('ALiBi over key positions [B, T] (BLOOM counts positions over its padding)', () => {
    const positions = tensor('f32', [B, S], [0, 1, 2, 3, 4, 0, 0, 1, 2, 3]);
    const [y] = run(withPositions([q, k, v], { 9: slopes, 10: positions }));
    const perBatch = (b: number) => maskOf((h, _i, j) => Number(slopes.data[h]) * Number(positions.data[b * S + j]));
    const [expected] = run([q, k, v, tensor('f32', [B, H, S, S], [...(perBatch(0).data as Float32Array), ...(perBatch(1).data as Float32Array)])]);
    expectClose(y, expected);
  });

  it('a relative position bias table [H, 2M+1] indexed by clamp(k - q, -M, M)', () => {
    const maxDistance = 2;
    const table = randomTensor(random, 'f32', [H, 2 * maxDistance + 1]);
    const [y] = run(withPositions([q, k, v], { 11: table }), { relative_max_distance: maxDistance, is_causal: 1 });
    const bias = maskOf((h, i, j) => Number(table.data[h * 5 + Math.min(Math.max(j - i, -2), 2) + 2]));
    const [expected] = run([q, k, v, bias], { is_causal: 1 });
    expectClose(y, expected);
  });

  it('a cache offsets the query positions (ALiBi relative: slope · (j - (P + i)))', () => {
    const past = randomTensor(random, 'f32', [B, H, 2, D]);
    const pastValue = randomTensor(random, 'f32', [B, H, 2, D]);
    const [y] = run(withPositions([q, k, v, undefined, past, pastValue], { 9: slopes }), { alibi_form: 'relative' });
    const bias = tensor('f32', [1, H, S, S + 2], Array.from({ length: H * S * (S + 2) }, (_, n) => Number(slopes.data[Math.floor(n / (S * (S + 2)))]) * ((n % (S + 2)) - (2 + (Math.floor(n / (S + 2)) % S)))));
    const [expected] = run([q, k, v, bias, past, pastValue]);
    expectClose(y, expected);
  });
});

describe('Attention position inputs: verification', () => {
  const f = (shape: number[]) => ({ dtype: 'f32' as const, shape });
  const qkv = [f([B, H, S, D]), f([B, H, S, D]), f([B, H, S, D])];
  const infer = (positions: Record<number, ReturnType<typeof f>>, attrs: Attributes = {}) => () => {
    const inputs: (ReturnType<typeof f> | undefined)[] = [...qkv, ...new Array<undefined>(9).fill(undefined)];
    for (const [slot, type] of Object.entries(positions)) inputs[Number(slot)] = type;
    return inferOp(Attention, inputs, attrs);
  };

  it('rotary_cos without rotary_sin is an ArityError', () => expect(infer({ 7: f([B, S, 4]) })).toThrow(ArityError));
  it('a rotary dim above the head size is a ShapeError naming rotary_cos', () => expect(infer({ 7: f([B, S, 5]), 8: f([B, S, 5]) })).toThrow(/rotary_cos .*rotary dim 10 exceeds the head size 8/));
  it('ALiBi slopes for the wrong head count', () => expect(infer({ 9: f([H + 1]) })).toThrow(ShapeError));
  it('an unknown alibi_form', () => expect(infer({ 9: f([H]) }, { alibi_form: 'left' })).toThrow(AttributeError));
  it('a relative bias without relative_max_distance', () => expect(infer({ 11: f([H, 5]) })).toThrow(/needs attribute 'relative_max_distance'/));
  it('a relative bias whose width is not 2M + 1', () => expect(infer({ 11: f([H, 4]) }, { relative_max_distance: 2 })).toThrow(/axis 1 is 4, expected 5/));
  it('key positions without a bias that reads them', () => expect(infer({ 10: f([B, S]) })).toThrow(ArityError));
  it('valid position inputs infer Y as usual', () => expect(infer({ 7: f([1, S, 4]), 8: f([1, S, 4]), 9: f([H]), 10: f([B, S]), 11: f([H, 5]) }, { relative_max_distance: 2 })()[0]?.shape).toEqual([B, H, S, D]));
});
