/**
 * Reading a position bias out of an additive mask term. A bias that depends
 * on the inputs only through their shapes (a registered ALiBi buffer sliced
 * to the sequence, `slope * (arange(S)[None] - arange(S)[:, None])`, T5's
 * bucket of j - i looked up in a learned [buckets, H] table) is a function of
 * positions alone. It is evaluated, like the causal probe, at several sizes
 * and fitted:
 *
 *   ALiBi     bias[h, i, j] = slope_h · f(k, q), f = k | k - q | -|k - q|
 *   relative  bias[h, i, j] = table[h, clamp(k - q, -M, M) + M]  (constant beyond distance M)
 *
 * with q = offset + i (the causal diagonal's offset) and k = j. Keys a
 * causal mask hides are not read. The Attention then computes the bias in
 * its kernel from positions; no [B, H, S, S] tensor exists.
 */
import { ALIBI_FORMS, dimSymbols, evaluateDim, numericValues, type AlibiForm, type Dim } from '@ladon/ir';
import type { GraphIndex } from './layout.js';
import { collectSymbols, evaluateCone, shapeOnlyCone } from './mask-probe.js';

/** The scores a bias is added to. */
export interface ScoreGeometry {
  readonly heads: number;
  readonly rows: Dim;
  readonly cols: Dim;
  /** The causal diagonal's offset (the past length with a cache), query position q = offset + i. */
  readonly offset: Dim;
  /** Keys j > q are masked anyway: their bias is never read. */
  readonly causal: boolean;
}

/** A bias computed from positions. */
export type PositionBias =
  | { readonly kind: 'alibi'; readonly slopes: readonly number[]; readonly form: AlibiForm }
  | { readonly kind: 'relative'; readonly maxDistance: number; /** [H, 2M + 1] */ readonly table: readonly number[] };

/** One evaluation of the bias: bias(h, i, j) at concrete sizes. */
interface BiasSample {
  readonly rows: number;
  readonly cols: number;
  readonly offset: number;
  readonly at: (h: number, i: number, j: number) => number;
  /** The bias has a row axis (it depends on i). */
  readonly byRow: boolean;
}

const SAMPLE_SIZES = [7, 11];
/** Relative biases saturate at their max distance: the large sample must reach beyond it. */
const LARGE_SAMPLE = 300;
const MARGIN = 8;
/** A sample is evaluated by the reference ops: never one larger than this (a static-shape graph at full size). */
const MAX_SAMPLE_ELEMENTS = 1 << 22;
const TOLERANCE = 1e-5;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The position bias `value` is, or undefined. */
export function readPositionBias(index: GraphIndex, value: string, geometry: ScoreGeometry): PositionBias | undefined {
  const cone = shapeOnlyCone(index, value);
  if (!cone) return undefined;
  const small = SAMPLE_SIZES.map((size) => sample(index, cone, value, geometry, size));
  if (small.some((s) => !s)) return undefined;
  const samples = small as BiasSample[];
  const alibi = fitAlibi(samples, geometry);
  if (alibi) return alibi;
  const large = sample(index, cone, value, geometry, LARGE_SAMPLE);
  return large ? fitRelative(large, samples, geometry) : undefined;
}

function sample(index: GraphIndex, cone: Parameters<typeof evaluateCone>[1], value: string, geometry: ScoreGeometry, size: number): BiasSample | undefined {
  const scoreSymbols = new Set([geometry.rows, geometry.cols, geometry.offset].flatMap((dim) => dimSymbols(dim)));
  const bindings = new Map(collectSymbols(index.graph).map((symbol, i) => [symbol, scoreSymbols.has(symbol) ? size : 3 + i]));
  const [rows, cols, offset] = [geometry.rows, geometry.cols, geometry.offset].map((dim) => evaluateDim(dim, bindings));
  if (rows === undefined || cols === undefined || offset === undefined || rows * cols * geometry.heads > MAX_SAMPLE_ELEMENTS) return undefined;
  const tensor = evaluateCone(index, cone, value, bindings);
  if (!tensor || tensor.shape.length > 4) return undefined;
  const [b, h, r, c] = [...new Array<number>(4 - tensor.shape.length).fill(1), ...tensor.shape];
  if (c !== cols || (r !== rows && r !== 1) || (h !== geometry.heads && h !== 1) || b < 1) return undefined;
  const data = numericValues(tensor);
  const at = (head: number, i: number, j: number): number => data[((h === 1 ? 0 : head) * r + (r === 1 ? 0 : i)) * c + j];
  return { rows, cols, offset, at, byRow: r !== 1 };
}

/** Calls `visit(h, i, j, q)` for every entry a causal mask does not hide. */
function forAllowed(s: BiasSample, geometry: ScoreGeometry, visit: (h: number, i: number, j: number, q: number) => boolean): boolean {
  for (let h = 0; h < geometry.heads; h++) {
    for (let i = 0; i < s.rows; i++) {
      const q = s.offset + i;
      for (let j = 0; j < s.cols; j++) if ((!geometry.causal || j <= q) && !visit(h, i, j, q)) return false;
    }
  }
  return true;
}

function alibiFactor(form: AlibiForm, k: number, q: number): number {
  return form === 'key' ? k : form === 'relative' ? k - q : -Math.abs(k - q);
}

/** Slopes read off the last row (every key visible there), and the first form every sample agrees with. */
function fitAlibi(samples: readonly BiasSample[], geometry: ScoreGeometry): PositionBias | undefined {
  const [first] = samples;
  const last = first.rows - 1;
  const slopes = Array.from({ length: geometry.heads }, (_, h) => first.at(h, last, 1) - first.at(h, last, 0));
  if (slopes.every((slope) => slope === 0)) return undefined;
  const forms = ALIBI_FORMS.filter((form) => form === 'key' || samples.every((s) => s.byRow));
  const form = forms.find((candidate) => samples.every((s) => forAllowed(s, geometry, (h, i, j, q) => close(s.at(h, i, j), Math.fround(slopes[h] * alibiFactor(candidate, j, q))))));
  return form ? { kind: 'alibi', slopes, form } : undefined;
}

/** A bias that is a function of (h, k - q) and constant beyond some distance M. */
function fitRelative(large: BiasSample, samples: readonly BiasSample[], geometry: ScoreGeometry): PositionBias | undefined {
  const byDistance = Array.from({ length: geometry.heads }, () => new Map<number, number>());
  const consistent = forAllowed(large, geometry, (h, i, j, q) => {
    const known = byDistance[h].get(j - q);
    if (known === undefined) byDistance[h].set(j - q, large.at(h, i, j));
    return known === undefined || close(known, large.at(h, i, j));
  });
  if (!consistent) return undefined;
  const maxDistance = Math.max(...byDistance.map((values) => saturation(values, geometry.causal)));
  if (!Number.isFinite(maxDistance)) return undefined;
  const width = 2 * maxDistance + 1;
  const table = byDistance.flatMap((values) => Array.from({ length: width }, (_, n) => values.get(Math.min(n - maxDistance, geometry.causal ? 0 : maxDistance))!));
  const lookup = (h: number, n: number): number => table[h * width + Math.min(Math.max(n, -maxDistance), maxDistance) + maxDistance];
  const agrees = samples.every((s) => forAllowed(s, geometry, (h, i, j, q) => close(s.at(h, i, j), lookup(h, j - q))));
  return agrees ? { kind: 'relative', maxDistance, table } : undefined;
}

/** The smallest M beyond which the values are constant on each side, seen for at least MARGIN more distances; Infinity if none. */
function saturation(values: ReadonlyMap<number, number>, causal: boolean): number {
  const distances = [...values.keys()];
  const [low, high] = [Math.min(...distances), Math.max(...distances)];
  const constantFrom = (sign: 1 | -1, end: number): number => {
    let m = Math.abs(end);
    while (m > 0 && close(values.get(sign * (m - 1))!, values.get(sign * Math.abs(end))!)) m--;
    return m;
  };
  const negative = constantFrom(-1, low);
  const positive = causal ? 0 : constantFrom(1, high);
  const m = Math.max(negative, positive);
  const seen = -low >= m + MARGIN && (causal || high >= m + MARGIN);
  return seen ? m : Infinity;
}
