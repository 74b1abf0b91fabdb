/**
 * Positions in @ladon/ops, checked against references built independently:
 * rotary embeddings against attention of q and k rotated by hand, ALiBi and
 * relative biases against attention with the same bias as an explicit float
 * mask, the MultiHeadAttention module with rotary/ALiBi against the block
 * written out with those, T5 buckets against values from the T5 code.
 */
import { AttributeError, ShapeError, tensor, type Tensor } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, expect, it } from 'vitest';
import { BACKENDS, expectClose, referenceAttention } from '../test/support.js';
import { alibiSlopes, attention, MultiHeadAttention, rotaryTables, t5Bucket, t5RelativeBias } from './index.js';

const next = seededRandom(99);
const [B, H, S, D] = [2, 4, 6, 8];

/** Rotates [B, H, S, D] by hand with tables [1 or B, S, R/2]. */
function rotate(x: Tensor, cos: Tensor, sin: Tensor, interleaved = false): Tensor<'f32'> {
  const [batch, heads, seq, size] = x.shape;
  const half = cos.shape[2];
  const out = Float32Array.from(x.data as Float32Array);
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++)
      for (let s = 0; s < seq; s++) {
        const row = ((b * heads + h) * seq + s) * size;
        const table = ((cos.shape[0] === 1 ? 0 : b) * seq + s) * half;
        for (let d = 0; d < half; d++) {
          const [i, j] = interleaved ? [2 * d, 2 * d + 1] : [d, d + half];
          const [c, n] = [(cos.data as Float32Array)[table + d], (sin.data as Float32Array)[table + d]];
          const [a, b2] = [out[row + i], out[row + j]];
          out[row + i] = a * c - b2 * n;
          out[row + j] = b2 * c + a * n;
        }
      }
  return tensor('f32', x.shape, out);
}

/** A float mask [1, H, S, S] holding bias(h, i, j). */
function biasMask(bias: (h: number, i: number, j: number) => number): Tensor<'f32'> {
  return tensor('f32', [1, H, S, S], Array.from({ length: H * S * S }, (_, n) => bias(Math.floor(n / (S * S)), Math.floor(n / S) % S, n % S)));
}

const [q, k, v] = [0, 1, 2].map(() => randomTensor(next, 'f32', [B, H, S, D]));

describe.each(BACKENDS)('attention() positions on %s', (backend) => {
  it('rotary (rotate-half, partial dim 4 of 8) equals attention of q and k rotated by hand', async () => {
    const { cos, sin } = rotaryTables([3, 4, 5, 6, 7, 8], { rotaryDim: 4 });
    const output = await attention(q, k, v, { rotary: { cos, sin }, causal: true, backend });
    expectClose(output, referenceAttention({ q: rotate(q, cos, sin), k: rotate(k, cos, sin), v }, { is_causal: 1 })[0], 'rotary');
  });

  it('interleaved rotary with per-batch tables', async () => {
    const angles = Array.from({ length: B * S * 4 }, () => (next() - 0.5) * 6);
    const [cos, sin] = [Math.cos, Math.sin].map((f) => tensor('f32', [B, S, 4], angles.map(f)));
    const output = await attention(q, k, v, { rotary: { cos, sin, interleaved: true }, backend });
    expectClose(output, referenceAttention({ q: rotate(q, cos, sin, true), k: rotate(k, cos, sin, true), v }, {})[0], 'interleaved rotary');
  });

  it('alibi: true (paper slopes, slope · (j - i)) equals the same bias as a float mask', async () => {
    const slopes = alibiSlopes(H);
    const output = await attention(q, k, v, { alibi: true, causal: true, backend });
    const mask = biasMask((h, i, j) => slopes[h] * (j - i));
    expectClose(output, referenceAttention({ q, k, v, mask }, { is_causal: 1 })[0], 'alibi');
  });

  it('alibi over key positions (BLOOM) with given slopes, key form', async () => {
    const keyPositions = tensor('f32', [B, S], [0, 1, 2, 3, 4, 5, 0, 0, 1, 2, 3, 4]);
    const slopes = [0.5, 0.25, 0.1, 0.05];
    const output = await attention(q, k, v, { alibi: { slopes, form: 'key', keyPositions }, backend });
    const perBatch = [0, 1].map((b) => biasMask((h, _i, j) => slopes[h] * (keyPositions.data as Float32Array)[b * S + j]));
    const mask = tensor('f32', [B, H, S, S], [...perBatch[0].data, ...perBatch[1].data]);
    expectClose(output, referenceAttention({ q, k, v, mask }, {})[0], 'alibi key positions');
  });

  it('a T5 relative bias equals the bucketed table as a float mask', async () => {
    const table = randomTensor(next, 'f32', [32, H]);
    const relativeBias = t5RelativeBias(table, { bidirectional: true, maxDistance: 64 });
    const output = await attention(q, k, v, { relativeBias, backend });
    const mask = biasMask((h, i, j) => (table.data as Float32Array)[t5Bucket(j - i, 32, 64, true) * H + h]);
    expectClose(output, referenceAttention({ q, k, v, mask }, {})[0], 't5 relative bias');
  });
});

describe('positions: errors name the option', () => {
  it('rotary tables of the wrong length, alibi slopes of the wrong count, a bad relative table', async () => {
    const { cos, sin } = rotaryTables([0, 1, 2], { rotaryDim: 4 });
    await expect(attention(q, k, v, { rotary: { cos, sin } })).rejects.toThrow(/rotary\.cos must be \[batch or 1, seq, rotaryDim \/ 2\] = \[1, 6, 2\], got \[1, 3, 2\]/);
    await expect(attention(q, k, v, { alibi: { slopes: [1, 2] } })).rejects.toThrow(ShapeError);
    await expect(attention(q, k, v, { relativeBias: { table: tensor('f32', [H, 4], new Float32Array(16)), maxDistance: 2 } })).rejects.toThrow(/relativeBias\.table/);
    const longer = randomTensor(next, 'f32', [B, H, S + 1, D]);
    const tables = rotaryTables([0, 1, 2, 3, 4, 5], { rotaryDim: 8 });
    await expect(attention(q, longer, longer, { rotary: tables })).rejects.toThrow(/keys \(7\) must equal seq \(6\)/);
  });

  it('alibiSlopes follows the paper (and BLOOM for head counts that are not powers of two)', () => {
    expect(alibiSlopes(4)).toEqual([0.25, 0.0625, 0.015625, 0.00390625]);
    expect(alibiSlopes(6)).toEqual([0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125]);
  });

  // Worked by hand from T5's relative_position_bucket: e.g. n = 100 bidirectional: 16 + 8 + trunc(log(100/8) / log(128/8) · 8) = 16 + 8 + 7.
  it('t5Bucket matches T5 (bidirectional 32 buckets, max distance 128; causal)', () => {
    expect([0, 1, -1, 7, 8, 20, 100, 200, -200].map((n) => t5Bucket(n, 32, 128, true))).toEqual([0, 17, 1, 23, 24, 26, 31, 31, 15]);
    expect([0, 5, -1, -15, -16, -40, -500].map((n) => t5Bucket(n, 32, 128, false))).toEqual([0, 0, 1, 15, 16, 23, 31]);
  });
});

describe('MultiHeadAttention with rotary and ALiBi', () => {
  it('rotary, causal: equals attention of the projections rotated by hand; a decoder is refused', async () => {
    const dModel = 16;
    const mha = new MultiHeadAttention({ dModel, numHeads: 2, rotary: true });
    const eye = tensor('f32', [dModel, dModel], Array.from({ length: dModel * dModel }, (_, n) => (n % (dModel + 1) === 0 ? 1 : 0)));
    mha.loadWeights({ q: { weight: eye }, k: { weight: eye }, v: { weight: eye }, out: { weight: eye } });
    const x = randomTensor(next, 'f32', [1, 5, dModel]);
    const y = await mha.forward(x, { causal: true });
    // heads[0, h, s, d] = x[0, s, 8h + d] (n = (5h + s)·8 + d), and back.
    const heads = tensor('f32', [1, 2, 5, 8], Array.from({ length: 80 }, (_, n) => (x.data as Float32Array)[Math.floor((n % 40) / 8) * 16 + Math.floor(n / 40) * 8 + (n % 8)]));
    const { cos, sin } = rotaryTables([0, 1, 2, 3, 4], { rotaryDim: 8 });
    const [expected] = referenceAttention({ q: rotate(heads, cos, sin), k: rotate(heads, cos, sin), v: heads }, { is_causal: 1 });
    const merged = tensor('f32', [1, 5, dModel], Array.from({ length: 80 }, (_, n) => (expected.data as Float32Array)[(Math.floor((n % 16) / 8) * 5 + Math.floor(n / 16)) * 8 + (n % 8)]));
    expectClose(y, merged, 'module rotary');
    expect(() => mha.createDecoder({ maxLength: 8 })).toThrow(AttributeError);
    mha.dispose();
  });

  it('ALiBi decoding step by step equals forward on the whole sequence', async () => {
    const mha = new MultiHeadAttention({ dModel: 16, numHeads: 4, alibi: true, residual: true });
    mha.loadWeights({ q: { weight: randomTensor(next, 'f32', [16, 16]) }, k: { weight: randomTensor(next, 'f32', [16, 16]) }, v: { weight: randomTensor(next, 'f32', [16, 16]) }, out: { weight: randomTensor(next, 'f32', [16, 16]) } });
    const x = randomTensor(next, 'f32', [1, 4, 16]);
    const whole = await mha.forward(x, { causal: true });
    const decoder = mha.createDecoder({ maxLength: 4 });
    const steps: number[] = [];
    for (let t = 0; t < 4; t++) steps.push(...(await decoder.step(tensor('f32', [1, 1, 16], (x.data as Float32Array).slice(t * 16, (t + 1) * 16)))).data);
    expectClose(tensor('f32', [1, 4, 16], steps), whole, 'alibi decoder');
    mha.dispose();
  });
});
