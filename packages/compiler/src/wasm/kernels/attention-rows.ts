/**
 * The row attention kernel: one query row at a time, all its scores in a
 * row buffer. It is the kernel for graphs that ask for the attention scores
 * or weights (`qk_matmul_output_mode` 0–3), which must be written out
 * anyway; everything else runs the flash kernel. Scalar code: it serves
 * small conformance cases and attention-weight exports, not throughput.
 */
import type { Expr, FunctionBuilder } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { ATTENTION_PARAMS, attentionKernelName, ROW_EXTRA_PARAMS, type AttentionConfig } from './attention-config.js';
import { addPositionBiasScalar, positionParams, rotateInPlace } from './attention-positions.js';
import { batchLimits, maskRowAddress, rowRange } from './attention-ranges.js';
import { vtanhInto } from './math.js';
import { vexpNonPositiveInto } from './vector-exp.js';

/** The row kernel for `config`, writing the qk output of `qkMode` (-1: none). */
export function attentionRowKernel(config: AttentionConfig, qkMode: number): KernelSpec {
  return {
    name: attentionKernelName('rows', config, qkMode),
    params: [...ATTENTION_PARAMS, ...ROW_EXTRA_PARAMS, ...positionParams(config.positions), ...(config.positions.rotary ? ['rotaryScratch'] : [])],
    build: (f) => buildRows(f, config, qkMode),
  };
}

function buildRows(f: FunctionBuilder, config: AttentionConfig, qkMode: number): Expr[] {
  const i = f.i32;
  for (const name of ['b', 'h', 'hk', 'row', 'lo', 'hi', 'j', 'd', 'qRow', 'kRow', 'qkRow']) f.local(name, 'i32');
  const limits = batchLimits(f, config);
  const rowBody = [
    ...rowRange(f, config, 'row', 'lo', 'hi'),
    f.v('qRow').set(elementAddress(f, 'q', ['b', 'qsb'], ['h', 'qsh'], ['row', 'qss'])),
    ...rotatedRow(f, config, 'qRow', 0, 'row'),
    f.v('qkRow').set(i.add(f.get('qkOut'), i.shl(i.mul(i.add(i.mul(i.add(i.mul(f.get('b'), f.get('Hq')), f.get('h')), f.get('Sq')), f.get('row')), f.get('Skv')), 2))),
    ...scoreRow(f, config, qkMode),
    ...softmaxRow(f, qkMode),
    ...weightedValues(f, config),
  ];
  return [
    f.for(f.v('b'), i.const(0), f.get('B'), 1, [
      ...limits,
      f.for(f.v('h'), i.const(0), f.get('Hq'), 1, [
        f.v('hk').set(i.divS(f.get('h'), i.divS(f.get('Hq'), f.get('Hkv')))),
        f.for(f.v('row'), i.const(0), f.get('Sq'), 1, rowBody),
      ]),
    ]),
  ];
}

/** With rotary tables: the row at local `row` copied to rotaryScratch (at element `at`), rotated at `position`, and `row` pointed there. */
function rotatedRow(f: FunctionBuilder, config: AttentionConfig, row: string, at: number, position: string): Expr[] {
  if (!config.positions.rotary) return [];
  const i = f.i32;
  const copy = (): Expr => i.add(f.get('rotaryScratch'), i.const(at * 4));
  return [
    f.memory.copy(copy(), f.get(row), i.const(config.headSize * 4)),
    ...rotateInPlace(f, config.positions, copy, () => f.get('b'), () => f.get(position)),
    f.v(row).set(copy()),
  ];
}

/** Byte address of `base + Σ index·stride` elements (f32). */
export function elementAddress(f: FunctionBuilder, base: string, ...terms: [string, string][]): Expr {
  const i = f.i32;
  let offset = i.const(0);
  for (const [index, stride] of terms) offset = i.add(offset, i.mul(f.get(index), f.get(stride)));
  return i.add(f.get(base), i.shl(offset, 2));
}

/** rowScratch[j] = biased score of key j; the qk outputs of modes 0–2 on the way. */
function scoreRow(f: FunctionBuilder, config: AttentionConfig, qkMode: number): Expr[] {
  const i = f.i32;
  const x = f.f32;
  const score = f.local('score', 'f32');
  const vector = f.local('scoreVector', 'v128');
  const slot = (): Expr => i.add(f.get('rowScratch'), i.shl(f.get('j'), 2));
  const qkSlot = (): Expr => i.add(f.get('qkRow'), i.shl(f.get('j'), 2));
  const writeQk = (mode: number): Expr[] => (qkMode === mode ? [x.store(qkSlot(), score.get())] : []);
  const softcap = config.softcap > 0 ? [...vtanhInto(f, vector, f.f32x4.splat(x.div(score.get(), x.const(config.softcap)))), score.set(x.mul(x.const(config.softcap), f.f32x4.extract(vector.get(), 0)))] : [];
  const outside = i.or(i.lt(f.get('j'), f.get('lo')), i.gt(f.get('j'), f.get('hi')));
  return [
    f.for(f.v('j'), i.const(0), f.get('Skv'), 1, [
      f.v('kRow').set(elementAddress(f, 'k', ['b', 'ksb'], ['hk', 'ksh'], ['j', 'kss'])),
      ...rotatedRow(f, config, 'kRow', config.headSize, 'j'),
      score.set(x.const(0)),
      f.for(f.v('d'), i.const(0), i.const(config.headSize), 1, [
        score.set(x.add(score.get(), x.mul(x.load(i.add(f.get('qRow'), i.shl(f.get('d'), 2))), x.load(i.add(f.get('kRow'), i.shl(f.get('d'), 2)))))),
      ]),
      score.set(x.mul(score.get(), x.const(config.scale))),
      ...writeQk(0),
      ...softcap,
      ...writeQk(1),
      ...addPositionBiasScalar(f, config.positions, score, { batch: () => f.get('b'), head: () => f.get('h'), query: () => x.fromI32(i.add(f.get('offset'), f.get('row'))) }, () => f.get('j')),
      ...maskValue(f, config, score.get(), (value) => score.set(value)),
      score.set(x.select(outside, x.const(-Infinity), score.get())),
      ...writeQk(2),
      x.store(slot(), score.get()),
    ]),
  ];
}

/** Applies the mask tensor's value for key j (inside the mask width) to the score. */
function maskValue(f: FunctionBuilder, config: AttentionConfig, score: Expr, set: (value: Expr) => Expr): Expr[] {
  if (config.mask === 'none') return [];
  const i = f.i32;
  const inside = i.lt(f.get('j'), f.get('maskWidth'));
  const rowAddress = maskRowAddress(f, config, f.get('h'), f.get('row'));
  if (config.mask === 'bool') {
    const keep = i.load8(i.add(rowAddress, f.get('j')));
    return [f.if(inside, [f.if(i.eqz(keep), [set(f.f32.const(-Infinity))])])];
  }
  return [f.if(inside, [set(f.f32.add(score, f.f32.load(i.add(rowAddress, i.shl(f.get('j'), 2)))))])];
}

/** Softmax of rowScratch in place (a fully masked row becomes all zeros); mode-3 qk output. */
function softmaxRow(f: FunctionBuilder, qkMode: number): Expr[] {
  const i = f.i32;
  const x = f.f32;
  const maximum = f.local('rowMax', 'f32');
  const sum = f.local('rowSum', 'f32');
  const e = f.local('expVector', 'v128');
  const slot = (): Expr => i.add(f.get('rowScratch'), i.shl(f.get('j'), 2));
  const value = (): Expr => x.load(slot());
  return [
    maximum.set(x.const(-Infinity)),
    f.for(f.v('j'), i.const(0), f.get('Skv'), 1, [maximum.set(x.max(maximum.get(), value()))]),
    sum.set(x.const(0)),
    f.for(f.v('j'), i.const(0), f.get('Skv'), 1, [
      ...vexpNonPositiveInto(f, e, f.f32x4.splat(x.sub(value(), maximum.get()))),
      x.store(slot(), x.select(x.eq(value(), x.const(-Infinity)), x.const(0), f.f32x4.extract(e.get(), 0))),
      sum.set(x.add(sum.get(), value())),
    ]),
    sum.set(x.select(x.gt(sum.get(), x.const(0)), x.div(x.const(1), sum.get()), x.const(0))),
    f.for(f.v('j'), i.const(0), f.get('Skv'), 1, [
      x.store(slot(), x.mul(value(), sum.get())),
      ...(qkMode === 3 ? [x.store(i.add(f.get('qkRow'), i.shl(f.get('j'), 2)), value())] : []),
    ]),
  ];
}

/** out[row] = Σ_j p_j · V[j], skipping zero weights (so masked keys never touch V). */
function weightedValues(f: FunctionBuilder, config: AttentionConfig): Expr[] {
  const i = f.i32;
  const x = f.f32;
  const weight = f.local('weight', 'f32');
  const outRow = f.local('outRow', 'i32');
  const vRow = f.local('vRow', 'i32');
  const outSlot = (): Expr => i.add(outRow.get(), i.shl(f.get('d'), 2));
  return [
    outRow.set(elementAddress(f, 'out', ['b', 'osb'], ['h', 'osh'], ['row', 'oss'])),
    f.for(f.v('d'), i.const(0), i.const(config.valueHeadSize), 1, [x.store(outSlot(), x.const(0))]),
    f.for(f.v('j'), i.const(0), f.get('Skv'), 1, [
      weight.set(x.load(i.add(f.get('rowScratch'), i.shl(f.get('j'), 2)))),
      f.if(x.ne(weight.get(), x.const(0)), [
        vRow.set(elementAddress(f, 'v', ['b', 'vsb'], ['hk', 'vsh'], ['j', 'vss'])),
        f.for(f.v('d'), i.const(0), i.const(config.valueHeadSize), 1, [
          x.store(outSlot(), x.add(x.load(outSlot()), x.mul(weight.get(), x.load(i.add(vRow.get(), i.shl(f.get('d'), 2)))))),
        ]),
      ]),
    ]),
  ];
}
