/**
 * LayerNormalization (and RMSNormalization, `center` off: no mean) over
 * the trailing `size` elements of each row: two passes (mean, then the
 * mean of squared deviations, as the reference does), then
 * `y = (x - mean) · invStd · scale + bias`, four lanes at a time with a
 * scalar tail. Scale and bias are full rows of `size` values, one value
 * broadcast, or a trailing part of a row repeated (`trailing`: element k
 * reads entry k % count, one element at a time); epsilon is baked in. The
 * optional Mean and InvStdDev outputs get one f32 per row.
 *
 * Parameters: x, scale, bias, y, mean, invStd, rows, size (unused pointers
 * are 0), then scaleCount / biasCount for trailing parameters, then part,
 * parts: a split kernel, part p normalises its block of rows.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import { numberTag } from '@ladon/ir';
import type { KernelSpec } from '../kernel-set.js';
import { PART_PARAMS, rowShare } from './parts.js';

/** How a LayerNorm parameter (Scale or B) covers the normalised row. */
export type ParameterKind = 'row' | 'scalar' | 'trailing' | 'none';

/** What a LayerNorm kernel bakes in. */
export interface LayerNormConfig {
  /** Subtract the mean (LayerNorm; RMSNorm does not). */
  readonly center: boolean;
  readonly epsilon: number;
  readonly scale: Exclude<ParameterKind, 'none'>;
  readonly bias: ParameterKind;
  readonly writeMean: boolean;
  readonly writeInvStd: boolean;
}

/** The LayerNorm kernel. */
export function layerNormKernel(config: LayerNormConfig): KernelSpec {
  const outputs = `${config.writeMean ? '_mean' : ''}${config.writeInvStd ? '_invstd' : ''}`;
  const counts = [...(config.scale === 'trailing' ? ['scaleCount'] : []), ...(config.bias === 'trailing' ? ['biasCount'] : [])];
  return {
    name: `${config.center ? 'layer' : 'rms'}_norm_eps${numberTag(config.epsilon)}_s${config.scale}_b${config.bias}${outputs}`,
    params: ['x', 'scale', 'bias', 'y', 'mean', 'invStd', 'rows', 'size', ...counts, ...PART_PARAMS],
    build: (f) => buildLayerNorm(f, config),
  };
}

interface RowLocals {
  readonly row: Local;
  readonly x: Local;
  readonly y: Local;
  readonly j: Local;
  readonly accumulator: Local;
  readonly sum: Local;
  readonly mean: Local;
  readonly invStd: Local;
}

function buildLayerNorm(f: FunctionBuilder, config: LayerNormConfig): Expr[] {
  const i = f.i32;
  const locals: RowLocals = {
    row: f.local('row', 'i32'),
    x: f.local('rowX', 'i32'),
    y: f.local('rowY', 'i32'),
    j: f.local('j', 'i32'),
    accumulator: f.local('accumulator', 'v128'),
    sum: f.local('sum', 'f32'),
    mean: f.local('meanValue', 'f32'),
    invStd: f.local('invStdValue', 'f32'),
  };
  const rowBytes = i.shl(f.get('size'), 2);
  const statistics: Expr[] = [];
  if (config.writeMean) statistics.push(f.f32.store(i.add(f.get('mean'), i.shl(locals.row.get(), 2)), locals.mean.get()));
  if (config.writeInvStd) statistics.push(f.f32.store(i.add(f.get('invStd'), i.shl(locals.row.get(), 2)), locals.invStd.get()));
  const firstRow = f.local('firstRow', 'i32');
  const skipRows = (pointer: string, rowBytes: Expr): Expr => f.v(pointer).set(i.add(f.get(pointer), i.mul(firstRow.get(), rowBytes)));
  return [
    ...rowShare(f, f.v('rows'), firstRow, 1),
    skipRows('x', i.shl(f.get('size'), 2)),
    skipRows('y', i.shl(f.get('size'), 2)),
    ...(config.writeMean ? [skipRows('mean', i.const(4))] : []),
    ...(config.writeInvStd ? [skipRows('invStd', i.const(4))] : []),
    locals.x.set(f.get('x')),
    locals.y.set(f.get('y')),
    f.for(locals.row, i.const(0), f.get('rows'), 1, [
      ...(config.center ? [...rowSum(f, locals, (value) => value), locals.mean.set(f.f32.div(locals.sum.get(), f.f32.fromI32(f.get('size'))))] : [locals.mean.set(f.f32.const(0))]),
      ...rowSum(f, locals, (value, scalar) => (scalar ? squareScalar(f, value, locals.mean) : squareVector(f, value, locals.mean))),
      locals.invStd.set(f.f32.div(f.f32.const(1), f.f32.sqrt(f.f32.add(f.f32.div(locals.sum.get(), f.f32.fromI32(f.get('size'))), f.f32.const(config.epsilon))))),
      ...normalizeRow(f, config, locals),
      ...statistics,
      locals.x.set(i.add(locals.x.get(), rowBytes)),
      locals.y.set(i.add(locals.y.get(), i.shl(f.get('size'), 2))),
    ]),
  ];
}

function squareVector(f: FunctionBuilder, value: Expr, mean: Local): Expr {
  const deviation = f.temp('v128');
  return f.f32x4.mul(deviation.tee(f.f32x4.sub(value, f.f32x4.splat(mean.get()))), deviation.get());
}

function squareScalar(f: FunctionBuilder, value: Expr, mean: Local): Expr {
  const deviation = f.temp('f32');
  return f.f32.mul(deviation.tee(f.f32.sub(value, mean.get())), deviation.get());
}

/** Sets `sum` to Σ term(x[j]) over the row (vector lanes, then the tail). */
function rowSum(f: FunctionBuilder, locals: RowLocals, term: (value: Expr, scalar: boolean) => Expr): Expr[] {
  const i = f.i32;
  const at = (): Expr => i.add(locals.x.get(), i.shl(locals.j.get(), 2));
  return [
    locals.accumulator.set(f.f32x4.zero()),
    f.for(locals.j, i.const(0), i.sub(f.get('size'), i.const(3)), 4, [locals.accumulator.set(f.f32x4.add(locals.accumulator.get(), term(f.f32x4.load(at()), false)))]),
    locals.sum.set(f.f32x4.sum(locals.accumulator)),
    f.for(locals.j, locals.j.get(), f.get('size'), 1, [locals.sum.set(f.f32.add(locals.sum.get(), term(f.f32.load(at()), true)))]),
  ];
}

/** y[j] = (x[j] - mean) · invStd · scale[j] + bias[j], vector then scalar tail (scalar throughout with a trailing parameter). */
function normalizeRow(f: FunctionBuilder, config: LayerNormConfig, locals: RowLocals): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const offset = (): Expr => i.shl(locals.j.get(), 2);
  const trailingOffset = (name: string): Expr => i.shl(i.remS(locals.j.get(), f.get(`${name}Count`)), 2);
  const parameter = (name: string, kind: ParameterKind, vector: boolean): Expr => {
    const pointer = kind === 'row' ? i.add(f.get(name), offset()) : kind === 'trailing' ? i.add(f.get(name), trailingOffset(name)) : f.get(name);
    if (vector) return kind === 'row' ? v.load(pointer) : v.loadSplat(pointer);
    return f.f32.load(pointer);
  };
  const vectorValue = (): Expr => {
    const scaled = v.mul(v.mul(v.sub(v.load(i.add(locals.x.get(), offset())), v.splat(locals.mean.get())), v.splat(locals.invStd.get())), parameter('scale', config.scale, true));
    return config.bias === 'none' ? scaled : v.add(scaled, parameter('bias', config.bias, true));
  };
  const scalarValue = (): Expr => {
    const scaled = f.f32.mul(f.f32.mul(f.f32.sub(f.f32.load(i.add(locals.x.get(), offset())), locals.mean.get()), locals.invStd.get()), parameter('scale', config.scale, false));
    return config.bias === 'none' ? scaled : f.f32.add(scaled, parameter('bias', config.bias, false));
  };
  const trailing = config.scale === 'trailing' || config.bias === 'trailing';
  return [
    trailing ? locals.j.set(i.const(0)) : f.for(locals.j, i.const(0), i.sub(f.get('size'), i.const(3)), 4, [v.store(i.add(locals.y.get(), offset()), vectorValue())]),
    f.for(locals.j, locals.j.get(), f.get('size'), 1, [f.f32.store(i.add(locals.y.get(), offset()), scalarValue())]),
  ];
}
