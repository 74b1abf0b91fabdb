/**
 * The GEMM macro-kernel: `Y[M, N] = A[M, K] · B[K, N] (+ bias)` with B
 * packed into panels of 8 columns (see gemm-pack.ts) and A, Y row-major.
 *
 * Loop nest (outermost first), after the Goto/BLIS scheme:
 *   k0 — blocks of K (`kBlock` values of k), so a panel block stays in L1;
 *   i0 — blocks of `mBlock` rows of A, which stay in L2 across panels;
 *   p  — panels of 8 columns (the last one may be narrower);
 *   i  — tiles of 4 rows (then one tile of 3, 2 or 1 rows).
 * Each tile is the register micro-kernel of gemm-tile.ts. The first K
 * block starts from the bias, later ones add to what Y holds. With a
 * runtime K (the general kernel) each A block is first copied into a
 * tile-interleaved scratch ([tile][k][4 rows]), so the micro-kernel reads A
 * from one stream at static offsets instead of four row pointers (1.6x on
 * 512×768×768).
 *
 * Also the kernel for Linear with a constant weight: K and N are baked in,
 * the weight (and bias) were packed at compile time, only M is a runtime size.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { PART_PARAMS, rowShare } from './parts.js';
import { declareTileLocals, gemmTile, intExpr, PANEL_ROW_BYTES, PANEL_WIDTH, TILE_ROWS, type IntValue, type TileLocals, type TileShape } from './gemm-tile.js';

/**
 * Sizes of the loop nest: K blocks of 256 (an 8 KiB panel block stays in
 * L1 across the row tiles) and row blocks of 64 (a 64 KiB A block stays in
 * L2 across the panels). Measured on Zen 4, 512×768×768: blocking choices
 * between 64 and 512 differ by less than the machine's noise.
 */
export const GEMM_BLOCKING = { kBlock: 256, mBlock: 64 } as const;

/** What one macro-kernel instance computes. */
export interface GemmMacroPlan {
  /** K and N: baked in (numbers) or runtime locals. */
  readonly k: IntValue;
  readonly n: IntValue;
  readonly hasBias: boolean;
  /** Copy each block of A into the tile-interleaved layout first (needs `operands.packA`). */
  readonly packA: boolean;
}

/** The pointers and row count a macro-kernel works on (locals of the calling kernel). */
export interface GemmOperands {
  /** A, row-major [M, K]. */
  readonly a: Local;
  /** B packed in panels: panel p is [K][8] floats, zero-padded past N. */
  readonly packed: Local;
  /** The bias padded with zeros to a multiple of 8 (read only when the plan has a bias). */
  readonly bias: Local;
  /** Y, row-major [M, N]. */
  readonly y: Local;
  readonly rows: Local;
  /** Scratch for one packed A block (mBlock × kBlock floats), when the plan packs A. */
  readonly packA?: Local;
}

interface MacroLocals {
  readonly k0: Local;
  readonly kLength: Local;
  readonly i0: Local;
  readonly iEnd: Local;
  readonly panel: Local;
  readonly row: Local;
  readonly panelB: Local;
  readonly panelY: Local;
  readonly panelBias: Local;
  readonly tile: TileLocals;
  /** Runtime row strides in bytes and tail width (used when K or N is a runtime size). */
  readonly aRowBytes: Local;
  readonly yRowBytes: Local;
  readonly tailWidth: Local;
  readonly packRow: Local;
  readonly packK: Local;
  readonly packTo: Local;
  readonly packFrom: Local;
}

/** The statements of `Y = A · Bpacked (+ bias)`. */
export function gemmMacro(f: FunctionBuilder, plan: GemmMacroPlan, operands: GemmOperands): Expr[] {
  const i = f.i32;
  const pointers = { a: f.local('tileA', 'i32'), b: f.local('tileB', 'i32'), y: f.local('tileY', 'i32'), bias: f.local('tileBias', 'i32'), first: f.local('firstBlock', 'i32') };
  const locals: MacroLocals = {
    k0: f.local('k0', 'i32'),
    kLength: f.local('kLength', 'i32'),
    i0: f.local('i0', 'i32'),
    iEnd: f.local('iEnd', 'i32'),
    panel: f.local('panel', 'i32'),
    row: f.local('row', 'i32'),
    panelB: f.local('panelB', 'i32'),
    panelY: f.local('panelY', 'i32'),
    panelBias: f.local('panelBias', 'i32'),
    tile: declareTileLocals(f, pointers),
    aRowBytes: f.local('aRowBytes', 'i32'),
    yRowBytes: f.local('yRowBytes', 'i32'),
    tailWidth: f.local('tailWidth', 'i32'),
    packRow: f.local('aPackRow', 'i32'),
    packK: f.local('aPackK', 'i32'),
    packTo: f.local('aPackTo', 'i32'),
    packFrom: f.local('aPackFrom', 'i32'),
  };
  const strides = [
    ...(typeof plan.k === 'number' ? [] : [locals.aRowBytes.set(i.shl(plan.k.get(), 2))]),
    ...(typeof plan.n === 'number' ? [] : [locals.yRowBytes.set(i.shl(plan.n.get(), 2))]),
  ];
  const singleBlock = typeof plan.k === 'number' && plan.k <= GEMM_BLOCKING.kBlock;
  const rowBlocks = f.for(locals.i0, i.const(0), operands.rows.get(), GEMM_BLOCKING.mBlock, [
    locals.iEnd.set(i.min(i.add(locals.i0.get(), i.const(GEMM_BLOCKING.mBlock)), operands.rows.get())),
    ...(plan.packA ? packABlock(f, plan, operands, locals, singleBlock) : []),
    ...panels(f, plan, operands, locals, singleBlock),
  ]);
  if (singleBlock) return [...strides, locals.k0.set(i.const(0)), rowBlocks];
  // At least one K block runs, so K = 0 still writes the bias.
  const kEnd = typeof plan.k === 'number' ? i.const(Math.max(plan.k, 1)) : i.max(plan.k.get(), i.const(1));
  return [
    ...strides,
    f.for(locals.k0, i.const(0), kEnd, GEMM_BLOCKING.kBlock, [
      locals.kLength.set(i.min(i.const(GEMM_BLOCKING.kBlock), i.sub(intExpr(f, plan.k), locals.k0.get()))),
      pointers.first.set(i.eqz(locals.k0.get())),
      rowBlocks,
    ]),
  ];
}

/** The panel loop: whole panels of 8 columns, then the narrower tail panel if N is not a multiple of 8. */
function panels(f: FunctionBuilder, plan: GemmMacroPlan, operands: GemmOperands, locals: MacroLocals, singleBlock: boolean): Expr[] {
  const i = f.i32;
  const shapeFor = (width: IntValue): Omit<TileShape, 'rows'> => ({
    width,
    aRowBytes: typeof plan.k === 'number' ? 4 * plan.k : locals.aRowBytes,
    aPacked: plan.packA,
    yRowBytes: typeof plan.n === 'number' ? 4 * plan.n : locals.yRowBytes,
    kLength: singleBlock ? (plan.k as number) : locals.kLength,
    hasBias: plan.hasBias,
    singleBlock,
  });
  const setPanel = (): Expr[] => [
    // panel p, first k of the block: packed + (p·K + k0)·32
    locals.panelB.set(i.add(operands.packed.get(), i.shl(i.add(i.mul(locals.panel.get(), intExpr(f, plan.k)), locals.k0.get()), 5))),
    locals.panelY.set(i.add(operands.y.get(), i.shl(locals.panel.get(), 5))),
    locals.panelBias.set(i.add(operands.bias.get(), i.shl(locals.panel.get(), 5))),
  ];
  const wholePanels = typeof plan.n === 'number' ? i.const(Math.floor(plan.n / PANEL_WIDTH)) : i.shrS(plan.n.get(), 3);
  const statements = [
    f.for(locals.panel, i.const(0), wholePanels, 1, [...setPanel(), ...rowTiles(f, operands, locals, shapeFor(PANEL_WIDTH))]),
  ];
  if (typeof plan.n === 'number') {
    if (plan.n % PANEL_WIDTH !== 0) statements.push(...setPanel(), ...rowTiles(f, operands, locals, shapeFor(plan.n % PANEL_WIDTH)));
    return statements;
  }
  const { tailWidth } = locals;
  statements.push(
    tailWidth.set(i.and(plan.n.get(), i.const(PANEL_WIDTH - 1))),
    f.if(tailWidth.get(), [...setPanel(), ...rowTiles(f, operands, locals, shapeFor(tailWidth))]),
  );
  return statements;
}

/** Tiles of 4 rows over [i0, iEnd), then one tile of the 1-3 rows left. */
function rowTiles(f: FunctionBuilder, operands: GemmOperands, locals: MacroLocals, shape: Omit<TileShape, 'rows'>): Expr[] {
  const i = f.i32;
  const { row, tile } = locals;
  const rowBytes = (bytes: IntValue): Expr => (typeof bytes === 'number' ? i.mul(row.get(), i.const(bytes)) : i.mul(row.get(), bytes.get()));
  // packed A: tile t of the block starts at packA + t·kLength·16
  const packedA = (): Expr => i.add(operands.packA!.get(), i.mul(i.shrS(i.sub(row.get(), locals.i0.get()), 2), i.shl(intExpr(f, shape.kLength), 4)));
  const setTile = (): Expr[] => [
    tile.a.set(shape.aPacked ? packedA() : i.add(i.add(operands.a.get(), rowBytes(shape.aRowBytes)), i.shl(locals.k0.get(), 2))),
    tile.b.set(locals.panelB.get()),
    tile.y.set(i.add(locals.panelY.get(), rowBytes(shape.yRowBytes))),
    tile.bias.set(locals.panelBias.get()),
  ];
  const tileOf = (rows: number): Expr[] => [...setTile(), ...gemmTile(f, tile, { ...shape, rows })];
  const rows = TILE_ROWS;
  // after the loop, 0 to rows-1 rows are left: one smaller tile for each possible count
  let remainder: Expr[] = [];
  for (let left = 1; left < rows; left++) {
    remainder = [f.if(i.eq(i.sub(locals.iEnd.get(), row.get()), i.const(left)), tileOf(left), remainder.length > 0 ? remainder : undefined)];
  }
  return [f.for(row, locals.i0.get(), i.sub(locals.iEnd.get(), i.const(rows - 1)), rows, tileOf(rows)), ...remainder];
}

/**
 * Copies rows [i0, iEnd) × k [k0, k0 + kLength) of A into packA in the
 * tile-interleaved layout: tile t holds, for each k, its 4 rows' values.
 */
function packABlock(f: FunctionBuilder, plan: GemmMacroPlan, operands: GemmOperands, locals: MacroLocals, singleBlock: boolean): Expr[] {
  const i = f.i32;
  const { packRow: row, packK: k, packTo: to, packFrom: from } = locals;
  const kLength = (): Expr => (singleBlock ? i.const(plan.k as number) : locals.kLength.get());
  const aRowBytes = (): Expr => (typeof plan.k === 'number' ? i.const(4 * plan.k) : locals.aRowBytes.get());
  const offsetInBlock = (): Expr => i.sub(row.get(), locals.i0.get());
  return [
    f.for(row, locals.i0.get(), locals.iEnd.get(), 1, [
      from.set(i.add(i.add(operands.a.get(), i.mul(row.get(), aRowBytes())), i.shl(locals.k0.get(), 2))),
      to.set(i.add(i.add(operands.packA!.get(), i.mul(i.shrS(offsetInBlock(), 2), i.shl(kLength(), 4))), i.shl(i.and(offsetInBlock(), i.const(3)), 2))),
      f.for(k, i.const(0), kLength(), 1, [
        f.f32.store(to.get(), f.f32.load(from.get())),
        from.set(i.add(from.get(), i.const(4))),
        to.set(i.add(to.get(), i.const(16))),
      ]),
    ]),
  ];
}

/**
 * Linear with a constant weight packed at compile time: `y = x · W + bias`,
 * K and N baked in. A is read in place: with a static K its rows are static
 * offsets from one pointer, and packing A measured no faster (and slower
 * for small M). A split kernel: part p of `parts` computes its block of
 * rows (whole 4-row tiles), nothing shared is written.
 */
export function linearPackedKernel(k: number, n: number, hasBias: boolean): KernelSpec {
  return {
    name: `linear_packed_k${k}_n${n}${hasBias ? '_bias' : ''}`,
    params: ['x', 'packed', 'y', 'rows', ...PART_PARAMS],
    build(f) {
      const i = f.i32;
      const packedPanels = f.local('packedPanels', 'i32');
      const firstRow = f.local('firstRow', 'i32');
      const operands: GemmOperands = { a: f.v('x'), packed: packedPanels, bias: f.v('packed'), y: f.v('y'), rows: f.v('rows') };
      return [
        ...rowShare(f, f.v('rows'), firstRow, TILE_ROWS),
        f.v('x').set(i.add(f.get('x'), i.mul(firstRow.get(), i.const(4 * k)))),
        f.v('y').set(i.add(f.get('y'), i.mul(firstRow.get(), i.const(4 * n)))),
        packedPanels.set(i.add(f.get('packed'), i.const(packedBiasBytes(n, hasBias)))),
        ...gemmMacro(f, { k, n, hasBias, packA: false }, operands),
      ];
    },
  };
}

/** Floats of the scratch holding one packed block of A for a GEMM with `k` values of k (a number, or runtime). */
export function aBlockFloats(k: number | undefined): number {
  return GEMM_BLOCKING.mBlock * Math.min(k ?? GEMM_BLOCKING.kBlock, GEMM_BLOCKING.kBlock);
}

/** Bytes of the padded bias at the start of a packed Linear weight. */
export function packedBiasBytes(n: number, hasBias: boolean): number {
  return hasBias ? Math.ceil(n / PANEL_WIDTH) * PANEL_ROW_BYTES : 0;
}
