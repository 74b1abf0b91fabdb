/**
 * Position information for attention, applied inside the attention kernel
 * (Ladon's Attention extension): rotary embeddings of q and k, ALiBi, and a
 * relative position bias by distance. Legend: batch, heads, seq (queries),
 * keys; a query i sits at position q = i (plus the past length with a KV
 * cache), key j at k = j (or keyPositions[b, j]).
 */
import { AttributeError, ShapeError, tensor, type AlibiForm, type Tensor } from '@ladon/ir';
import type { PositionSpec } from './attention-graph.js';
import { expectDType, expectPositiveInteger, expectShape, expectTensor } from './validate.js';

/**
 * Rotary embeddings (ONNX RotaryEmbedding semantics): cos and sin tables
 * [batch or 1, seq, rotaryDim / 2] holding the angles of each query's
 * position; q and k (which must have seq keys) are rotated as the kernel
 * reads them. Pairs are (d, d + rotaryDim/2) (rotate-half, LLaMA/GPT-NeoX),
 * or (2d, 2d + 1) with `interleaved` (GPT-J); features from rotaryDim on
 * pass through. {@link rotaryTables} builds the usual tables.
 */
export interface RotaryOption {
  readonly cos: Tensor<'f32'> | Tensor<'f16'>;
  readonly sin: Tensor<'f32'> | Tensor<'f16'>;
  readonly interleaved?: boolean;
}

/**
 * ALiBi: a bias slope_h · f added to the scores of head h, f = k
 * (`key`, BLOOM), k - q (`relative`, the paper's form; default) or -|k - q|
 * (`symmetric`, for encoders). Slopes default to {@link alibiSlopes}.
 */
export interface AlibiOption {
  readonly slopes?: readonly number[];
  readonly form?: AlibiForm;
  /** Key positions [batch or 1, keys] (f32) instead of 0, 1, 2, ... (BLOOM counts them over the padding). */
  readonly keyPositions?: Tensor<'f32'>;
}

/**
 * A relative position bias: table [heads, 2·maxDistance + 1] (f32) whose
 * entry clamp(k - q, -maxDistance, maxDistance) + maxDistance is added to
 * head h's score. {@link t5RelativeBias} builds it from T5's buckets.
 */
export interface RelativeBiasOption {
  readonly table: Tensor<'f32'>;
  readonly maxDistance: number;
}

/** The ALiBi paper's slopes for `heads` heads: 2^(-8/n), 2^(-16/n), ... (n the next power of two, interleaved as BLOOM does). */
export function alibiSlopes(heads: number): number[] {
  expectPositiveInteger('alibiSlopes', 'heads', heads);
  const geometric = (n: number): number[] => Array.from({ length: n }, (_, i) => 2 ** ((-8 * (i + 1)) / n));
  const power = 2 ** Math.floor(Math.log2(heads));
  if (power === heads) return geometric(heads);
  return [...geometric(power), ...geometric(2 * power).filter((_, i) => i % 2 === 0).slice(0, heads - power)];
}

/** Options of {@link rotaryTables}. */
export interface RotaryTableOptions {
  /** The rotary dim R (even): the angles are position · base^(-2i/R), i < R/2. */
  readonly rotaryDim: number;
  /** Default 10000. */
  readonly base?: number;
}

/** cos and sin tables [1, positions.length, R/2] for the given positions (LLaMA's inv_freq · position). */
export function rotaryTables(positions: readonly number[], options: RotaryTableOptions): { cos: Tensor<'f32'>; sin: Tensor<'f32'> } {
  const { rotaryDim } = options;
  if (!Number.isInteger(rotaryDim) || rotaryDim < 2 || rotaryDim % 2 !== 0) throw new AttributeError(`rotaryTables: rotaryDim must be an even integer >= 2, got ${rotaryDim}`);
  const half = rotaryDim / 2;
  const base = options.base ?? 10000;
  const angles = positions.flatMap((position) => Array.from({ length: half }, (_, i) => position * base ** ((-2 * i) / rotaryDim)));
  const shape = [1, positions.length, half];
  return { cos: tensor('f32', shape, angles.map(Math.cos)), sin: tensor('f32', shape, angles.map(Math.sin)) };
}

/** Options of {@link t5RelativeBias}. */
export interface T5BucketOptions {
  /** Encoder attention (true) or decoder self-attention (false: keys after the query share bucket 0). */
  readonly bidirectional: boolean;
  /** Distances at or beyond this share the last bucket. Default 128. */
  readonly maxDistance?: number;
}

/**
 * A T5 relative position bias as a {@link RelativeBiasOption}: the learned
 * `table` [numBuckets, heads] (T5's `relative_attention_bias` weight) looked
 * up at T5's bucket of k - q for every distance up to maxDistance.
 */
export function t5RelativeBias(table: Tensor<'f32'>, options: T5BucketOptions): RelativeBiasOption {
  const op = 't5RelativeBias';
  expectTensor(op, 'table', table);
  expectDType(op, 'table', table, ['f32']);
  expectShape(op, 'table', ['numBuckets', 'heads'], [undefined, undefined], table);
  const [buckets, heads] = table.shape;
  const maxDistance = options.maxDistance ?? 128;
  expectPositiveInteger(op, 'maxDistance', maxDistance);
  const width = 2 * maxDistance + 1;
  const values = new Float32Array(heads * width);
  for (let n = -maxDistance; n <= maxDistance; n++) {
    const bucket = t5Bucket(n, buckets, maxDistance, options.bidirectional);
    for (let h = 0; h < heads; h++) values[h * width + n + maxDistance] = (table.data as Float32Array)[bucket * heads + h];
  }
  return { table: tensor('f32', [heads, width], values), maxDistance };
}

/** T5's relative_position_bucket of distance n = k - q (computed in f32 as PyTorch does). */
export function t5Bucket(n: number, numBuckets: number, maxDistance: number, bidirectional: boolean): number {
  const f32 = Math.fround;
  let buckets = numBuckets;
  let offset = 0;
  let distance = -Math.min(n, 0);
  if (bidirectional) {
    buckets = Math.floor(buckets / 2);
    offset = n > 0 ? buckets : 0;
    distance = Math.abs(n);
  }
  const maxExact = Math.floor(buckets / 2);
  if (distance < maxExact) return offset + distance;
  const scaled = f32(f32(f32(Math.log(f32(distance / maxExact))) / f32(Math.log(maxDistance / maxExact))) * (buckets - maxExact));
  return offset + Math.min(maxExact + Math.trunc(scaled), buckets - 1);
}

/** The sizes the position options are checked against. */
export interface PositionSizes {
  readonly batch: number;
  readonly heads: number;
  readonly queries: number;
  readonly keys: number;
  readonly headSize: number;
  readonly dtype: 'f32' | 'f16';
}

/** The position options of an attention call. */
export interface PositionOptions {
  readonly rotary?: RotaryOption;
  readonly alibi?: boolean | AlibiOption;
  readonly relativeBias?: RelativeBiasOption;
}

/** True when any position option is set. */
export function hasPositions(options: PositionOptions): boolean {
  return Boolean(options.rotary || options.alibi || options.relativeBias);
}

/** The cache-relevant shape of the position options (the compiled graph's position inputs). */
export function positionSpec(options: PositionOptions): PositionSpec {
  const { rotary, relativeBias } = options;
  const alibi = options.alibi === true ? {} : options.alibi || undefined;
  return {
    ...(rotary ? { rotary: { half: rotary.cos.shape[2], interleaved: rotary.interleaved === true, tableBatch: rotary.cos.shape[0] === 1 ? 1 : 'batch' } } : {}),
    ...(alibi ? { alibi: { form: alibi.form ?? 'relative', ...(alibi.keyPositions ? { keyBatch: alibi.keyPositions.shape[0] === 1 ? 1 : 'batch' } : {}) } } : {}),
    ...(relativeBias ? { relativeMaxDistance: relativeBias.maxDistance } : {}),
  };
}

/** The feeds of the position inputs (names as in positionInputs of attention-graph.ts). */
export function positionFeeds(sizes: PositionSizes, options: PositionOptions): Record<string, Tensor> {
  const { rotary, relativeBias } = options;
  const alibi = options.alibi === true ? {} : options.alibi || undefined;
  const feeds: Record<string, Tensor> = {};
  if (rotary) Object.assign(feeds, { rotary_cos: rotary.cos, rotary_sin: rotary.sin });
  if (alibi) feeds.alibi_slopes = tensor(sizes.dtype, [sizes.heads], alibi.slopes ?? alibiSlopes(sizes.heads));
  if (alibi?.keyPositions) feeds.key_positions = alibi.keyPositions;
  if (relativeBias) feeds.relative_bias = tensor(sizes.dtype, relativeBias.table.shape, Array.from(relativeBias.table.data as Float32Array));
  return feeds;
}

/** Checks the position options against the call's sizes; throws typed errors naming the option. */
export function checkPositions(op: string, sizes: PositionSizes, options: PositionOptions): void {
  const { rotary, alibi, relativeBias } = options;
  if (rotary) {
    if (sizes.keys !== sizes.queries) throw new ShapeError(`${op}: rotary rotates keys at the query positions, so keys (${sizes.keys}) must equal seq (${sizes.queries})`, { tensor: 'rotary.cos' });
    for (const name of ['cos', 'sin'] as const) {
      const table = rotary[name];
      expectTensor(op, `rotary.${name}`, table);
      expectDType(op, `rotary.${name}`, table, [sizes.dtype], ' like q');
      const batch = table.shape[0] === 1 ? 1 : sizes.batch;
      expectShape(op, `rotary.${name}`, ['batch or 1', 'seq', 'rotaryDim / 2'], [batch, sizes.queries, rotary.cos.shape[2]], table);
    }
    if (2 * rotary.cos.shape[2] > sizes.headSize || rotary.cos.shape[2] < 1) throw new ShapeError(`${op}: rotary dim ${2 * rotary.cos.shape[2]} must be between 2 and the head size ${sizes.headSize}`, { tensor: 'rotary.cos' });
  }
  if (alibi && alibi !== true) checkAlibi(op, sizes, alibi);
  if (relativeBias) {
    expectPositiveInteger(op, 'relativeBias.maxDistance', relativeBias.maxDistance);
    expectTensor(op, 'relativeBias.table', relativeBias.table);
    expectDType(op, 'relativeBias.table', relativeBias.table, ['f32']);
    expectShape(op, 'relativeBias.table', ['heads', '2·maxDistance + 1'], [sizes.heads, 2 * relativeBias.maxDistance + 1], relativeBias.table);
  }
}

function checkAlibi(op: string, sizes: PositionSizes, alibi: AlibiOption): void {
  if (alibi.slopes && (alibi.slopes.length !== sizes.heads || !alibi.slopes.every(Number.isFinite))) {
    throw new ShapeError(`${op}: alibi.slopes must hold ${sizes.heads} finite numbers (one per head), got ${alibi.slopes.length}`, { tensor: 'alibi.slopes' });
  }
  if (alibi.form !== undefined && !['key', 'relative', 'symmetric'].includes(alibi.form)) throw new AttributeError(`${op}: alibi.form must be 'key', 'relative' or 'symmetric', got '${String(alibi.form)}'`);
  if (alibi.keyPositions) {
    expectTensor(op, 'alibi.keyPositions', alibi.keyPositions);
    expectDType(op, 'alibi.keyPositions', alibi.keyPositions, ['f32']);
    const batch = alibi.keyPositions.shape[0] === 1 ? 1 : sizes.batch;
    expectShape(op, 'alibi.keyPositions', ['batch or 1', 'keys'], [batch, sizes.keys], alibi.keyPositions);
  }
}
