/**
 * Positions inside the wasm attention kernels (the plan's PositionPlan):
 * rotary embeddings applied to a row of Q (in place, in scratch) or to each
 * element of a key as it is read, and the ALiBi and relative biases of a
 * score computed from the query position q = offset + row and the key
 * position k (key_positions[b, j] or j). Parameters: the tables' pointers
 * and batch strides, only those the configuration uses.
 */
import type { AlibiForm } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';

/** What a kernel bakes in for positions. */
export interface PositionConfig {
  readonly rotary?: { readonly half: number; readonly interleaved: boolean };
  readonly alibi?: AlibiForm;
  readonly keyPositions?: boolean;
  /** M of the relative bias table [Hq, 2M + 1]. */
  readonly relativeMaxDistance?: number;
}

/** The extra parameters of an attention kernel for `config`, after its others. */
export function positionParams(config: PositionConfig): string[] {
  const params: string[] = [];
  if (config.rotary) params.push('rotaryCos', 'rotarySin', 'rotaryStride');
  if (config.alibi) params.push('alibiSlopes');
  if (config.keyPositions) params.push('keyPositions', 'keyPositionsStride');
  if (config.relativeMaxDistance !== undefined) params.push('relativeBias');
  return params;
}

/** Kernel-name tags for `config`. */
export function positionTags(config: PositionConfig): string[] {
  const tags: string[] = [];
  if (config.rotary) tags.push(`${config.rotary.interleaved ? 'ropei' : 'rope'}${2 * config.rotary.half}`);
  if (config.alibi) tags.push(`alibi_${config.alibi}`);
  if (config.keyPositions) tags.push('kpos');
  if (config.relativeMaxDistance !== undefined) tags.push(`rel${config.relativeMaxDistance}`);
  return tags;
}

/** True when `config` adds a bias to the scores. */
export function hasPositionBias(config: PositionConfig): boolean {
  return config.alibi !== undefined || config.relativeMaxDistance !== undefined;
}

/** Byte address of the rotary table entry (b, position, pair) of table `param`. */
function tableAddress(f: FunctionBuilder, param: string, batch: Expr, position: Expr, pair: Expr, half: number): Expr {
  const i = f.i32;
  return i.add(f.get(param), i.shl(i.add(i.add(i.mul(batch, f.get('rotaryStride')), i.mul(position, i.const(half))), pair), 2));
}

/** Rotates the row of f32 at `row()` in place with the tables at (b, position). */
export function rotateInPlace(f: FunctionBuilder, config: PositionConfig, row: () => Expr, batch: () => Expr, position: () => Expr): Expr[] {
  const rotary = config.rotary;
  if (!rotary) return [];
  const i = f.i32;
  const x = f.f32;
  const [pair, first, second, c, s] = [f.temp('i32'), f.temp('f32'), f.temp('f32'), f.temp('f32'), f.temp('f32')];
  const at = (element: (p: Expr) => Expr): Expr => i.add(row(), i.shl(element(pair.get()), 2));
  const firstOf = (p: Expr): Expr => (rotary.interleaved ? i.shl(p, 1) : p);
  const secondOf = (p: Expr): Expr => (rotary.interleaved ? i.add(i.shl(p, 1), i.const(1)) : i.add(p, i.const(rotary.half)));
  return [
    f.for(pair, i.const(0), i.const(rotary.half), 1, [
      first.set(x.load(at(firstOf))),
      second.set(x.load(at(secondOf))),
      c.set(x.load(tableAddress(f, 'rotaryCos', batch(), position(), pair.get(), rotary.half))),
      s.set(x.load(tableAddress(f, 'rotarySin', batch(), position(), pair.get(), rotary.half))),
      x.store(at(firstOf), x.sub(x.mul(first.get(), c.get()), x.mul(second.get(), s.get()))),
      x.store(at(secondOf), x.add(x.mul(second.get(), c.get()), x.mul(first.get(), s.get()))),
    ]),
  ];
}

/**
 * Statements setting `target` to element d (a local) of the key row at
 * `row()`, rotated at (b, position): x·cos ∓ partner·sin below R, x beyond.
 */
export function rotatedElementInto(f: FunctionBuilder, config: PositionConfig, target: Local, row: () => Expr, d: Local, batch: () => Expr, position: () => Expr): Expr[] {
  const i = f.i32;
  const x = f.f32;
  const element = (index: Expr): Expr => x.load(i.add(row(), i.shl(index, 2)));
  const rotary = config.rotary;
  if (!rotary) return [target.set(element(d.get()))];
  const half = rotary.half;
  const [pair, partner, lower] = [f.temp('i32'), f.temp('i32'), f.temp('i32')];
  const table = (param: string): Expr => x.load(tableAddress(f, param, batch(), position(), pair.get(), half));
  const rotate = [
    lower.set(rotary.interleaved ? i.eqz(i.and(d.get(), i.const(1))) : i.lt(d.get(), i.const(half))),
    pair.set(rotary.interleaved ? i.shrS(d.get(), 1) : i.select(lower.get(), d.get(), i.sub(d.get(), i.const(half)))),
    partner.set(rotary.interleaved ? i.xor(d.get(), i.const(1)) : i.select(lower.get(), i.add(d.get(), i.const(half)), i.sub(d.get(), i.const(half)))),
    target.set(x.mul(element(partner.get()), table('rotarySin'))),
    target.set(x.add(x.mul(element(d.get()), table('rotaryCos')), x.select(lower.get(), x.neg(target.get()), target.get()))),
  ];
  return [f.if(i.lt(d.get(), i.const(2 * half)), rotate, [target.set(element(d.get()))])];
}

/** Where a bias is computed: the batch, head, query position (f32) and key (i32) expressions. */
export interface BiasSite {
  readonly batch: () => Expr;
  readonly head: () => Expr;
  /** q = offset + row, as f32. */
  readonly query: () => Expr;
}

/** The position of key `key()` (i32) as f32: key_positions[b, j] or j. */
function keyPosition(f: FunctionBuilder, config: PositionConfig, site: { readonly batch: () => Expr }, key: () => Expr): Expr {
  const i = f.i32;
  if (!config.keyPositions) return f.f32.fromI32(key());
  return f.f32.load(i.add(f.get('keyPositions'), i.shl(i.add(i.mul(site.batch(), f.get('keyPositionsStride')), key()), 2)));
}

/** The relative table entry of head h at distance n (an f32 k - q), clamped to [-M, M]. */
function relativeEntry(f: FunctionBuilder, maxDistance: number, head: Expr, distance: Expr): Expr {
  const i = f.i32;
  const n = i.add(i.min(i.max(i.fromF32(distance), i.const(-maxDistance)), i.const(maxDistance)), i.const(maxDistance));
  return f.f32.load(i.add(f.get('relativeBias'), i.shl(i.add(i.mul(head, i.const(2 * maxDistance + 1)), n), 2)));
}

/** Statements adding the position biases of key `key()` to the f32 local `score` (scaled by `unit`). */
export function addPositionBiasScalar(f: FunctionBuilder, config: PositionConfig, score: Local, site: BiasSite, key: () => Expr, unit = 1): Expr[] {
  const x = f.f32;
  const statements: Expr[] = [];
  const k = (): Expr => keyPosition(f, config, site, key);
  const scaled = (value: Expr): Expr => (unit === 1 ? value : x.mul(value, x.const(unit)));
  if (config.alibi) {
    const slope = x.load(f.i32.add(f.get('alibiSlopes'), f.i32.shl(site.head(), 2)));
    statements.push(score.set(x.add(score.get(), scaled(x.mul(slope, alibiFactor(f, config.alibi, k(), site.query()))))));
  }
  if (config.relativeMaxDistance !== undefined) {
    statements.push(score.set(x.add(score.get(), scaled(relativeEntry(f, config.relativeMaxDistance, site.head(), x.sub(k(), site.query()))))));
  }
  return statements;
}

function alibiFactor(f: FunctionBuilder, form: AlibiForm, k: Expr, q: Expr): Expr {
  const x = f.f32;
  return form === 'key' ? k : form === 'relative' ? x.sub(k, q) : x.neg(x.abs(x.sub(k, q)));
}

/**
 * The position biases of a flash tile: ROWS query rows × 8 keys, in the
 * kernel's accumulators (two f32x4 per row). The caller keeps per query
 * tile the rows' positions q_r (i32 and f32 locals) and the head's slope
 * splat; per tile the key positions are built once and shared by the rows.
 * The relative bias of a row is one splat when all eight keys are beyond
 * distance M on one side (most tiles of a long sequence), else lane by lane.
 */
export interface TileBiasSite {
  readonly batch: () => Expr;
  readonly head: () => Expr;
  /** The first key of the tile (i32). */
  readonly first: () => Expr;
  /** Keys at or past this read no key position (i32). */
  readonly limit: () => Expr;
  /** Per row: its query position as an i32 local and an f32 local. */
  readonly rows: readonly { readonly position: Local; readonly positionF32: Local }[];
  /** The head's ALiBi slope in four lanes (set per query tile). */
  readonly slope: Local;
  readonly acc: readonly (readonly Local[])[];
  /** Scores are in units of `unit` (1: natural log units). */
  readonly unit?: number;
}

/** Statements that set `slope` to head `head()`'s ALiBi slope in four lanes (nothing without ALiBi). */
export function loadSlope(f: FunctionBuilder, config: PositionConfig, slope: Local, head: () => Expr): Expr[] {
  if (!config.alibi) return [];
  return [slope.set(f.f32x4.loadSplat(f.i32.add(f.get('alibiSlopes'), f.i32.shl(head(), 2))))];
}

/** Statements adding the tile's position biases to its accumulators. */
export function addTileBias(f: FunctionBuilder, config: PositionConfig, site: TileBiasSite): Expr[] {
  if (!hasPositionBias(config)) return [];
  const v = f.f32x4;
  const keys = [f.temp('v128'), f.temp('v128')];
  const statements: Expr[] = keys.map((vector, c) => vector.set(keyVector(f, config, site, c)));
  const scaled = (value: Expr): Expr => (site.unit === undefined || site.unit === 1 ? value : v.mul(value, v.const(site.unit)));
  site.rows.forEach((row, r) => {
    if (config.alibi) {
      const form = config.alibi;
      site.acc[r].forEach((acc, c) => {
        const distance = (): Expr => v.sub(keys[c].get(), v.splat(row.positionF32.get()));
        const factor = form === 'key' ? keys[c].get() : form === 'relative' ? distance() : v.neg(v.abs(distance()));
        statements.push(acc.set(v.add(acc.get(), scaled(v.mul(site.slope.get(), factor)))));
      });
    }
    if (config.relativeMaxDistance !== undefined) statements.push(...relativeRow(f, config, site, keys, r, scaled));
  });
  return statements;
}

/** Key positions first + 4c .. + 3 as f32 lanes (key_positions read below `limit`, 0 beyond). */
function keyVector(f: FunctionBuilder, config: PositionConfig, site: TileBiasSite, c: number): Expr {
  const i = f.i32;
  const lane = (l: number): Expr => i.add(site.first(), i.const(4 * c + l));
  if (!config.keyPositions) return f.f32x4.fromI32x4(f.f32x4.i32x4Add(f.f32x4.i32x4Splat(lane(0)), f.f32x4.i32x4Const([0, 1, 2, 3])));
  const at = (l: number): Expr => f.f32.select(i.lt(lane(l), site.limit()), keyPosition(f, config, site, () => lane(l)), f.f32.const(0));
  return [1, 2, 3].reduce((vector, l) => f.lanes.replaceF32(vector, l, at(l)), f.f32x4.splat(at(0)));
}

/** Row r's relative bias on the tile: one splat beyond ±M (without key positions), else lane by lane. */
function relativeRow(f: FunctionBuilder, config: PositionConfig, site: TileBiasSite, keys: readonly Local[], r: number, scaled: (value: Expr) => Expr): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const m = config.relativeMaxDistance!;
  const row = site.rows[r];
  const entry = (distance: Expr): Expr => relativeEntry(f, m, site.head(), distance);
  const lanes = (c: number): Expr => [0, 1, 2, 3].reduce((vector, l) => f.lanes.replaceF32(vector, l, entry(f.f32.sub(v.extract(keys[c].get(), l), row.positionF32.get()))), v.zero());
  const perLane = site.acc[r].map((acc, c) => acc.set(v.add(acc.get(), scaled(lanes(c)))));
  if (config.keyPositions) return perLane;
  const splat = (distance: number): Expr[] => site.acc[r].map((acc) => acc.set(v.add(acc.get(), scaled(v.splat(entry(f.f32.const(distance)))))));
  const offset = (): Expr => i.sub(site.first(), row.position.get());
  return [f.if(i.ge(offset(), i.const(m)), splat(m), [f.if(i.le(i.add(offset(), i.const(7)), i.const(-m)), splat(-m), perLane)])];
}
