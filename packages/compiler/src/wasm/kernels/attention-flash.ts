/**
 * The flash attention kernel for the CPU. Per (batch, KV head): K is
 * transposed once into a scratch [D, Skv] so that scores are computed eight
 * keys at a time across SIMD lanes. Then per query head of the group and per
 * tile of four query rows: key blocks of eight stream through an online
 * softmax (running max m, running sum l, accumulator O rescaled by
 * exp(m_old - m_new)) and O += P·V. Blocks outside every row's key range are
 * never visited (causal tiles are skipped); the S×S scores never exist.
 * Scratch: D·(Skv+8) floats for Kᵀ, plus a few rows.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { ATTENTION_PARAMS, attentionKernelName, FLASH_SCRATCH_PARAMS, type AttentionConfig } from './attention-config.js';
import { batchLimits, maskRowAddress, rowRange } from './attention-ranges.js';
import { elementAddress } from './attention-rows.js';
import { vexpInto, vtanhInto } from './vector-exp.js';

const ROWS = 4;
const KEYS = 8;
const LANES = 4;
const VECTORS = KEYS / LANES;

/** The flash kernel for `config`. */
export function attentionFlashKernel(config: AttentionConfig): KernelSpec {
  return { name: attentionKernelName('flash', config), params: [...ATTENTION_PARAMS, ...FLASH_SCRATCH_PARAMS], build: (f) => new FlashKernel(f, config).body() };
}

class FlashKernel {
  private readonly acc: Local[][];
  private readonly rows: Local[];
  private readonly lo: string[];
  private readonly hi: string[];
  private readonly runningMax: Local[];
  private readonly runningSum: Local[];
  private readonly alpha: Local[];
  private readonly vRows: Local[];

  constructor(
    private readonly f: FunctionBuilder,
    private readonly config: AttentionConfig,
  ) {
    for (const name of ['b', 'hk', 'g', 'h', 'group', 'i0', 'j', 'j0', 'jStart', 'jEnd', 'minHi', 'maxLo', 'd', 'paddedKeys', 'kBase', 'ktRow']) f.local(name, 'i32');
    this.rows = range(ROWS).map((r) => f.local(`row${r}`, 'i32'));
    this.lo = range(ROWS).map((r) => f.local(`lo${r}`, 'i32') && `lo${r}`);
    this.hi = range(ROWS).map((r) => f.local(`hi${r}`, 'i32') && `hi${r}`);
    this.runningMax = range(ROWS).map((r) => f.local(`m${r}`, 'f32'));
    this.runningSum = range(ROWS).map((r) => f.local(`l${r}`, 'f32'));
    this.alpha = range(ROWS).map((r) => f.local(`alpha${r}`, 'f32'));
    this.acc = range(ROWS).map((r) => range(VECTORS).map((c) => f.local(`acc${r}_${c}`, 'v128')));
    this.vRows = range(KEYS).map((c) => f.local(`vRow${c}`, 'i32'));
  }

  body(): Expr[] {
    const { f } = this;
    const i = f.i32;
    return [
      f.v('group').set(i.divS(f.get('Hq'), f.get('Hkv'))),
      f.v('paddedKeys').set(i.and(i.add(f.get('Skv'), i.const(KEYS - 1)), i.const(~(KEYS - 1)))),
      f.for(f.v('b'), i.const(0), f.get('B'), 1, [
        ...batchLimits(f, this.config),
        f.for(f.v('hk'), i.const(0), f.get('Hkv'), 1, [
          ...this.transposeKeys(),
          f.for(f.v('g'), i.const(0), f.get('group'), 1, [
            f.v('h').set(i.add(i.mul(f.get('hk'), f.get('group')), f.get('g'))),
            f.for(f.v('i0'), i.const(0), f.get('Sq'), ROWS, this.queryTile()),
          ]),
        ]),
      ]),
    ];
  }

  /** kt[d][j] = K[b, hk, j, d]; keys Skv..padded are zero. */
  private transposeKeys(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const x = f.f32;
    const D = this.config.headSize;
    const ktAt = (d: Expr, j: Expr) => i.add(f.get('ktScratch'), i.shl(i.add(i.mul(d, f.get('paddedKeys')), j), 2));
    return [
      f.v('kBase').set(elementAddress(f, 'k', ['b', 'ksb'], ['hk', 'ksh'])),
      f.for(f.v('j'), i.const(0), f.get('Skv'), 1, [
        f.v('ktRow').set(i.add(f.get('kBase'), i.shl(i.mul(f.get('j'), f.get('kss')), 2))),
        f.for(f.v('d'), i.const(0), i.const(D), 1, [x.store(ktAt(f.get('d'), f.get('j')), x.load(i.add(f.get('ktRow'), i.shl(f.get('d'), 2))))]),
      ]),
      f.for(f.v('j'), f.get('Skv'), f.get('paddedKeys'), 1, [
        f.for(f.v('d'), i.const(0), i.const(D), 1, [x.store(ktAt(f.get('d'), f.get('j')), x.const(0))]),
      ]),
    ];
  }

  /** Four query rows against every key block in their ranges. */
  private queryTile(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const setup = range(ROWS).flatMap((r) => [
      this.rows[r].set(i.min(i.add(f.get('i0'), i.const(r)), i.sub(f.get('Sq'), i.const(1)))),
      ...rowRange(f, this.config, `row${r}`, this.lo[r], this.hi[r]),
      ...this.loadScaledQuery(r),
      this.runningMax[r].set(f.f32.const(-Infinity)),
      this.runningSum[r].set(f.f32.const(0)),
    ]);
    const los = (): Expr[] => this.lo.map((name) => f.get(name));
    const his = (): Expr[] => this.hi.map((name) => f.get(name));
    return [
      ...setup,
      f.memory.fill(f.get('oScratch'), i.const(0), i.const(ROWS * this.config.valueHeadSize * 4)),
      f.v('jStart').set(i.and(los().reduce((a, b) => i.min(a, b)), i.const(~(KEYS - 1)))),
      f.v('jEnd').set(i.add(his().reduce((a, b) => i.max(a, b)), i.const(1))),
      f.v('maxLo').set(los().reduce((a, b) => i.max(a, b))),
      f.v('minHi').set(his().reduce((a, b) => i.min(a, b))),
      f.for(f.v('j0'), f.get('jStart'), f.get('jEnd'), KEYS, this.keyBlock()),
      ...range(ROWS).map((r) => this.storeRow(r)),
    ];
  }

  /** qScratch[r][d] = Q[b, h, row_r, d] · scale. */
  private loadScaledQuery(r: number): Expr[] {
    const { f } = this;
    const i = f.i32;
    const D = this.config.headSize;
    const source = elementAddress(f, 'q', ['b', 'qsb'], ['h', 'qsh'], [`row${r}`, 'qss']);
    return [
      f.v('ktRow').set(source),
      f.for(f.v('d'), i.const(0), i.const(D), 1, [
        f.f32.store(i.add(f.get('qScratch'), i.shl(i.add(f.get('d'), i.const(r * D)), 2)), f.f32.mul(f.f32.load(i.add(f.get('ktRow'), i.shl(f.get('d'), 2))), f.f32.const(this.config.scale))),
      ]),
    ];
  }

  private keyBlock(): Expr[] {
    return [...this.scores(), ...this.softcap(), ...this.rangeMask(), ...this.maskValues(), ...this.onlineSoftmax(), ...this.accumulateValues()];
  }

  /** acc[r][c] = Σ_d q[r][d] · kt[d][j0 + 4c .. +3], d unrolled. */
  private scores(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const v = f.f32x4;
    const D = this.config.headSize;
    const unroll = D % 8 === 0 ? 8 : D % 4 === 0 ? 4 : 1;
    const kVectors = range(VECTORS).map((c) => f.local(`kv${c}_${this.uid()}`, 'v128'));
    const ktAt = (delta: number) => i.add(i.add(f.get('ktScratch'), i.shl(f.get('j0'), 2)), i.shl(i.mul(i.add(f.get('d'), i.const(delta)), f.get('paddedKeys')), 2));
    const step = (delta: number): Expr[] => [
      ...kVectors.map((kv, c) => kv.set(v.load(ktAt(delta), c * 16))),
      ...range(ROWS).flatMap((r) => {
        const q = v.loadSplat(i.add(f.get('qScratch'), i.shl(f.get('d'), 2)), (r * D + delta) * 4);
        const splat = f.temp('v128');
        return [splat.set(q), ...kVectors.map((kv, c) => this.acc[r][c].set(v.fma(splat.get(), kv.get(), this.acc[r][c].get())))];
      }),
    ];
    return [
      ...this.acc.flat().map((acc) => acc.set(v.zero())),
      f.for(f.v('d'), i.const(0), i.const(D), unroll, range(unroll).flatMap(step)),
    ];
  }

  private softcap(): Expr[] {
    const cap = this.config.softcap;
    if (cap <= 0) return [];
    const v = this.f.f32x4;
    return this.acc.flat().flatMap((acc) => {
      const t = this.f.temp('v128');
      return [...vtanhInto(this.f, t, v.mul(acc.get(), v.const(1 / cap))), acc.set(v.mul(t.get(), v.const(cap)))];
    });
  }

  /** Keys outside [lo_r, hi_r] become -inf; skipped when the block is inside every row's range. */
  private rangeMask(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const v = f.f32x4;
    const inside = i.and(i.ge(f.get('j0'), f.get('maxLo')), i.le(i.add(f.get('j0'), i.const(KEYS - 1)), f.get('minHi')));
    const masking = range(ROWS).flatMap((r) =>
      range(VECTORS).map((c) => {
        const keys = (): Expr => v.i32x4Add(v.i32x4Splat(i.add(f.get('j0'), i.const(c * LANES))), v.i32x4Const([0, 1, 2, 3]));
        const allowed = v.and(v.i32x4Ge(keys(), v.i32x4Splat(f.get(this.lo[r]))), v.i32x4Le(keys(), v.i32x4Splat(f.get(this.hi[r]))));
        return this.acc[r][c].set(v.select(allowed, this.acc[r][c].get(), v.const(-Infinity)));
      }),
    );
    return [f.if(i.eqz(inside), masking)];
  }

  /** Applies the mask tensor (bool: False -> -inf; float: added) to each score, via the p scratch. */
  private maskValues(): Expr[] {
    const { f, config } = this;
    if (config.mask === 'none') return [];
    const i = f.i32;
    const x = f.f32;
    const v = f.f32x4;
    const slot = (r: number, key: number) => i.add(f.get('pScratch'), i.const((r * KEYS + key) * 4));
    const maskRow = f.temp('i32');
    const key = f.temp('i32');
    const perRow = (r: number): Expr[] => [
      maskRow.set(maskRowAddress(f, config, f.get('h'), this.rows[r].get())),
      ...range(KEYS).map((c) => {
        const apply = config.mask === 'bool'
          ? f.if(i.eqz(i.load8(i.add(maskRow.get(), key.get()))), [x.store(slot(r, c), x.const(-Infinity))])
          : x.store(slot(r, c), x.add(x.load(slot(r, c)), x.load(i.add(maskRow.get(), i.shl(key.get(), 2)))));
        return f.block([key.set(i.add(f.get('j0'), i.const(c))), f.if(i.lt(key.get(), f.get('maskWidth')), [apply])]);
      }),
    ];
    return [
      ...this.acc.flatMap((row, r) => row.map((acc, c) => v.store(f.get('pScratch'), acc.get(), (r * KEYS + c * LANES) * 4))),
      ...range(ROWS).flatMap(perRow),
      ...this.acc.flatMap((row, r) => row.map((acc, c) => acc.set(v.load(f.get('pScratch'), (r * KEYS + c * LANES) * 4)))),
    ];
  }

  /** m, l and the rescale factor per row; p = exp(s - m) written to the p scratch (0 for -inf scores). */
  private onlineSoftmax(): Expr[] {
    const { f } = this;
    const x = f.f32;
    const v = f.f32x4;
    return range(ROWS).flatMap((r) => {
      const blockMax = f.temp('v128');
      const newMax = f.temp('f32');
      const expAlpha = f.temp('v128');
      const p = this.acc[r].map(() => f.temp('v128'));
      const exps = this.acc[r].flatMap((acc, c) => [
        ...vexpInto(f, p[c], v.sub(acc.get(), v.splat(newMax.get()))),
        p[c].set(v.and(p[c].get(), v.gt(acc.get(), v.const(-Infinity)))),
        v.store(f.get('pScratch'), p[c].get(), (r * KEYS + c * LANES) * 4),
      ]);
      const sum = f.temp('v128');
      return [
        blockMax.set(v.max(this.acc[r][0].get(), this.acc[r][1].get())),
        newMax.set(x.max(this.runningMax[r].get(), f.f32x4.maxLanes(blockMax))),
        f.if(
          x.gt(newMax.get(), x.const(-Infinity)),
          [
            ...exps,
            ...vexpInto(f, expAlpha, v.splat(x.sub(this.runningMax[r].get(), newMax.get()))),
            this.alpha[r].set(v.extract(expAlpha.get(), 0)),
            sum.set(v.add(p[0].get(), p[1].get())),
            this.runningSum[r].set(x.add(x.mul(this.runningSum[r].get(), this.alpha[r].get()), f.f32x4.sum(sum))),
            this.runningMax[r].set(newMax.get()),
          ],
          [this.alpha[r].set(x.const(1)), ...range(VECTORS).map((c) => v.store(f.get('pScratch'), v.zero(), (r * KEYS + c * LANES) * 4))],
        ),
      ];
    });
  }

  /** O[r] = O[r] · alpha_r + Σ_c p[r][c] · V[j0 + c]. */
  private accumulateValues(): Expr[] {
    const { f } = this;
    const i = f.i32;
    const v = f.f32x4;
    const x = f.f32;
    const Dv = this.config.valueHeadSize;
    const vectors = this.vRows.map(() => f.temp('v128'));
    const dByte = f.temp('i32');
    const rowPointers = this.vRows.map((pointer, c) =>
      pointer.set(elementAddressDynamic(f, 'v', [[f.get('b'), 'vsb'], [f.get('hk'), 'vsh'], [i.min(i.add(f.get('j0'), i.const(c)), i.sub(f.get('Skv'), i.const(1))), 'vss']])),
    );
    const oAt = (r: number) => i.add(f.get('oScratch'), i.add(dByte.get(), i.const(r * Dv * 4)));
    const pAt = (r: number, c: number) => i.add(f.get('pScratch'), i.const((r * KEYS + c) * 4));
    const vectorChunk = [
      ...vectors.map((vector, c) => vector.set(v.load(i.add(this.vRows[c].get(), dByte.get())))),
      ...range(ROWS).map((r) => {
        let o = v.mul(v.load(oAt(r)), v.splat(this.alpha[r].get()));
        for (let c = 0; c < KEYS; c++) o = v.fma(v.loadSplat(pAt(r, c)), vectors[c].get(), o);
        return v.store(oAt(r), o);
      }),
    ];
    const scalarTail = range(ROWS).map((r) => {
      let o = x.mul(x.load(oAt(r)), this.alpha[r].get());
      for (let c = 0; c < KEYS; c++) o = x.add(o, x.mul(x.load(pAt(r, c)), x.load(i.add(this.vRows[c].get(), dByte.get()))));
      return x.store(oAt(r), o);
    });
    const vectorBytes = Math.floor(Dv / LANES) * LANES * 4;
    return [
      ...rowPointers,
      f.for(dByte, i.const(0), i.const(vectorBytes), 16, vectorChunk),
      f.for(dByte, i.const(vectorBytes), i.const(Dv * 4), 4, scalarTail),
    ];
  }

  /** out[b, h, row_r] = O[r] / l_r (0 for a row that attended nothing), for rows inside Sq. */
  private storeRow(r: number): Expr {
    const { f } = this;
    const i = f.i32;
    const x = f.f32;
    const Dv = this.config.valueHeadSize;
    const inverse = f.temp('f32');
    const target = f.temp('i32');
    return f.if(i.lt(i.add(f.get('i0'), i.const(r)), f.get('Sq')), [
      inverse.set(x.select(x.gt(this.runningSum[r].get(), x.const(0)), x.div(x.const(1), this.runningSum[r].get()), x.const(0))),
      target.set(elementAddress(f, 'out', ['b', 'osb'], ['h', 'osh'], [`row${r}`, 'oss'])),
      f.for(f.v('d'), i.const(0), i.const(Dv), 1, [
        x.store(i.add(target.get(), i.shl(f.get('d'), 2)), x.mul(x.load(i.add(f.get('oScratch'), i.shl(i.add(f.get('d'), i.const(r * Dv)), 2))), inverse.get())),
      ]),
    ]);
  }

  private uidCounter = 0;

  private uid(): number {
    return this.uidCounter++;
  }
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

function elementAddressDynamic(f: FunctionBuilder, base: string, terms: readonly [Expr, string][]): Expr {
  const i = f.i32;
  let offset = i.const(0);
  for (const [index, stride] of terms) offset = i.add(offset, i.mul(index, f.get(stride)));
  return i.add(f.get(base), i.shl(offset, 2));
}
