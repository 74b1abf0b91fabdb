/**
 * RotaryEmbedding (ONNX RotaryEmbedding-23): rotates pairs of each head's
 * first `rotary_embedding_dim` features (all of them when 0) by position-
 * dependent angles. X is [B, H, S, D] or [B, S, H·D] (then `num_heads`
 * gives H). The pair of feature i (i < R/2, R the rotary dim) is (i, i +
 * R/2), or (2i, 2i + 1) with `interleaved`; with c, s the cosine and sine
 * of the pair's angle, x1' = c·x1 - s·x2 and x2' = s·x1 + c·x2. The caches
 * are [P, R/2] indexed by `position_ids` [B, S] (i64, each in [0, P)), or
 * [B, S, R/2] when `position_ids` is omitted. Features past R pass through.
 *
 * Legend: B batch, H heads, S sequence, D head size, R rotary dim, P positions.
 */
import { dimsCompatible, divDimsExact, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpDef } from '../op-def.js';
import { formatType } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { FLOAT_TYPES, intValues, numericValues } from './kernel-utils.js';

/** The dims and flags of a RotaryEmbedding node (see the legend above). */
export interface RotaryDims {
  readonly batch: Dim;
  readonly heads: Dim;
  readonly sequence: Dim;
  readonly headSize: Dim;
  /** R: the features rotated per head (even). */
  readonly rotaryDim: number;
  readonly interleaved: boolean;
  /** X is [B, S, H·D] (else [B, H, S, D]). */
  readonly packedHeads: boolean;
  /** The caches are indexed by position_ids (else they are [B, S, R/2]). */
  readonly positionIds: boolean;
}

function fail(ctx: InferContext, index: number, message: string): never {
  return ctx.failShape(`${ctx.inputPortName(index)} ${ctx.inputRef(index)} ${message}`, ctx.node.inputs[index]);
}

/** B, H, S, D of X (H from `num_heads` for a rank-3 X). */
function inputDims(ctx: InferContext): Pick<RotaryDims, 'batch' | 'heads' | 'sequence' | 'headSize' | 'packedHeads'> {
  const shape = ctx.expectRank(0, [3, 4]).shape;
  const numHeads = ctx.int('num_heads');
  if (shape.length === 4) {
    if (numHeads !== 0 && !dimsCompatible(numHeads, shape[1])) fail(ctx, 0, `has ${shape[1]} heads but num_heads is ${numHeads}`);
    return { batch: shape[0], heads: shape[1], sequence: shape[2], headSize: shape[3], packedHeads: false };
  }
  if (numHeads <= 0) ctx.failAttr(`attribute 'num_heads' must be > 0 for a rank-3 input, got ${numHeads}`);
  const headSize = divDimsExact(shape[2], numHeads);
  if (headSize === undefined) fail(ctx, 0, `has hidden size ${shape[2]}, which num_heads = ${numHeads} does not divide`);
  return { batch: shape[0], heads: numHeads, sequence: shape[1], headSize, packedHeads: true };
}

function checkCaches(ctx: InferContext, dims: RotaryDims): void {
  const half = dims.rotaryDim / 2;
  const expected: Dim[] = dims.positionIds ? ['P', half] : [dims.batch, dims.sequence, half];
  // with position ids, the caches have any number P of rows
  const fits = (dim: Dim, axis: number): boolean => (dims.positionIds && axis === 0) || dimsCompatible(dim, expected[axis]);
  for (const index of [1, 2]) {
    const type = ctx.type(index);
    const matches = type.shape.length === expected.length && type.shape.every(fits);
    if (!matches) fail(ctx, index, `is ${formatType(type)} but must be [${expected.join(', ')}]`);
  }
  if (dims.positionIds) {
    ctx.expectDType(3, ['i64']);
    const type = ctx.type(3);
    if (type.shape.length !== 2 || !dimsCompatible(type.shape[0], dims.batch) || !dimsCompatible(type.shape[1], dims.sequence)) {
      fail(ctx, 3, `is ${formatType(type)} but must be [${dims.batch}, ${dims.sequence}]`);
    }
  }
}

/** Reads and checks a RotaryEmbedding node: its dims and flags. */
export function readRotaryDims(ctx: InferContext): RotaryDims {
  ctx.expectDType(0, FLOAT_TYPES);
  for (const index of [1, 2]) ctx.expectSameDType(0, index);
  const interleaved = ctx.int('interleaved');
  if (interleaved !== 0 && interleaved !== 1) ctx.failAttr(`attribute 'interleaved' must be 0 or 1, got ${interleaved}`);
  const input = inputDims(ctx);
  const requested = ctx.int('rotary_embedding_dim');
  const rotaryDim = requested !== 0 ? requested : input.headSize;
  if (typeof rotaryDim !== 'number') return fail(ctx, 0, `has a symbolic head size ${rotaryDim}; give rotary_embedding_dim`);
  if (rotaryDim <= 0 || rotaryDim % 2 !== 0) ctx.failAttr(`the rotary dim must be a positive even number, got ${rotaryDim}`);
  if (typeof input.headSize === 'number' && rotaryDim > input.headSize) ctx.failAttr(`rotary_embedding_dim ${rotaryDim} exceeds the head size ${input.headSize}`);
  const dims: RotaryDims = { ...input, rotaryDim, interleaved: interleaved === 1, positionIds: ctx.has(3) };
  checkCaches(ctx, dims);
  return dims;
}

/** X's element strides along (B, H, S); D is contiguous. */
function strides(dims: { heads: number; sequence: number; headSize: number; packedHeads: boolean }): [number, number, number] {
  const { heads, sequence, headSize } = dims;
  return dims.packedHeads ? [sequence * heads * headSize, headSize, heads * headSize] : [heads * sequence * headSize, sequence * headSize, headSize];
}

function evaluateRotary(ctx: EvalContext, dims: RotaryDims) {
  const x = ctx.input(0);
  const [batch, heads, sequence, headSize] = [dims.batch, dims.heads, dims.sequence, dims.headSize] as number[];
  const [xs, cos, sin] = [numericValues(x), numericValues(ctx.input(1)), numericValues(ctx.input(2))];
  const positions = ctx.optionalInput(3) ? intValues(ctx.input(3)) : undefined;
  const half = dims.rotaryDim / 2;
  const cacheRows = ctx.input(1).shape[0];
  const y = Float64Array.from(xs);
  const [strideB, strideH, strideS] = strides({ heads, sequence, headSize, packedHeads: dims.packedHeads });
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < sequence; s++) {
      const position = positions ? positions[b * sequence + s] : b * sequence + s;
      if (positions && !(position >= 0 && position < cacheRows)) ctx.failEval(`position ${position} is outside the caches' ${cacheRows} rows`, ctx.node.inputs[3]);
      for (let h = 0; h < heads; h++) {
        const base = b * strideB + h * strideH + s * strideS;
        for (let i = 0; i < half; i++) {
          const [first, second] = dims.interleaved ? [base + 2 * i, base + 2 * i + 1] : [base + i, base + i + half];
          const [c, sn] = [cos[position * half + i], sin[position * half + i]];
          y[first] = c * xs[first] - sn * xs[second];
          y[second] = sn * xs[first] + c * xs[second];
        }
      }
    }
  }
  return fromNumbers(x.dtype, x.shape, y);
}

/** RotaryEmbedding: rotary position embedding of each head's features. */
export const RotaryEmbedding: OpDef = {
  name: 'RotaryEmbedding',
  summary: 'rotate pairs of head features by position-dependent angles (RoPE)',
  inputs: [{ name: 'X' }, { name: 'cos_cache' }, { name: 'sin_cache' }, { name: 'position_ids', optional: true }],
  outputs: [{ name: 'Y' }],
  attributes: { interleaved: { type: 'int', default: 0 }, rotary_embedding_dim: { type: 'int', default: 0 }, num_heads: { type: 'int', default: 0 } },
  infer(ctx) {
    readRotaryDims(ctx);
    return [ctx.type(0)];
  },
  evaluate(ctx) {
    const x = ctx.input(0);
    const numHeads = ctx.int('num_heads');
    const concrete = x.shape.length === 4 ? { batch: x.shape[0], heads: x.shape[1], sequence: x.shape[2], headSize: x.shape[3] } : { batch: x.shape[0], heads: numHeads, sequence: x.shape[1], headSize: x.shape[2] / numHeads };
    const rotaryDim = ctx.int('rotary_embedding_dim') || concrete.headSize;
    const dims: RotaryDims = { ...concrete, rotaryDim, interleaved: ctx.int('interleaved') === 1, packedHeads: x.shape.length === 3, positionIds: Boolean(ctx.optionalInput(3)) };
    return [evaluateRotary(ctx, dims)];
  },
};
