/**
 * The additive bias of ONNX `Attention`, built one query row at a time.
 *
 * - `attn_mask`: bool (true = attend → 0, false → -inf) or float (added).
 *   It broadcasts right-aligned to [B, Hq, Sq, T] (rank 3 is (Hq, Sq, T),
 *   rank 1 is (T)); a last axis shorter than T is padded on the right with
 *   -inf (false), never broadcast.
 * - Structural masks set -inf outside the allowed key range of query row i,
 *   with `p = offset[b] + i`: is_causal allows j <= p; left/right windows
 *   allow p - left <= j <= p + right (-1 = unbounded); nonpad_kv_seqlen
 *   allows j < nonpad[b]. The offset aligns the diagonal bottom-right: the
 *   past length with past_key, else nonpad[b] - Sq with nonpad_kv_seqlen,
 *   else 0.
 *
 * Masked cells are set (not multiplied), so no 0·∞ NaN can arise.
 */
import { stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { addPositionBiases, type PositionBiases } from './attention-position-reference.js';
import { numericValues } from './kernel-utils.js';

/** The concrete sizes and switches the bias depends on. */
export interface BiasConfig {
  readonly qSeq: number;
  /** T = P + Skv: the number of keys attended over. */
  readonly totalSeq: number;
  /** P, the past_key length (0 without a cache). */
  readonly pastSeq: number;
  /** True when past_key is given (the causal offset is then P). */
  readonly hasPast: boolean;
  readonly isCausal: boolean;
  readonly leftWindow: number;
  readonly rightWindow: number;
}

/** Writes the bias of query row `i` of batch `b`, query head `h` into `row` (length T). */
export type BiasRowFiller = (b: number, h: number, i: number, row: Float64Array) => void;

/**
 * Builds the per-row bias from the mask, the position biases (ALiBi, relative
 * position; see attention-position.ts, with query position offset + i) and
 * nonpad_kv_seqlen (each may be absent).
 */
export function makeBiasFiller(config: BiasConfig, mask: Tensor | undefined, nonpad: readonly number[] | undefined, positions: PositionBiases = {}): BiasRowFiller {
  const readMask = mask ? maskReader(mask, config.totalSeq) : undefined;
  return (b, h, i, row) => {
    if (readMask) readMask(b, h, i, row);
    else row.fill(0);
    const valid = nonpad?.[b];
    const offset = causalOffset(config, valid);
    addPositionBiases(positions, b, h, offset + i, row);
    maskOutside(row, allowedRange(config, offset + i, valid));
  };
}

/** The causal/window offset of a batch: P with a cache, nonpad[b] - Sq with nonpad_kv_seqlen, else 0. */
export function causalOffset(config: BiasConfig, nonpad: number | undefined): number {
  if (config.hasPast) return config.pastSeq;
  if (nonpad !== undefined) return nonpad - config.qSeq;
  return 0;
}

/** The inclusive key range [lo, hi] query position `p` may attend (empty when lo > hi). */
export function allowedRange(config: BiasConfig, p: number, nonpad: number | undefined): [number, number] {
  let lo = 0;
  let hi = config.totalSeq - 1;
  if (config.isCausal) hi = Math.min(hi, p);
  if (config.leftWindow >= 0) lo = Math.max(lo, p - config.leftWindow);
  if (config.rightWindow >= 0) hi = Math.min(hi, p + config.rightWindow);
  if (nonpad !== undefined) hi = Math.min(hi, nonpad - 1);
  return [lo, hi];
}

function maskOutside(row: Float64Array, [lo, hi]: [number, number]): void {
  for (let j = 0; j < row.length; j++) if (j < lo || j > hi) row[j] = -Infinity;
}

/** Reads mask rows with right-aligned broadcasting over [B, Hq, Sq] and -inf padding of the key axis. */
function maskReader(mask: Tensor, totalSeq: number): BiasRowFiller {
  const shape = [...new Array<number>(4 - mask.shape.length).fill(1), ...mask.shape];
  const strides = stridesOf(shape).map((stride, axis) => (shape[axis] === 1 && axis < 3 ? 0 : stride));
  const width = Math.min(shape[3], totalSeq);
  const values = numericValues(mask);
  const isBool = mask.dtype === 'bool';
  return (b, h, i, row) => {
    const base = b * strides[0] + h * strides[1] + i * strides[2];
    for (let j = 0; j < width; j++) {
      const value = values[base + j];
      row[j] = isBool ? (value ? 0 : -Infinity) : value;
    }
    row.fill(-Infinity, width);
  };
}
