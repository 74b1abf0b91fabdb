/**
 * Reference semantics of Attention's position inputs (attention-position.ts):
 * rotary embeddings applied to rows of Q and K, and the ALiBi and relative
 * position biases added to a row of scores. Computed in f64.
 */
import type { Tensor } from '../tensor.js';
import type { AlibiForm } from './attention-position.js';
import { numericValues } from './kernel-utils.js';

/** Rotary tables [B or 1, S, R/2] and the layout. */
export interface RotaryTables {
  readonly cos: ArrayLike<number>;
  readonly sin: ArrayLike<number>;
  /** Rows per batch of the tables (S), and whether the batch axis broadcasts. */
  readonly rows: number;
  readonly broadcastBatch: boolean;
  /** R/2. */
  readonly half: number;
  readonly interleaved: boolean;
}

/** The rotary tables of a node, or undefined without rotary. */
export function rotaryTables(cos: Tensor | undefined, sin: Tensor | undefined, interleaved: boolean): RotaryTables | undefined {
  if (!cos || !sin) return undefined;
  const [batch, rows, half] = cos.shape;
  return { cos: numericValues(cos), sin: numericValues(sin), rows, broadcastBatch: batch === 1, half, interleaved };
}

/** Rotates `row` (length >= R) in place: the row of batch `b` at table row `s`. */
export function rotateRow(tables: RotaryTables, b: number, s: number, row: Float64Array): void {
  const { half, interleaved } = tables;
  const base = ((tables.broadcastBatch ? 0 : b) * tables.rows + s) * half;
  for (let d = 0; d < half; d++) {
    const c = tables.cos[base + d];
    const n = tables.sin[base + d];
    const [first, second] = interleaved ? [2 * d, 2 * d + 1] : [d, d + half];
    const x = row[first];
    const y = row[second];
    row[first] = x * c - y * n;
    row[second] = y * c + x * n;
  }
}

/**
 * A copy of the rows of a [B, H, S, size] (or 3-D [B, S, H·size]) tensor with
 * each row rotated at its sequence position.
 */
export function rotateRows(values: ArrayLike<number>, tables: RotaryTables, layout: { rank3: boolean; batch: number; heads: number; seq: number; size: number }): Float64Array {
  const { rank3, batch, heads, seq, size } = layout;
  const out = Float64Array.from(values);
  const row = new Float64Array(size);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      for (let s = 0; s < seq; s++) {
        const at = rank3 ? ((b * seq + s) * heads + h) * size : ((b * heads + h) * seq + s) * size;
        row.set(out.subarray(at, at + size));
        rotateRow(tables, b, s, row);
        out.set(row, at);
      }
    }
  }
  return out;
}

/** The position biases of one node, each optional. */
export interface PositionBiases {
  readonly alibi?: { readonly slopes: ArrayLike<number>; readonly form: AlibiForm };
  readonly relative?: { readonly table: ArrayLike<number>; readonly maxDistance: number };
  /** key_positions [B or 1, T], or undefined for k_j = j. */
  readonly keyPositions?: { readonly values: ArrayLike<number>; readonly broadcastBatch: boolean };
}

/** Adds the position biases of (b, h, query position q) to `row` (length T). */
export function addPositionBiases(biases: PositionBiases, b: number, h: number, q: number, row: Float64Array): void {
  const { alibi, relative, keyPositions } = biases;
  if (!alibi && !relative) return;
  const width = row.length;
  const keyBase = keyPositions && !keyPositions.broadcastBatch ? b * width : 0;
  for (let j = 0; j < width; j++) {
    const k = keyPositions ? keyPositions.values[keyBase + j] : j;
    if (alibi) row[j] += alibi.slopes[h] * alibiFactor(alibi.form, k, q);
    if (relative) {
      const m = relative.maxDistance;
      row[j] += relative.table[h * (2 * m + 1) + Math.min(Math.max(k - q, -m), m) + m];
    }
  }
}

/** What the ALiBi slope multiplies for key position k and query position q. */
export function alibiFactor(form: AlibiForm, k: number, q: number): number {
  switch (form) {
    case 'key':
      return k;
    case 'relative':
      return k - q;
    case 'symmetric':
      return -Math.abs(k - q);
  }
}

/**
 * Rotary embedding of a [B, H, S, D] tensor with tables [B or 1, S, R/2]
 * (attention-position.ts semantics), in f64, as a new f32 tensor: what the
 * Attention reference does to Q and K, for checks outside the op.
 */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor, interleaved: boolean): Tensor {
  const [batch, heads, seq, size] = x.shape;
  const tables = rotaryTables(cos, sin, interleaved)!;
  return { dtype: 'f32', shape: [...x.shape], data: Float32Array.from(rotateRows(numericValues(x), tables, { rank3: false, batch, heads, seq, size })) };
}
