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
function keyPosition(f: FunctionBuilder, config: PositionConfig, site: BiasSite, key: () => Expr): Expr {
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
 * Statements adding the position biases of keys first..first+3 to the f32x4
 * local `scores` (scaled by `unit`): ALiBi on four lanes; the relative bias
 * splatted where all four keys are beyond distance M on one side, else
 * lane by lane. Keys at or past `limit()` read no key position.
 */
export function addPositionBiasVector(f: FunctionBuilder, config: PositionConfig, scores: Local, site: BiasSite, first: () => Expr, limit: () => Expr, unit = 1): Expr[] {
  if (!hasPositionBias(config)) return [];
  const i = f.i32;
  const v = f.f32x4;
  const keys = f.temp('v128');
  const bias = f.temp('v128');
  const lane = (l: number): Expr => i.add(first(), i.const(l));
  const laneKey = (l: number): Expr => (config.keyPositions ? f.f32.select(i.lt(lane(l), limit()), keyPosition(f, config, site, () => lane(l)), f.f32.const(0)) : f.f32.fromI32(lane(l)));
  const statements: Expr[] = [keys.set([1, 2, 3].reduce((vector, l) => f.lanes.replaceF32(vector, l, laneKey(l)), v.splat(laneKey(0)))), bias.set(v.zero())];
  if (config.alibi) {
    const slope = v.loadSplat(i.add(f.get('alibiSlopes'), i.shl(site.head(), 2)));
    const q = (): Expr => v.splat(site.query());
    const factor = config.alibi === 'key' ? keys.get() : config.alibi === 'relative' ? v.sub(keys.get(), q()) : v.neg(v.abs(v.sub(keys.get(), q())));
    statements.push(bias.set(v.mul(slope, factor)));
  }
  if (config.relativeMaxDistance !== undefined) statements.push(...relativeLanes(f, config.relativeMaxDistance, bias, keys, site));
  statements.push(scores.set(v.add(scores.get(), unit === 1 ? bias.get() : v.mul(bias.get(), v.const(unit)))));
  return statements;
}

/** bias += the relative entries of the four key positions in `keys`: one splat when all four saturate on one side. */
function relativeLanes(f: FunctionBuilder, maxDistance: number, bias: Local, keys: Local, site: BiasSite): Expr[] {
  const x = f.f32;
  const v = f.f32x4;
  const entry = (distance: Expr): Expr => relativeEntry(f, maxDistance, site.head(), distance);
  const distance = (l: number): Expr => x.sub(v.extract(keys.get(), l), site.query());
  const lanes = [0, 1, 2, 3].reduce((vector, l) => f.lanes.replaceF32(vector, l, entry(distance(l))), v.zero());
  const low = x.min(x.min(v.extract(keys.get(), 0), v.extract(keys.get(), 1)), x.min(v.extract(keys.get(), 2), v.extract(keys.get(), 3)));
  const high = x.max(x.max(v.extract(keys.get(), 0), v.extract(keys.get(), 1)), x.max(v.extract(keys.get(), 2), v.extract(keys.get(), 3)));
  const above = x.ge(x.sub(low, site.query()), x.const(maxDistance));
  const below = x.le(x.sub(high, site.query()), x.const(-maxDistance));
  const saturated = f.temp('v128');
  return [
    f.if(
      f.i32.or(above, below),
      [saturated.set(v.splat(entry(x.sub(v.extract(keys.get(), 0), site.query())))), bias.set(v.add(bias.get(), saturated.get()))],
      [bias.set(v.add(bias.get(), lanes))],
    ),
  ];
}
