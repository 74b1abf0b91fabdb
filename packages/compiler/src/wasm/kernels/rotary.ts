/**
 * The RotaryEmbedding kernel (see lower/plans/rotary.ts): for each row of D
 * features at (b, h, s), the pairs of the first R features rotated by the
 * cache row of the row's position, the rest copied. Positions are read as
 * the low 32 bits of i64 position ids and clamped to the cache's rows.
 *
 * Parameters: x, cos, sin, positions (0 without position ids), y, batch,
 * heads, sequence, headSize, strideB, strideH, strideS, cacheRows.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** What the rotary kernel bakes in. */
export interface RotaryConfig {
  readonly rotaryDim: number;
  readonly interleaved: boolean;
  readonly positionIds: boolean;
}

/** The rotary-embedding kernel. */
export function rotaryKernel(config: RotaryConfig): KernelSpec {
  return {
    name: `rotary_r${config.rotaryDim}${config.interleaved ? '_interleaved' : ''}${config.positionIds ? '_positions' : ''}`,
    params: ['x', 'cos', 'sin', 'positions', 'y', 'batch', 'heads', 'sequence', 'headSize', 'strideB', 'strideH', 'strideS', 'cacheRows'],
    build: (f) => buildRotary(f, config),
  };
}

interface RowLocals {
  readonly b: Local;
  readonly s: Local;
  readonly row: Local;
  readonly cacheRow: Local;
}

/** Statements setting `cacheRow` to the element offset of the row's angles in the caches. */
function cacheRowOf(f: FunctionBuilder, config: RotaryConfig, locals: RowLocals): Expr {
  const i = f.i32;
  const flat = i.add(i.mul(locals.b.get(), f.get('sequence')), locals.s.get());
  const position = config.positionIds ? i.loadI64Low(i.add(f.get('positions'), i.shl(flat, 3))) : flat;
  const clamped = i.min(i.max(position, i.const(0)), i.sub(f.get('cacheRows'), i.const(1)));
  return locals.cacheRow.set(i.mul(clamped, i.const(config.rotaryDim / 2)));
}

/** The rotation of one row's pairs, then the copy of its other features. */
function rotateRow(f: FunctionBuilder, config: RotaryConfig, locals: RowLocals): Expr[] {
  const i = f.i32;
  const half = config.rotaryDim / 2;
  const [pair, first, second] = [f.local('pair', 'i32'), f.local('first', 'i32'), f.local('second', 'i32')];
  const [x1, x2, c, s] = ['x1', 'x2', 'cosine', 'sine'].map((name) => f.local(name, 'f32'));
  const at = (base: string, offset: Local): Expr => i.add(f.get(base), i.shl(i.add(locals.row.get(), offset.get()), 2));
  const angle = (cache: string): Expr => f.f32.load(i.add(f.get(cache), i.shl(i.add(locals.cacheRow.get(), pair.get()), 2)));
  const tail = i.sub(f.get('headSize'), i.const(config.rotaryDim));
  return [
    f.for(pair, i.const(0), i.const(half), 1, [
      first.set(config.interleaved ? i.shl(pair.get(), 1) : pair.get()),
      second.set(i.add(first.get(), i.const(config.interleaved ? 1 : half))),
      x1.set(f.f32.load(at('x', first))),
      x2.set(f.f32.load(at('x', second))),
      c.set(angle('cos')),
      s.set(angle('sin')),
      f.f32.store(at('y', first), f.f32.sub(f.f32.mul(c.get(), x1.get()), f.f32.mul(s.get(), x2.get()))),
      f.f32.store(at('y', second), f.f32.add(f.f32.mul(s.get(), x1.get()), f.f32.mul(c.get(), x2.get()))),
    ]),
    f.memory.copy(
      i.add(f.get('y'), i.shl(i.add(locals.row.get(), i.const(config.rotaryDim)), 2)),
      i.add(f.get('x'), i.shl(i.add(locals.row.get(), i.const(config.rotaryDim)), 2)),
      i.shl(tail, 2),
    ),
  ];
}

function buildRotary(f: FunctionBuilder, config: RotaryConfig): Expr[] {
  const i = f.i32;
  const locals: RowLocals = { b: f.local('b', 'i32'), s: f.local('s', 'i32'), row: f.local('row', 'i32'), cacheRow: f.local('cacheRow', 'i32') };
  const h = f.local('h', 'i32');
  const rowOffset = i.add(i.add(i.mul(locals.b.get(), f.get('strideB')), i.mul(h.get(), f.get('strideH'))), i.mul(locals.s.get(), f.get('strideS')));
  return [
    f.for(locals.b, i.const(0), f.get('batch'), 1, [
      f.for(locals.s, i.const(0), f.get('sequence'), 1, [
        cacheRowOf(f, config, locals),
        f.for(h, i.const(0), f.get('heads'), 1, [locals.row.set(rowOffset), ...rotateRow(f, config, locals)]),
      ]),
    ]),
  ];
}
