/**
 * The flash attention kernel for the CPU. Per (batch, KV head), K is
 * transposed once (four keys × four dims per shuffle step) into a scratch
 * Kᵀ in panels of eight keys, so scores come eight keys per register pair.
 * Then per query head of the group and per tile of four query rows, key
 * blocks stream through two phases:
 *   scores:  per 8-key tile, S[4][8] = (Q·scale·log2 e)·Kᵀ in 4×8 register tiles,
 *            softcap, the key-range mask (causal/window/nonpad) and the mask
 *            tensor, then — still in registers — the online softmax
 *            (attention-flash-softmax.ts): P = 2^(S - m) against a lazily
 *            moved reference max m, row sums, P to the S scratch;
 *   values:  O[4][Dv] += P·V in 4×8 register tiles (O is never rescaled
 *            here: the rare rescale happens when m moves).
 * Blocks hold as many keys as keep a V block near 16 KiB (half of L1).
 * Blocks outside every row's key range are never visited (causal tiles are
 * skipped), and the S×S scores never exist. Scratch (one copy per thread):
 * Kᵀ, 4 rows of Q, P and the rows' softmax state, O. A split kernel: see body().
 */
import { addDims, type Dim } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { ATTENTION_PARAMS, attentionKernelName, FLASH_SCRATCH_PARAMS, type AttentionConfig } from './attention-config.js';
import { initialiseRowState, ROW_STATE_FLOATS_PER_ROW, rowSumInto, softmaxTile, type FlashSoftmaxState } from './attention-flash-softmax.js';
import { addTileBias, hasPositionBias, loadSlope, positionParams, rotatedElementInto, rotateInPlace } from './attention-positions.js';
import { batchLimits, maskRowAddress, rowRange } from './attention-ranges.js';
import { elementAddress } from './attention-rows.js';
import { vtanhInto } from './math.js';
import { PART_PARAMS } from './parts.js';

/** Query rows per tile. */
export const FLASH_ROWS = 4;
const TILE = 8;
const LANES = 4;
const V_BLOCK_BYTES = 16384;

/** Keys per block for `config`: the most (32..128) whose [keys, max(D, Dv)] f32 block fits 16 KiB. */
export function flashBlockKeys(config: AttentionConfig): number {
  const width = Math.max(config.headSize, config.valueHeadSize);
  let keys = 128;
  while (keys > 32 && keys * width * 4 > V_BLOCK_BYTES) keys /= 2;
  return keys;
}

/** The shapes (f32) of the flash kernel's scratch buffers, in {@link FLASH_SCRATCH_PARAMS} order, for `totalKeys` keys. */
export function flashScratchShapes(config: AttentionConfig, totalKeys: Dim): Dim[][] {
  return [[config.headSize, addDims(totalKeys, TILE)], [FLASH_ROWS * config.headSize], [FLASH_ROWS * (flashBlockKeys(config) + ROW_STATE_FLOATS_PER_ROW)], [FLASH_ROWS * config.valueHeadSize]];
}

/** The flash kernel for `config`. */
export function attentionFlashKernel(config: AttentionConfig): KernelSpec {
  return { name: attentionKernelName('flash', config), params: [...ATTENTION_PARAMS, ...FLASH_SCRATCH_PARAMS, ...positionParams(config.positions), ...PART_PARAMS], build: (f) => new FlashKernel(f, config).body() };
}

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

class FlashKernel {
  private readonly acc: Local[][];
  private readonly softmax: FlashSoftmaxState;
  private readonly block: number;

  constructor(
    private readonly f: FunctionBuilder,
    private readonly config: AttentionConfig,
  ) {
    const names = ['b', 'hk', 'h', 'group', 'tilesPerHead', 'unit', 'firstUnit', 'i0', 'j', 'j0', 'jt', 'jStart', 'jEnd', 'minHi', 'maxLo', 'd', 'c', 'tiles', 'blockKeys', 'paddedKeys', 'fullPanels', 'kBase', 'kStride', 'pointer', 'vPointer', 'chunk'];
    for (const name of names) f.local(name, 'i32');
    for (const r of range(FLASH_ROWS)) ['row', 'lo', 'hi'].forEach((name) => f.local(`${name}${r}`, 'i32'));
    if (hasPositionBias(config.positions)) {
      for (const r of range(FLASH_ROWS)) {
        f.local(`qpos${r}`, 'i32');
        f.local(`qposf${r}`, 'f32');
      }
      f.local('slope', 'v128');
    }
    this.acc = range(FLASH_ROWS).map((r) => range(TILE / LANES).map((c) => f.local(`acc${r}_${c}`, 'v128')));
    this.block = flashBlockKeys(config);
    this.softmax = { rows: FLASH_ROWS, blockKeys: this.block, valueHeadSize: config.valueHeadSize, acc: this.acc };
  }

  /**
   * Work units are (batch, KV head, group member, query tile), numbered in
   * that order; part p of `parts` takes units p, p + parts, ... — query
   * tiles interleaved, so a causal head's short and long tiles spread over
   * the parts. A part transposes K only for the heads it has units in.
   */
  body(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const headUnits = (): Expr => i.mul(f.get('group'), f.get('tilesPerHead'));
    const localUnit = (): Expr => i.sub(f.get('unit'), f.get('firstUnit'));
    return [
      f.v('group').set(i.divS(f.get('Hq'), f.get('Hkv'))),
      f.v('tilesPerHead').set(i.shrS(i.add(f.get('Sq'), i.const(FLASH_ROWS - 1)), 2)),
      f.v('paddedKeys').set(i.and(i.add(f.get('Skv'), i.const(TILE - 1)), i.const(~(TILE - 1)))),
      f.v('fullPanels').set(i.and(f.get('Skv'), i.const(~(TILE - 1)))),
      f.v('kStride').set(i.shl(f.get('kss'), 2)),
      f.v('firstUnit').set(i.const(0)),
      f.for(f.v('b'), i.const(0), f.get('B'), 1, [
        ...batchLimits(f, this.config),
        f.for(f.v('hk'), i.const(0), f.get('Hkv'), 1, [
          // the first unit of this head that is ours: firstUnit + ((part - firstUnit) mod parts)
          f.v('unit').set(i.add(f.get('firstUnit'), i.remS(i.add(i.sub(f.get('part'), i.remS(f.get('firstUnit'), f.get('parts'))), f.get('parts')), f.get('parts')))),
          f.if(i.lt(localUnit(), headUnits()), [
            ...this.transposeKeys(),
            f.for(f.v('unit'), f.get('unit'), i.add(f.get('firstUnit'), headUnits()), f.v('parts'), [
              f.v('h').set(i.add(i.mul(f.get('hk'), f.get('group')), i.divS(localUnit(), f.get('tilesPerHead')))),
              f.v('i0').set(i.shl(i.remS(localUnit(), f.get('tilesPerHead')), 2)),
              ...this.queryTile(),
            ]),
          ]),
          f.v('firstUnit').set(i.add(f.get('firstUnit'), headUnits())),
        ]),
      ]),
    ];
  }

  /**
   * Kᵀ packed in panels of eight keys: panel p holds, for each d, keys
   * 8p..8p+7 contiguously (Kᵀ[p][d][0..7]), so a score tile streams its
   * panel sequentially like a GEMM micro-kernel. Full panels are transposed
   * four dims at a time with shuffles (when D is a multiple of 4); the last,
   * partial panel element by element, its keys past Skv set to zero.
   */
  private transposeKeys(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const x = f.f32;
    const D = this.config.headSize;
    const element = f.temp('f32');
    const panelAt = (): Expr =>
      i.add(f.get('ktScratch'), i.shl(i.add(i.mul(i.shrS(f.get('j'), 3), i.const(D * TILE)), i.add(i.shl(f.get('d'), 3), i.and(f.get('j'), i.const(TILE - 1)))), 2));
    // Rotated keys go element by element (rotary pairs dims d and d ± R/2, or d and d ^ 1).
    const vectorTranspose = D % LANES === 0 && !this.config.positions.rotary;
    const scalarFrom = vectorTranspose ? f.get('fullPanels') : i.const(0);
    return [
      f.v('kBase').set(elementAddress(f, 'k', ['b', 'ksb'], ['hk', 'ksh'])),
      ...(vectorTranspose ? [f.for(f.v('j'), i.const(0), f.get('fullPanels'), TILE, this.transposePanel())] : []),
      f.for(f.v('j'), scalarFrom, f.get('Skv'), 1, [
        f.v('pointer').set(i.add(f.get('kBase'), i.mul(f.get('j'), f.get('kStride')))),
        f.for(f.v('d'), i.const(0), i.const(D), 1, [
          ...rotatedElementInto(f, this.config.positions, element, () => f.get('pointer'), f.v('d'), () => f.get('b'), () => f.get('j')),
          x.store(panelAt(), element.get()),
        ]),
      ]),
      f.for(f.v('j'), f.get('Skv'), f.get('paddedKeys'), 1, [f.for(f.v('d'), i.const(0), i.const(D), 1, [x.store(panelAt(), x.const(0))])]),
    ];
  }

  /** Keys j..j+7 into their panel: per four dims, two 4×4 transposes (keys 0-3, 4-7) of eight loaded vectors. */
  private transposePanel(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const v = f.f32x4;
    const shuffle = f.lanes.shuffle32;
    const D = this.config.headSize;
    const rows = range(TILE).map(() => f.temp('i32'));
    const loaded = range(TILE).map(() => f.temp('v128'));
    const low = range(4).map(() => f.temp('v128'));
    const destination = f.temp('i32');
    const transposeFour = (first: number, half: number): Expr[] => {
      const [a, b, c, d] = loaded.slice(first, first + 4);
      const unpacked = [shuffle(a.get(), b.get(), [0, 4, 1, 5]), shuffle(a.get(), b.get(), [2, 6, 3, 7]), shuffle(c.get(), d.get(), [0, 4, 1, 5]), shuffle(c.get(), d.get(), [2, 6, 3, 7])];
      const pick: [number, number, [number, number, number, number]][] = [[0, 2, [0, 1, 4, 5]], [0, 2, [2, 3, 6, 7]], [1, 3, [0, 1, 4, 5]], [1, 3, [2, 3, 6, 7]]];
      return [
        ...unpacked.map((value, index) => low[index].set(value)),
        ...pick.map(([left, right, lanes], dim) => v.store(destination.get(), shuffle(low[left].get(), low[right].get(), lanes), (dim * TILE + half) * 4)),
      ];
    };
    return [
      ...rows.map((row, k) => row.set(i.add(f.get('kBase'), i.mul(i.add(f.get('j'), i.const(k)), f.get('kStride'))))),
      destination.set(i.add(f.get('ktScratch'), i.shl(i.mul(f.get('j'), i.const(D)), 2))),
      f.for(f.v('d'), i.const(0), i.const(D * 4), LANES * 4, [
        ...loaded.map((value, k) => value.set(v.load(i.add(rows[k].get(), f.get('d'))))),
        ...transposeFour(0, 0),
        ...transposeFour(4, LANES),
        destination.set(i.add(destination.get(), i.const(LANES * TILE * 4))),
      ]),
    ];
  }

  /** Four query rows against every key block in their ranges, then the normalised output rows. */
  private queryTile(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const los = (): Expr[] => range(FLASH_ROWS).map((r) => f.get(`lo${r}`));
    const his = (): Expr[] => range(FLASH_ROWS).map((r) => f.get(`hi${r}`));
    const setup = range(FLASH_ROWS).flatMap((r) => [
      f.v(`row${r}`).set(i.min(i.add(f.get('i0'), i.const(r)), i.sub(f.get('Sq'), i.const(1)))),
      ...rowRange(f, this.config, `row${r}`, `lo${r}`, `hi${r}`),
      ...this.loadScaledQuery(r),
    ]);
    return [
      ...setup,
      ...initialiseRowState(f, this.softmax),
      ...this.positionSetup(),
      f.memory.fill(f.get('oScratch'), i.const(0), i.const(FLASH_ROWS * this.config.valueHeadSize * 4)),
      f.v('jStart').set(i.and(los().reduce((a, b) => i.min(a, b)), i.const(~(TILE - 1)))),
      f.v('jEnd').set(i.add(his().reduce((a, b) => i.max(a, b)), i.const(1))),
      f.v('maxLo').set(los().reduce((a, b) => i.max(a, b))),
      f.v('minHi').set(his().reduce((a, b) => i.min(a, b))),
      f.for(f.v('j0'), f.get('jStart'), f.get('jEnd'), this.block, [
        f.v('blockKeys').set(i.min(i.const(this.block), i.sub(f.get('jEnd'), f.get('j0')))),
        f.v('tiles').set(i.shrS(i.add(f.get('blockKeys'), i.const(TILE - 1)), 3)),
        f.for(f.v('jt'), i.const(0), f.get('tiles'), 1, [
          f.v('j').set(i.add(f.get('j0'), i.shl(f.get('jt'), 3))),
          ...this.scoreTile(),
          ...this.softcap(),
          ...this.positionBias(),
          ...this.rangeMask(),
          ...this.maskValues(),
          ...softmaxTile(f, this.softmax, (r) => this.sAddress(r)),
        ]),
        ...this.valueBlock(),
      ]),
      ...range(FLASH_ROWS).map((r) => this.storeRow(r)),
    ];
  }

  /** qScratch[r][d] = Q[b, h, row_r, d] · scale · log2 e (scores in base 2: exp(s) = 2^(s·log2 e)). */
  private loadScaledQuery(r: number): Expr[] {
    const { f } = this;
    const i = f.i32;
    const D = this.config.headSize;
    return [
      f.v('pointer').set(elementAddress(f, 'q', ['b', 'qsb'], ['h', 'qsh'], [`row${r}`, 'qss'])),
      f.for(f.v('d'), i.const(0), i.const(D), 1, [
        f.f32.store(i.add(f.get('qScratch'), i.shl(i.add(f.get('d'), i.const(r * D)), 2)), f.f32.mul(f.f32.load(i.add(f.get('pointer'), i.shl(f.get('d'), 2))), f.f32.const(this.config.scale * Math.LOG2E))),
      ]),
      ...rotateInPlace(f, this.config.positions, () => i.add(f.get('qScratch'), i.const(r * D * 4)), () => f.get('b'), () => f.get(`row${r}`)),
    ];
  }

  /** Byte address of S[r][8·jt]. */
  private sAddress(r: number): Expr {
    const i = this.f.i32;
    return i.add(this.f.get('sScratch'), i.add(i.shl(this.f.get('jt'), 5), i.const(r * this.block * 4)));
  }

  /** acc[r][c] = Σ_d q[r][d] · Kᵀ[d][j + 4c .. +3], the d loop unrolled. */
  private scoreTile(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const v = f.f32x4;
    const D = this.config.headSize;
    // Not unrolled: binaryen folds unrolled steps into long FMA chains that spill, and V8 unrolls itself.
    const unroll = 1;
    const keys = [f.temp('v128'), f.temp('v128')];
    const splat = f.temp('v128');
    const step = (delta: number): Expr[] => [
      ...keys.map((key, c) => key.set(v.load(f.get('pointer'), c * 16))),
      f.v('pointer').set(i.add(f.get('pointer'), i.const(TILE * 4))),
      ...range(FLASH_ROWS).flatMap((r) => [
        splat.set(v.loadSplat(i.add(f.get('qScratch'), i.shl(f.get('d'), 2)), (r * D + delta) * 4)),
        ...keys.map((key, c) => this.acc[r][c].set(v.fma(splat.get(), key.get(), this.acc[r][c].get()))),
      ]),
    ];
    return [
      ...this.acc.flat().map((acc) => acc.set(v.zero())),
      f.v('pointer').set(i.add(f.get('ktScratch'), i.mul(i.shrS(f.get('j'), 3), i.const(D * TILE * 4)))),
      f.for(f.v('d'), i.const(0), i.const(D), unroll, range(unroll).flatMap(step)),
    ];
  }

  private softcap(): Expr[] {
    const cap = this.config.softcap;
    if (cap <= 0) return [];
    const v = this.f.f32x4;
    const t = this.f.temp('v128');
    // Scores are in base 2 (s·log2 e): softcap(s)·log2 e = tanh(s'/(cap·log2 e))·cap·log2 e.
    const baseTwoCap = cap * Math.LOG2E;
    return this.acc.flat().flatMap((acc) => [...vtanhInto(this.f, t, v.mul(acc.get(), v.const(1 / baseTwoCap))), acc.set(v.mul(t.get(), v.const(baseTwoCap)))]);
  }

  /** ALiBi and relative biases of the tile's keys, from the rows' query positions (offset + row), in base 2 like the scores (× log2 e). */
  private positionBias(): Expr[] {
    const { f } = this;
    if (!hasPositionBias(this.config.positions)) return [];
    const rows = range(FLASH_ROWS).map((r) => ({ position: f.v(`qpos${r}`), positionF32: f.v(`qposf${r}`) }));
    const site = { batch: () => f.get('b'), head: () => f.get('h'), first: () => f.get('j'), limit: () => f.get('Skv'), rows, slope: f.v('slope'), acc: this.acc, unit: Math.LOG2E };
    return addTileBias(f, this.config.positions, site);
  }

  /** Per query tile: the rows' query positions and the head's slope, for the position biases. */
  private positionSetup(): Expr[] {
    const { f } = this;
    if (!hasPositionBias(this.config.positions)) return [];
    const i = f.i32;
    return [
      ...range(FLASH_ROWS).flatMap((r) => [f.v(`qpos${r}`).set(i.add(f.get('offset'), f.get(`row${r}`))), f.v(`qposf${r}`).set(f.f32.fromI32(f.get(`qpos${r}`)))]),
      ...loadSlope(f, this.config.positions, f.v('slope'), () => f.get('h')),
    ];
  }

  /** Keys outside [lo_r, hi_r] become -inf; skipped when the tile is inside every row's range. */
  private rangeMask(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const v = f.f32x4;
    const inside = i.and(i.ge(f.get('j'), f.get('maxLo')), i.le(i.add(f.get('j'), i.const(TILE - 1)), f.get('minHi')));
    const masking = range(FLASH_ROWS).flatMap((r) =>
      this.acc[r].map((acc, c) => {
        const keys = (): Expr => v.i32x4Add(v.i32x4Splat(i.add(f.get('j'), i.const(c * LANES))), v.i32x4Const([0, 1, 2, 3]));
        const allowed = v.and(v.i32x4Ge(keys(), v.i32x4Splat(f.get(`lo${r}`))), v.i32x4Le(keys(), v.i32x4Splat(f.get(`hi${r}`))));
        return acc.set(v.select(allowed, acc.get(), v.const(-Infinity)));
      }),
    );
    return [f.if(i.eqz(inside), masking)];
  }

  /** The mask tensor (bool: False -> -inf; float: added, times log2 e): vectorised when the tile lies inside the mask width. */
  private maskValues(): Expr[] {
    const { f, config } = this;
    if (config.mask === 'none') return [];
    const i = f.i32;
    const v = f.f32x4;
    const maskRow = f.temp('i32');
    const vectorised = range(FLASH_ROWS).flatMap((r) => [
      maskRow.set(maskRowAddress(f, config, f.get('h'), f.get(`row${r}`))),
      ...this.acc[r].map((acc, c) => {
        if (config.mask === 'float') return acc.set(v.fma(v.load(i.add(maskRow.get(), i.shl(f.get('j'), 2)), c * 16), v.const(Math.LOG2E), acc.get()));
        const dropped = v.eq(v.loadBytesAsI32x4(i.add(maskRow.get(), f.get('j')), c * LANES), v.i32x4Splat(i.const(0)));
        return acc.set(v.select(dropped, v.const(-Infinity), acc.get()));
      }),
    ]);
    const fits = i.le(i.add(f.get('j'), i.const(TILE)), f.get('maskWidth'));
    return [f.if(fits, vectorised, this.scalarMask(maskRow))];
  }

  /** The mask tensor one key at a time (the tile crosses the mask width), via the S scratch. */
  private scalarMask(maskRow: Local): Expr[] {
    const { f, config } = this;
    const i = f.i32;
    const x = f.f32;
    const v = f.f32x4;
    const key = f.temp('i32');
    const slot = (r: number, c: number): Expr => i.add(this.sAddress(r), i.const(c * 4));
    const perRow = (r: number): Expr[] => [
      maskRow.set(maskRowAddress(f, config, f.get('h'), f.get(`row${r}`))),
      ...range(TILE).map((c) => {
        const apply = config.mask === 'bool'
          ? f.if(i.eqz(i.load8(i.add(maskRow.get(), key.get()))), [x.store(slot(r, c), x.const(-Infinity))])
          : x.store(slot(r, c), x.add(x.load(slot(r, c)), x.mul(x.load(i.add(maskRow.get(), i.shl(key.get(), 2))), x.const(Math.LOG2E))));
        return f.block([key.set(i.add(f.get('j'), i.const(c))), f.if(i.lt(key.get(), f.get('maskWidth')), [apply])]);
      }),
    ];
    return [
      ...this.acc.flatMap((row, r) => row.map((acc, c) => v.store(this.sAddress(r), acc.get(), c * 16))),
      ...range(FLASH_ROWS).flatMap(perRow),
      ...this.acc.flatMap((row, r) => row.map((acc, c) => acc.set(v.load(this.sAddress(r), c * 16)))),
    ];
  }

  /** O[r] += Σ_c P[r][c]·V[j0 + c], in chunks of 8 (then 4, then 1) value dims. */
  private valueBlock(): Expr[] {
    const Dv = this.config.valueHeadSize;
    const eights = Math.floor(Dv / 8) * 8;
    const fours = Math.floor((Dv - eights) / 4) * 4;
    const statements: Expr[] = [];
    if (eights > 0) statements.push(this.valueChunks(0, eights, 2));
    if (fours > 0) statements.push(this.valueChunks(eights, eights + fours, 1));
    if (eights + fours < Dv) statements.push(this.valueScalars(eights + fours, Dv));
    return statements;
  }

  /** Value dims [from, to) in chunks of 4·vectors floats, O in registers across the block's keys. */
  private valueChunks(from: number, to: number, vectors: number): Expr {
    const { f } = this;
    const i = f.i32;
    const v = f.f32x4;
    const Dv = this.config.valueHeadSize;
    const values = range(vectors).map(() => f.temp('v128'));
    const splat = f.temp('v128');
    const oAt = (r: number): Expr => i.add(f.get('oScratch'), i.add(f.get('chunk'), i.const(r * Dv * 4)));
    const pAt = (r: number): Expr => i.add(f.get('sScratch'), i.add(i.shl(f.get('c'), 2), i.const(r * this.block * 4)));
    const keyStep = [
      ...values.map((value, k) => value.set(v.load(f.get('vPointer'), k * 16))),
      ...range(FLASH_ROWS).flatMap((r) => [splat.set(v.loadSplat(pAt(r))), ...values.map((value, k) => this.acc[r][k].set(v.fma(splat.get(), value.get(), this.acc[r][k].get())))]),
      f.v('vPointer').set(i.add(f.get('vPointer'), i.shl(f.get('vss'), 2))),
    ];
    return f.for(f.v('chunk'), i.const(from * 4), i.const(to * 4), vectors * 16, [
      ...range(FLASH_ROWS).flatMap((r) => range(vectors).map((k) => this.acc[r][k].set(v.load(oAt(r), k * 16)))),
      f.v('vPointer').set(i.add(elementAddressOf(f, [['b', 'vsb'], ['hk', 'vsh'], ['j0', 'vss']]), f.get('chunk'))),
      f.for(f.v('c'), i.const(0), f.get('blockKeys'), 1, keyStep),
      ...range(FLASH_ROWS).flatMap((r) => range(vectors).map((k) => v.store(oAt(r), this.acc[r][k].get(), k * 16))),
    ]);
  }

  /** Value dims [from, to) one at a time (a value head size that is not a multiple of 4). */
  private valueScalars(from: number, to: number): Expr {
    const { f } = this;
    const i = f.i32;
    const x = f.f32;
    const Dv = this.config.valueHeadSize;
    const oAt = (r: number): Expr => i.add(f.get('oScratch'), i.add(f.get('chunk'), i.const(r * Dv * 4)));
    const pAt = (r: number): Expr => i.add(f.get('sScratch'), i.add(i.shl(f.get('c'), 2), i.const(r * this.block * 4)));
    const value = f.temp('f32');
    return f.for(f.v('chunk'), i.const(from * 4), i.const(to * 4), 4, [
      f.v('vPointer').set(i.add(elementAddressOf(f, [['b', 'vsb'], ['hk', 'vsh'], ['j0', 'vss']]), f.get('chunk'))),
      f.for(f.v('c'), i.const(0), f.get('blockKeys'), 1, [
        value.set(x.load(f.get('vPointer'))),
        ...range(FLASH_ROWS).map((r) => x.store(oAt(r), x.add(x.load(oAt(r)), x.mul(x.load(pAt(r)), value.get())))),
        f.v('vPointer').set(i.add(f.get('vPointer'), i.shl(f.get('vss'), 2))),
      ]),
    ]);
  }

  /** out[b, h, row_r] = O[r] / l_r (0 for a row that attended nothing), for rows inside Sq. */
  private storeRow(r: number): Expr {
    const { f } = this;
    const i = f.i32;
    const x = f.f32;
    const Dv = this.config.valueHeadSize;
    const sum = f.temp('f32');
    const inverse = f.temp('f32');
    return f.if(i.lt(i.add(f.get('i0'), i.const(r)), f.get('Sq')), [
      ...rowSumInto(f, this.softmax, r, sum),
      inverse.set(x.select(x.gt(sum.get(), x.const(0)), x.div(x.const(1), sum.get()), x.const(0))),
      f.v('pointer').set(elementAddress(f, 'out', ['b', 'osb'], ['h', 'osh'], [`row${r}`, 'oss'])),
      f.for(f.v('d'), i.const(0), i.const(Dv), 1, [
        x.store(i.add(f.get('pointer'), i.shl(f.get('d'), 2)), x.mul(x.load(i.add(f.get('oScratch'), i.shl(i.add(f.get('d'), i.const(r * Dv)), 2))), inverse.get())),
      ]),
    ]);
  }
}

/** Byte address of V at the given (index local, stride param) terms. */
function elementAddressOf(f: FunctionBuilder, terms: readonly [string, string][]): Expr {
  return elementAddress(f, 'v', ...terms);
}
