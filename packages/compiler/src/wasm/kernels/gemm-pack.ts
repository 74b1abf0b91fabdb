/**
 * The packed-panel layout of GEMM's B operand, at compile time (constant
 * weights) and at run time (B computed by the graph).
 *
 * Layout: panel p holds columns [8p, 8p + 8) of B as K rows of 8
 * consecutive floats — panel-major, then k, then column — so the
 * micro-kernel reads one 32-byte row per k from a single stream. Columns
 * past N are zero. A packed Linear weight starts with the bias, zero-padded
 * to a multiple of 8 floats, followed by the panels.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { PANEL_WIDTH } from './gemm-tile.js';

/** Floats of B in packed form: whole panels of 8 columns. */
export function packedFloats(k: number, n: number): number {
  return Math.ceil(n / PANEL_WIDTH) * PANEL_WIDTH * k;
}

/**
 * Packs a constant weight (and bias) at compile time. `weight` is [K, N]
 * row-major, or [N, K] when `transposed`.
 */
export function packWeight(weight: Float32Array, k: number, n: number, transposed: boolean, bias?: Float32Array): Float32Array {
  const panels = Math.ceil(n / PANEL_WIDTH);
  const biasFloats = bias ? panels * PANEL_WIDTH : 0;
  const out = new Float32Array(biasFloats + panels * PANEL_WIDTH * k);
  if (bias) out.set(bias);
  for (let panel = 0; panel < panels; panel++) {
    for (let row = 0; row < k; row++) {
      const base = biasFloats + (panel * k + row) * PANEL_WIDTH;
      for (let lane = 0; lane < PANEL_WIDTH; lane++) {
        const column = panel * PANEL_WIDTH + lane;
        if (column < n) out[base + lane] = transposed ? weight[column * k + row] : weight[row * n + column];
      }
    }
  }
  return out;
}

/** Locals and sizes of a runtime packing. */
export interface RuntimePack {
  /** B's first element. */
  readonly source: Local;
  /** Where the panels go. */
  readonly destination: Local;
  readonly k: Local;
  readonly n: Local;
  /** B is stored as [N, K] (transposed). */
  readonly transposed: boolean;
  /** A factor applied while packing (FusedMatMul's and Gemm's alpha), 1 for none. */
  readonly scale: number;
}

/**
 * Statements that pack B at run time into the panel layout (zero-padded
 * tail panel). Whole panels move as vectors: an untransposed B row segment
 * is two loads and two stores per k; a transposed B (rows of Bᵀ are the
 * panel's columns) goes 4 values of k at a time through two 4×4 lane
 * transposes. The tail panel and the last K % 4 values go lane by lane.
 */
export function packAtRuntime(f: FunctionBuilder, pack: RuntimePack): Expr[] {
  const i = f.i32;
  const locals: PackLocals = {
    panel: f.local('packPanel', 'i32'),
    row: f.local('packRow', 'i32'),
    lane: f.local('packLane', 'i32'),
    column: f.local('packColumn', 'i32'),
    to: f.local('packTo', 'i32'),
    rows: Array.from({ length: PANEL_WIDTH }, (_, index) => f.local(`packBt${index}`, 'v128')),
    transposed: Array.from({ length: 4 }, (_, index) => f.local(`packT${index}`, 'v128')),
  };
  const panels = i.shrS(i.add(pack.n.get(), i.const(PANEL_WIDTH - 1)), 3);
  const isWhole = i.le(i.shl(i.add(locals.panel.get(), i.const(1)), 3), pack.n.get());
  const laneByLaneFrom = (start: Expr): Expr => f.for(locals.row, start, pack.k.get(), 1, [...laneByLane(f, pack, locals), advance(f, locals, 1)]);
  const wholePanel = pack.transposed
    ? [f.for(locals.row, i.const(0), i.sub(pack.k.get(), i.const(3)), 4, transposedSteps(f, pack, locals)), laneByLaneFrom(locals.row.get())]
    : [f.for(locals.row, i.const(0), pack.k.get(), 1, [...wholeRow(f, pack, locals), advance(f, locals, 1)])];
  return [
    locals.to.set(pack.destination.get()),
    f.for(locals.panel, i.const(0), panels, 1, [f.if(isWhole, wholePanel, [laneByLaneFrom(i.const(0))])]),
  ];
}

interface PackLocals {
  readonly panel: Local;
  readonly row: Local;
  readonly lane: Local;
  readonly column: Local;
  readonly to: Local;
  readonly rows: readonly Local[];
  readonly transposed: readonly Local[];
}

/** Moves the destination on by `ks` packed rows. */
function advance(f: FunctionBuilder, t: PackLocals, ks: number): Expr {
  return t.to.set(f.i32.add(t.to.get(), f.i32.const(ks * PANEL_WIDTH * 4)));
}

function scaled(f: FunctionBuilder, pack: RuntimePack, value: Expr): Expr {
  return pack.scale === 1 ? value : f.f32x4.mul(value, f.f32x4.const(pack.scale));
}

/** Byte address of B's element (k, column). */
function elementAddress(f: FunctionBuilder, pack: RuntimePack, k: Expr, column: Expr): Expr {
  const i = f.i32;
  const index = pack.transposed ? i.add(i.mul(column, pack.k.get()), k) : i.add(i.mul(k, pack.n.get()), column);
  return i.add(pack.source.get(), i.shl(index, 2));
}

/** One packed row (k = row) lane by lane: zero past N. */
function laneByLane(f: FunctionBuilder, pack: RuntimePack, t: PackLocals): Expr[] {
  const i = f.i32;
  const value = f.f32.load(elementAddress(f, pack, t.row.get(), t.column.get()));
  const scaledValue = pack.scale === 1 ? value : f.f32.mul(value, f.f32.const(pack.scale));
  return [
    f.for(t.lane, i.const(0), i.const(PANEL_WIDTH), 1, [
      t.column.set(i.add(i.shl(t.panel.get(), 3), t.lane.get())),
      f.f32.store(i.add(t.to.get(), i.shl(t.lane.get(), 2)), f.f32.select(i.lt(t.column.get(), pack.n.get()), scaledValue, f.f32.const(0))),
    ]),
  ];
}

/** One packed row of an untransposed B: its 8 consecutive values. */
function wholeRow(f: FunctionBuilder, pack: RuntimePack, t: PackLocals): Expr[] {
  const v = f.f32x4;
  const from = (): Expr => elementAddress(f, pack, t.row.get(), f.i32.shl(t.panel.get(), 3));
  return [v.store(t.to.get(), scaled(f, pack, v.load(from()))), v.store(t.to.get(), scaled(f, pack, v.load(from(), 16)), 16)];
}

/** Four packed rows of a transposed B: load 4 values of k from each of the panel's 8 columns, transpose 4×4 twice. */
function transposedSteps(f: FunctionBuilder, pack: RuntimePack, t: PackLocals): Expr[] {
  const i = f.i32;
  const lanes = f.lanes;
  const statements: Expr[] = t.rows.map((local, column) => local.set(f.f32x4.load(elementAddress(f, pack, t.row.get(), i.add(i.shl(t.panel.get(), 3), i.const(column))))));
  for (let half = 0; half < 2; half++) {
    const [r0, r1, r2, r3] = t.rows.slice(4 * half, 4 * half + 4);
    statements.push(
      t.transposed[0].set(lanes.shuffle32(r0.get(), r1.get(), [0, 4, 1, 5])),
      t.transposed[1].set(lanes.shuffle32(r2.get(), r3.get(), [0, 4, 1, 5])),
      t.transposed[2].set(lanes.shuffle32(r0.get(), r1.get(), [2, 6, 3, 7])),
      t.transposed[3].set(lanes.shuffle32(r2.get(), r3.get(), [2, 6, 3, 7])),
    );
    const [t0, t1, t2, t3] = t.transposed;
    const kRows: [Local, Local, readonly [number, number, number, number]][] = [[t0, t1, [0, 1, 4, 5]], [t0, t1, [2, 3, 6, 7]], [t2, t3, [0, 1, 4, 5]], [t2, t3, [2, 3, 6, 7]]];
    kRows.forEach(([a, b, pick], k) => statements.push(f.f32x4.store(t.to.get(), scaled(f, pack, lanes.shuffle32(a.get(), b.get(), pick)), k * PANEL_WIDTH * 4 + 16 * half)));
  }
  return [...statements, advance(f, t, 4)];
}
