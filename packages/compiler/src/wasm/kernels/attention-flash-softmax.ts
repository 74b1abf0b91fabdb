/**
 * The flash kernel's online softmax, folded into the score tile's epilogue
 * while the 4×8 scores are still in registers. Scores are in base 2 (the
 * kernel folds log2 e into the query scale), so P = exp(s) = 2^(S - m).
 * Each row keeps a reference max m (the running max, updated lazily) and
 * exponentiates against it:
 *   P = 2^(S - m), masked keys (S = -inf) exactly 0, NaN kept;
 *   l += P (a vector of partial sums per row); P goes to the S scratch for P·V.
 * m moves only when a score exceeds m + RESCALE_THRESHOLD (P then stays
 * below 2^8, far from f32's range): that rare event rescales the row's O,
 * its P already written in this block and its sum by 2^(m - m'), so most
 * tiles pay no rescaling and the P·V phase never scales O.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { vexp2Into } from './vector-exp.js';

/** Scores may exceed a row's reference max by this much (base 2) before it moves. */
export const RESCALE_THRESHOLD = 8;

/** What the softmax epilogue works on. */
export interface FlashSoftmaxState {
  readonly rows: number;
  /** Keys per block (the S scratch holds `rows` rows of this many scores, then the row state). */
  readonly blockKeys: number;
  readonly valueHeadSize: number;
  /** acc[r][c]: the score tile, 8 keys per row as two vectors. */
  readonly acc: readonly (readonly Local[])[];
}

/**
 * Floats of per-row state after the P rows in the S scratch: each row's
 * partial sums of P (a vector), then each row's m and m + threshold. It
 * lives in memory, not in locals: V8 keeps f32 locals in vector registers,
 * which the 4×8 tile needs.
 */
export const ROW_STATE_FLOATS_PER_ROW = 6;

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

/** Byte addresses of row r's state: its sums vector, m and bound (m + threshold). */
function stateAddress(f: FunctionBuilder, state: FlashSoftmaxState, r: number, field: 'sums' | 'max' | 'bound'): Expr {
  const base = state.rows * state.blockKeys * 4;
  const offset = field === 'sums' ? base + r * 16 : base + state.rows * 16 + (field === 'max' ? r : state.rows + r) * 4;
  return f.i32.add(f.get('sScratch'), f.i32.const(offset));
}

/** Statements that start a query tile: m = m + threshold = -inf, sums 0, for every row. */
export function initialiseRowState(f: FunctionBuilder, state: FlashSoftmaxState): Expr[] {
  return range(state.rows).flatMap((r) => [
    f.f32x4.store(stateAddress(f, state, r, 'sums'), f.f32x4.zero()),
    f.f32.store(stateAddress(f, state, r, 'max'), f.f32.const(-Infinity)),
    f.f32.store(stateAddress(f, state, r, 'bound'), f.f32.const(-Infinity)),
  ]);
}

/** Statements that set the f32 local `out` to row r's sum of P, l. */
export function rowSumInto(f: FunctionBuilder, state: FlashSoftmaxState, r: number, out: Local): Expr[] {
  const sums = f.temp('v128');
  return [sums.set(f.f32x4.load(stateAddress(f, state, r, 'sums'))), out.set(f.f32x4.sum(sums))];
}

/**
 * Statements for one score tile (keys j .. j+7 of the block, tile index
 * local `jt`): the lazy max check (and rare rescale), then P and the sums.
 * `sAddress(r)` is the byte address of S[r][8·jt]; locals `sScratch`,
 * `oScratch` and `c` are the kernel's.
 */
export function softmaxTile(f: FunctionBuilder, state: FlashSoftmaxState, sAddress: (r: number) => Expr): Expr[] {
  return [f.if(exceedsReference(f, state), range(state.rows).map((r) => rescaleRow(f, state, r))), ...range(state.rows).flatMap((r) => exponentiateRow(f, state, r, sAddress))];
}

/** True when some score of the tile exceeds its row's m + threshold (m = -inf at first: any finite score does). */
function exceedsReference(f: FunctionBuilder, state: FlashSoftmaxState): Expr {
  const v = f.f32x4;
  // pmax may drop a NaN here: NaN scores need no rescale (they propagate through P).
  const rowFlags = state.acc.map((row, r) => v.gt(v.pmax(row[0].get(), row[1].get()), v.loadSplat(stateAddress(f, state, r, 'bound'))));
  return v.anyTrue(rowFlags.reduce((a, b) => v.or(a, b)));
}

/** Row r: when its tile max passes m + threshold, m' = tile max and O, this block's P and the sums are scaled by 2^(m - m'). */
function rescaleRow(f: FunctionBuilder, state: FlashSoftmaxState, r: number): Expr {
  const { f32: x, f32x4: v, i32: i } = f;
  const tileMax = f.temp('v128');
  const oldMax = f.temp('f32');
  const newMax = f.temp('f32');
  const factor = f.temp('v128');
  const oRow = f.temp('i32');
  const sRow = f.temp('i32');
  const scaleRange = (base: Local, bytes: Expr): Expr =>
    f.for(f.v('c'), i.const(0), bytes, 16, [v.store(i.add(base.get(), f.get('c')), v.mul(v.load(i.add(base.get(), f.get('c'))), factor.get()))]);
  return f.block([
    tileMax.set(v.max(state.acc[r][0].get(), state.acc[r][1].get())),
    oldMax.set(x.load(stateAddress(f, state, r, 'max'))),
    newMax.set(x.max(oldMax.get(), v.maxLanes(tileMax))),
    f.if(x.gt(newMax.get(), x.load(stateAddress(f, state, r, 'bound'))), [
      f.if(x.ne(oldMax.get(), x.const(-Infinity)), [
        ...vexp2Into(f, factor, v.splat(x.sub(oldMax.get(), newMax.get()))),
        oRow.set(i.add(f.get('oScratch'), i.const(r * state.valueHeadSize * 4))),
        scaleRange(oRow, i.const(Math.floor(state.valueHeadSize / 4) * 16)),
        ...scalarTail(f, state, r, factor),
        sRow.set(i.add(f.get('sScratch'), i.const(r * state.blockKeys * 4))),
        scaleRange(sRow, i.shl(f.get('jt'), 5)),
        v.store(stateAddress(f, state, r, 'sums'), v.mul(v.load(stateAddress(f, state, r, 'sums')), factor.get())),
      ]),
      x.store(stateAddress(f, state, r, 'max'), newMax.get()),
      x.store(stateAddress(f, state, r, 'bound'), x.add(newMax.get(), x.const(RESCALE_THRESHOLD))),
    ]),
  ]);
}

/** O[r][d] *= factor for the value dims past the last multiple of 4. */
function scalarTail(f: FunctionBuilder, state: FlashSoftmaxState, r: number, factor: Local): Expr[] {
  const { f32: x, i32: i } = f;
  const start = Math.floor(state.valueHeadSize / 4) * 4;
  return range(state.valueHeadSize - start).map((k) => {
    const at = (): Expr => i.add(f.get('oScratch'), i.const((r * state.valueHeadSize + start + k) * 4));
    return x.store(at(), x.mul(x.load(at()), f.f32x4.extract(factor.get(), 0)));
  });
}

/** Row r: P = 2^(S - m) with masked keys 0 (NaN kept), stored to S[r][8·jt..], added to the row's sums. */
function exponentiateRow(f: FunctionBuilder, state: FlashSoftmaxState, r: number, sAddress: (r: number) => Expr): Expr[] {
  const v = f.f32x4;
  const p = state.acc[r].map(() => f.temp('v128'));
  const exponents = state.acc[r].flatMap((score, c) => [
    ...vexp2Into(f, p[c], v.sub(score.get(), v.loadSplat(stateAddress(f, state, r, 'max')))),
    // -inf (a masked key) gives exactly 0; NaN != -inf, so NaN propagates like the reference.
    p[c].set(v.and(p[c].get(), f.lanes.f32Ne(score.get(), v.const(-Infinity)))),
    v.store(sAddress(r), p[c].get(), c * 16),
  ]);
  const sums = (): Expr => stateAddress(f, state, r, 'sums');
  return [...exponents, v.store(sums(), v.add(v.load(sums()), v.add(p[0].get(), p[1].get())))];
}
