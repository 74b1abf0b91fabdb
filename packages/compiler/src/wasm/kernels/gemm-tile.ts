/**
 * The GEMM micro-kernel: a register tile of up to 4 rows × 8 columns of Y
 * (eight f32x4 accumulators) computed over one block of K from A rows
 * (read in place, one splat per row and k) and a packed B panel (8
 * consecutive floats per k). Per k: 2 vector loads of B, `rows` splat loads
 * of A and 2·rows FMAs (relaxed_madd in the relaxed module). With a
 * static K, the rows of A are static offsets from one moving pointer.
 *
 * Accumulators start from the bias (first K block) or from Y (later
 * blocks) and are written back to Y; a tail panel narrower than 8 columns
 * loads and stores only its valid lanes.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';

/** Rows of the register tile (4 measured best: 5 or 6 rows need more than the 15 v128 registers V8 allocates and spill). */
export const TILE_ROWS = 4;
/** Columns of a packed B panel (two f32x4). */
export const PANEL_WIDTH = 8;
/** Bytes of one packed panel row (one k). */
export const PANEL_ROW_BYTES = PANEL_WIDTH * 4;

/** An i32 that is either baked into the kernel or held in a local. */
export type IntValue = number | Local;

/** The i32 expression of an {@link IntValue}. */
export function intExpr(f: FunctionBuilder, value: IntValue): Expr {
  return typeof value === 'number' ? f.i32.const(value) : value.get();
}

/** The locals a tile reads; the macro loop sets them before each tile. */
export interface TileLocals {
  /** A at (first row of the tile, first k of the block). */
  readonly a: Local;
  /** The packed panel at the first k of the block. */
  readonly b: Local;
  /** Y at (first row of the tile, first column of the panel). */
  readonly y: Local;
  /** The (padded) bias at the first column of the panel, when there is a bias. */
  readonly bias: Local;
  /** Non-zero on the first K block. */
  readonly first: Local;
  /** Scratch locals of the tile: accumulators [row][half], B halves, splat, moving pointers. */
  readonly acc: readonly (readonly [Local, Local])[];
  readonly b0: Local;
  readonly b1: Local;
  readonly splat: Local;
  readonly kb: Local;
  readonly ka: readonly Local[];
}

/** The shape of one tile instantiation. */
export interface TileShape {
  readonly rows: number;
  /** Columns of Y this panel covers: 8, or the tail width (static or runtime). */
  readonly width: IntValue;
  /**
   * Bytes between rows of A and of Y. With `aPacked`, A was copied into the
   * tile-interleaved layout [k][4 rows] instead and `aRowBytes` is unused.
   */
  readonly aRowBytes: IntValue;
  readonly aPacked: boolean;
  readonly yRowBytes: IntValue;
  /** Length of this K block. */
  readonly kLength: IntValue;
  readonly hasBias: boolean;
  /** True when K is one block: accumulators always start from the bias. */
  readonly singleBlock: boolean;
}

/** Declares the tile's scratch locals (once per function). */
export function declareTileLocals(f: FunctionBuilder, pointers: Pick<TileLocals, 'a' | 'b' | 'y' | 'bias' | 'first'>): TileLocals {
  const acc = Array.from({ length: TILE_ROWS }, (_, r) => [f.local(`acc${r}_0`, 'v128'), f.local(`acc${r}_1`, 'v128')] as const);
  return {
    ...pointers,
    acc,
    b0: f.local('b0', 'v128'),
    b1: f.local('b1', 'v128'),
    splat: f.local('splat', 'v128'),
    kb: f.local('kb', 'i32'),
    ka: Array.from({ length: TILE_ROWS }, (_, r) => f.local(`ka${r}`, 'i32')),
  };
}

/** The statements of one tile: initialise, run the K block, store. */
export function gemmTile(f: FunctionBuilder, locals: TileLocals, shape: TileShape): Expr[] {
  return [...initialise(f, locals, shape), ...kLoop(f, locals, shape), ...storeTile(f, locals, shape)];
}

function initialise(f: FunctionBuilder, t: TileLocals, shape: TileShape): Expr[] {
  const v = f.f32x4;
  const fromBias: Expr[] = [];
  const fromY: Expr[] = [];
  for (let r = 0; r < shape.rows; r++) {
    for (let half = 0; half < 2; half++) {
      fromBias.push(t.acc[r][half].set(shape.hasBias ? v.load(t.bias.get(), 16 * half) : v.zero()));
      if (!shape.singleBlock) fromY.push(...loadYHalf(f, t, shape, r, half));
    }
  }
  return shape.singleBlock ? fromBias : [f.if(t.first.get(), fromBias, fromY)];
}

/** Address of Y row `r` of the tile. */
function yRow(f: FunctionBuilder, t: TileLocals, shape: TileShape, r: number): Expr {
  if (r === 0) return t.y.get();
  return typeof shape.yRowBytes === 'number' ? f.i32.add(t.y.get(), f.i32.const(r * shape.yRowBytes)) : f.i32.add(t.y.get(), f.i32.mul(f.i32.const(r), shape.yRowBytes.get()));
}

/** Sets accumulator (r, half) to lanes [4·half, 4·half + 4) of Y row `r`, reading only lanes below the panel's width. */
function loadYHalf(f: FunctionBuilder, t: TileLocals, shape: TileShape, r: number, half: number): Expr[] {
  const acc = t.acc[r][half];
  const { width } = shape;
  const whole = (): Expr => acc.set(f.f32x4.load(yRow(f, t, shape, r), 16 * half));
  if (typeof width === 'number' && width >= 4 * half + 4) return [whole()];
  const lane = (index: number): Expr => acc.set(f.lanes.replaceF32(acc.get(), index, f.f32.load(yRow(f, t, shape, r), 4 * (4 * half + index))));
  const partial: Expr[] = [acc.set(f.f32x4.zero())];
  for (let index = 0; index < 4; index++) {
    const column = 4 * half + index;
    if (typeof width === 'number') {
      if (column < width) partial.push(lane(index));
    } else {
      partial.push(f.if(f.i32.lt(f.i32.const(column), width.get()), [lane(index)]));
    }
  }
  if (typeof width === 'number') return partial;
  return [f.if(f.i32.eq(width.get(), f.i32.const(PANEL_WIDTH)), [whole()], partial)];
}

/** The rows' A pointers advance together; with a static row stride one pointer and static offsets suffice. */
function setRowPointers(f: FunctionBuilder, t: TileLocals, shape: TileShape): Expr[] {
  const statements = [t.ka[0].set(t.a.get())];
  if (shape.aPacked || typeof shape.aRowBytes === 'number') return statements;
  for (let r = 1; r < shape.rows; r++) statements.push(t.ka[r].set(f.i32.add(t.ka[r - 1].get(), shape.aRowBytes.get())));
  return statements;
}

/** The splat of A at row `r` and the current k. */
function loadA(f: FunctionBuilder, t: TileLocals, shape: TileShape, r: number): Expr {
  if (shape.aPacked) return f.f32x4.loadSplat(t.ka[0].get(), 4 * r);
  if (typeof shape.aRowBytes === 'number') return f.f32x4.loadSplat(t.ka[0].get(), r * shape.aRowBytes);
  return f.f32x4.loadSplat(t.ka[r].get());
}

/** One k step: two B halves, then per row a splat and two FMAs. */
function kStep(f: FunctionBuilder, t: TileLocals, shape: TileShape): Expr[] {
  const v = f.f32x4;
  const statements = [t.b0.set(v.load(t.kb.get())), t.b1.set(v.load(t.kb.get(), 16))];
  for (let r = 0; r < shape.rows; r++) {
    statements.push(t.splat.set(loadA(f, t, shape, r)));
    statements.push(t.acc[r][0].set(v.fma(t.splat.get(), t.b0.get(), t.acc[r][0].get())));
    statements.push(t.acc[r][1].set(v.fma(t.splat.get(), t.b1.get(), t.acc[r][1].get())));
  }
  return statements;
}

/** Advances the A pointers by one value of k. */
function advanceA(f: FunctionBuilder, t: TileLocals, shape: TileShape): Expr[] {
  if (shape.aPacked) return [t.ka[0].set(f.i32.add(t.ka[0].get(), f.i32.const(4 * TILE_ROWS)))];
  const count = typeof shape.aRowBytes === 'number' ? 1 : shape.rows;
  return t.ka.slice(0, count).map((pointer) => pointer.set(f.i32.add(pointer.get(), f.i32.const(4))));
}

/**
 * The K loop, one k per iteration. It is deliberately not unrolled here:
 * binaryen's optimiser would fold the unrolled steps into one FMA chain per
 * accumulator, keeping every step's B vectors live at once (spills, -30%);
 * V8's optimising tier unrolls this small loop itself.
 */
function kLoop(f: FunctionBuilder, t: TileLocals, shape: TileShape): Expr[] {
  const end = typeof shape.kLength === 'number' ? f.i32.const(shape.kLength * PANEL_ROW_BYTES) : f.i32.shl(shape.kLength.get(), 5);
  return [...setRowPointers(f, t, shape), f.for(t.kb, t.b.get(), f.i32.add(t.b.get(), end), PANEL_ROW_BYTES, [...kStep(f, t, shape), ...advanceA(f, t, shape)])];
}

/** Writes the accumulators back to Y: whole halves as vectors, a partial half lane by lane. */
function storeTile(f: FunctionBuilder, t: TileLocals, shape: TileShape): Expr[] {
  const rows = Array.from({ length: shape.rows }, (_, r) => r);
  const { width } = shape;
  if (typeof width === 'number') return rows.flatMap((r) => storeRow(f, t, shape, r, (column) => (column < width ? 'store' : 'skip')));
  const whole = rows.flatMap((r) => storeRow(f, t, shape, r, () => 'store'));
  const partial = rows.flatMap((r) => storeRow(f, t, shape, r, (column) => f.i32.lt(f.i32.const(column), width.get())));
  return [f.if(f.i32.eq(width.get(), f.i32.const(PANEL_WIDTH)), whole, partial)];
}

/** Stores row `r` of the tile; `keep(column)` says whether a column is stored, skipped, or stored under a runtime condition. */
function storeRow(f: FunctionBuilder, t: TileLocals, shape: TileShape, r: number, keep: (column: number) => 'store' | 'skip' | Expr): Expr[] {
  const statements: Expr[] = [];
  for (let half = 0; half < 2; half++) {
    const columns = [0, 1, 2, 3].map((lane) => 4 * half + lane);
    const decisions = columns.map(keep);
    if (decisions.every((decision) => decision === 'store')) {
      statements.push(f.f32x4.store(yRow(f, t, shape, r), t.acc[r][half].get(), 16 * half));
      continue;
    }
    columns.forEach((column, lane) => {
      const decision = decisions[lane];
      if (decision === 'skip') return;
      const store = f.f32.store(yRow(f, t, shape, r), f.f32x4.extract(t.acc[r][half].get(), lane), 4 * column);
      statements.push(decision === 'store' ? store : f.if(decision, [store]));
    });
  }
  return statements;
}
