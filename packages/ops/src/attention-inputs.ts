/**
 * Checking Q, K and V of the 4-D attention form (legend: batch, heads,
 * kvHeads, seq = query length, keys = key/value length, headSize,
 * valueHeadSize) and the scalar options, before anything is compiled.
 */
import { AttributeError, ShapeError } from '@ladon/ir';
import type { AttentionDType } from './attention-graph.js';
import { expectDType, expectFiniteOption, expectPositiveInteger, expectShape, expectTensor } from './validate.js';

/** The concrete sizes of one attention call. */
export interface AttentionSizes {
  readonly dtype: AttentionDType;
  readonly batch: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly queries: number;
  readonly keys: number;
  readonly headSize: number;
  readonly valueHeadSize: number;
}

const FLOAT_DTYPES: readonly AttentionDType[] = ['f32', 'f16'];

/**
 * Checks q [batch, heads, seq, headSize], k [batch, kvHeads, keys, headSize]
 * and v [batch, kvHeads, keys, valueHeadSize]: one float dtype, consistent
 * sizes, kvHeads dividing heads. `kvHeads` (when given) is what k must have.
 */
export function checkAttentionInputs(op: string, q: unknown, k: unknown, v: unknown, kvHeads?: number): AttentionSizes {
  expectTensor(op, 'q', q);
  expectDType(op, 'q', q, FLOAT_DTYPES);
  expectShape(op, 'q', ['batch', 'heads', 'seq', 'headSize'], [undefined, undefined, undefined, undefined], q);
  const [batch, heads, queries, headSize] = q.shape;
  expectTensor(op, 'k', k);
  expectDType(op, 'k', k, [q.dtype], ' like q');
  if (kvHeads !== undefined) expectPositiveInteger(op, 'kvHeads', kvHeads);
  const keyHeads = kvHeads ?? (k.shape.length === 4 ? k.shape[1] : undefined);
  expectShape(op, 'k', ['batch', 'kvHeads', 'keys', 'headSize'], [batch, keyHeads, undefined, headSize], k);
  const [, kHeads, keys] = k.shape;
  expectHeadsDivide(op, heads, kHeads);
  expectTensor(op, 'v', v);
  expectDType(op, 'v', v, [q.dtype], ' like q');
  expectShape(op, 'v', ['batch', 'kvHeads', 'keys', 'valueHeadSize'], [batch, kHeads, keys, undefined], v);
  return { dtype: q.dtype as AttentionDType, batch, heads, kvHeads: kHeads, queries, keys, headSize, valueHeadSize: v.shape[3] };
}

/** Checks that the key/value head count divides the query head count (GQA/MQA). */
export function expectHeadsDivide(op: string, heads: number, kvHeads: number): void {
  if (kvHeads >= 1 && heads % kvHeads === 0) return;
  throw new ShapeError(`${op}: kvHeads = ${kvHeads} must divide the ${heads} query heads (each key/value head serves heads / kvHeads query heads)`, {
    tensor: 'k',
  });
}

/** The scalar options every attention form shares. */
export interface ScalarAttentionOptions {
  readonly causal?: boolean;
  readonly scale?: number;
  readonly softcap?: number;
}

/** Checks `causal` (boolean), `scale` (finite) and `softcap` (finite, >= 0). */
export function checkScalarOptions(op: string, options: ScalarAttentionOptions): void {
  if (options.causal !== undefined && typeof options.causal !== 'boolean') {
    throw new AttributeError(`${op}: causal must be a boolean, got ${String(options.causal)}`);
  }
  expectFiniteOption(op, 'scale', options.scale);
  expectFiniteOption(op, 'softcap', options.softcap, 0);
}
