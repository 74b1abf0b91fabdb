/**
 * Channel normalisation on f32 [N, C, plane] (see lower/plans/channel-norm.ts):
 * per statistics group a mean and a (two-pass, population) variance, each
 * pass four lanes at a time over contiguous spans, then per channel
 * `y = x · a + b` with `a = scale / sqrt(var + epsilon)`, `b = bias - mean · a`.
 * The statistics source and the sizes that shape the loops (channels,
 * groups, epsilon, momentum) are baked in; the batch and plane size are
 * run-time parameters.
 *
 * Parameters: x, scale, bias, mean, variance (given statistics; 0
 * otherwise), y, runningMean, runningVariance (training outputs; 0 when
 * not wanted), batch, plane.
 */
import { numberTag } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** What a channel-normalisation kernel bakes in. */
export interface ChannelNormConfig {
  readonly statistics: 'given' | 'batch' | 'groups';
  readonly channels: number;
  readonly groups: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly perGroupParameters: boolean;
  readonly runningMean: boolean;
  readonly runningVariance: boolean;
}

/** The channel-normalisation kernel of a configuration. */
export function channelNormKernel(config: ChannelNormConfig): KernelSpec {
  const running = `${config.runningMean ? '_rm' : ''}${config.runningVariance ? '_rv' : ''}`;
  const extra = config.statistics === 'batch' ? `_mom${numberTag(config.momentum)}${running}` : config.statistics === 'groups' ? `_g${config.groups}${config.perGroupParameters ? '_pg' : ''}` : '';
  return {
    name: `channel_norm_${config.statistics}_c${config.channels}${extra}_eps${numberTag(config.epsilon)}`,
    params: ['x', 'scale', 'bias', 'mean', 'variance', 'y', 'runningMean', 'runningVariance', 'batch', 'plane'],
    build: (f) => buildChannelNorm(f, config),
  };
}

interface SpanLocals {
  readonly cursor: Local;
  readonly end: Local;
  readonly vector: Local;
  readonly total: Local;
  readonly a: Local;
  readonly b: Local;
  readonly mean: Local;
}

/** total += Σ over `length` floats at `start` of value(x) (x - mean)² or x. */
function accumulate(f: FunctionBuilder, t: SpanLocals, start: Expr, length: Expr, squares: boolean): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const term = (x: Expr): Expr => (squares ? v.mul(v.sub(x, v.splat(t.mean.get())), v.sub(f.f32x4.load(t.cursor.get()), v.splat(t.mean.get()))) : x);
  const scalarTerm = (x: Expr): Expr => (squares ? f.f32.mul(f.f32.sub(x, t.mean.get()), f.f32.sub(f.f32.load(t.cursor.get()), t.mean.get())) : x);
  return [
    t.cursor.set(start),
    t.end.set(i.add(t.cursor.get(), i.shl(length, 2))),
    t.vector.set(v.zero()),
    f.for(t.cursor, t.cursor.get(), i.sub(t.end.get(), i.const(12)), 16, [t.vector.set(v.add(t.vector.get(), term(v.load(t.cursor.get()))))]),
    t.total.set(f.f32.add(t.total.get(), v.sum(t.vector))),
    f.for(t.cursor, t.cursor.get(), t.end.get(), 4, [t.total.set(f.f32.add(t.total.get(), scalarTerm(f.f32.load(t.cursor.get()))))]),
  ];
}

/** y = x · a + b over `length` floats. */
function apply(f: FunctionBuilder, t: SpanLocals, from: Expr, to: Local, length: Expr): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const offset = f.temp('i32');
  return [
    t.cursor.set(from),
    offset.set(i.sub(to.get(), t.cursor.get())),
    t.end.set(i.add(t.cursor.get(), i.shl(length, 2))),
    f.for(t.cursor, t.cursor.get(), i.sub(t.end.get(), i.const(12)), 16, [v.store(i.add(t.cursor.get(), offset.get()), v.fma(v.load(t.cursor.get()), v.splat(t.a.get()), v.splat(t.b.get())))]),
    f.for(t.cursor, t.cursor.get(), t.end.get(), 4, [f.f32.store(i.add(t.cursor.get(), offset.get()), f.f32.add(f.f32.mul(f.f32.load(t.cursor.get()), t.a.get()), t.b.get()))]),
  ];
}

/** a = scale[p] / sqrt(variance + epsilon), b = bias[p] - mean · a, for parameter index p. */
function coefficients(f: FunctionBuilder, t: SpanLocals, parameter: () => Expr, variance: Expr, epsilon: number): Expr[] {
  const at = (name: string): Expr => f.f32.load(f.i32.add(f.get(name), f.i32.shl(parameter(), 2)));
  return [
    t.a.set(f.f32.div(at('scale'), f.f32.sqrt(f.f32.add(variance, f.f32.const(epsilon))))),
    t.b.set(f.f32.sub(at('bias'), f.f32.mul(t.mean.get(), t.a.get()))),
  ];
}

function buildChannelNorm(f: FunctionBuilder, config: ChannelNormConfig): Expr[] {
  const t: SpanLocals = {
    cursor: f.local('cursor', 'i32'),
    end: f.local('end', 'i32'),
    vector: f.local('vector', 'v128'),
    total: f.local('total', 'f32'),
    a: f.local('a', 'f32'),
    b: f.local('b', 'f32'),
    mean: f.local('meanValue', 'f32'),
  };
  if (config.statistics === 'groups') return groupStatistics(f, config, t);
  return perChannel(f, config, t);
}

/** Instance and group normalisation: statistics per (image, group) over one contiguous span. */
function groupStatistics(f: FunctionBuilder, config: ChannelNormConfig, t: SpanLocals): Expr[] {
  const i = f.i32;
  const [row, k, base, target, span] = ['row', 'k', 'base', 'target', 'span'].map((name) => f.local(name, 'i32'));
  const variance = f.local('varianceValue', 'f32');
  const perGroup = config.channels / config.groups;
  const group = (): Expr => i.remS(row.get(), i.const(config.groups));
  const parameter = (): Expr => (config.perGroupParameters ? group() : i.add(i.mul(group(), i.const(perGroup)), k.get()));
  const channelOffset = (): Expr => i.shl(i.mul(k.get(), f.get('plane')), 2);
  return [
    span.set(i.mul(f.get('plane'), i.const(perGroup))),
    f.for(row, i.const(0), i.mul(f.get('batch'), i.const(config.groups)), 1, [
      base.set(i.add(f.get('x'), i.shl(i.mul(row.get(), span.get()), 2))),
      target.set(i.add(f.get('y'), i.shl(i.mul(row.get(), span.get()), 2))),
      t.total.set(f.f32.const(0)),
      ...accumulate(f, t, base.get(), span.get(), false),
      t.mean.set(f.f32.div(t.total.get(), f.f32.fromI32(span.get()))),
      t.total.set(f.f32.const(0)),
      ...accumulate(f, t, base.get(), span.get(), true),
      variance.set(f.f32.div(t.total.get(), f.f32.fromI32(span.get()))),
      f.for(k, i.const(0), i.const(perGroup), 1, [
        ...coefficients(f, t, parameter, variance.get(), config.epsilon),
        ...apply(f, t, i.add(base.get(), channelOffset()), target, f.get('plane')),
        target.set(i.add(target.get(), i.shl(f.get('plane'), 2))),
      ]),
    ]),
  ];
}

/** Batch normalisation: per channel, with given statistics or the batch's own (over every image's plane). */
function perChannel(f: FunctionBuilder, config: ChannelNormConfig, t: SpanLocals): Expr[] {
  const i = f.i32;
  const [c, n, plane] = ['c', 'n', 'planeAt'].map((name) => f.local(name, 'i32'));
  const [variance, count] = [f.local('varianceValue', 'f32'), f.local('count', 'f32')];
  const planeOf = (pointer: string): Expr => i.add(f.get(pointer), i.shl(i.mul(i.add(i.mul(n.get(), i.const(config.channels)), c.get()), f.get('plane')), 2));
  const perImage = (body: Expr[]): Expr => f.for(n, i.const(0), f.get('batch'), 1, body);
  const channelValue = (name: string): Expr => f.f32.load(i.add(f.get(name), i.shl(c.get(), 2)));
  const statistics: Expr[] =
    config.statistics === 'given'
      ? [t.mean.set(channelValue('mean')), variance.set(channelValue('variance'))]
      : [
          count.set(f.f32.fromI32(i.mul(f.get('batch'), f.get('plane')))),
          t.total.set(f.f32.const(0)),
          perImage(accumulate(f, t, planeOf('x'), f.get('plane'), false)),
          t.mean.set(f.f32.div(t.total.get(), count.get())),
          t.total.set(f.f32.const(0)),
          perImage(accumulate(f, t, planeOf('x'), f.get('plane'), true)),
          variance.set(f.f32.div(t.total.get(), count.get())),
          ...runningStatistics(f, config, c, t.mean, variance),
        ];
  return [
    f.for(c, i.const(0), i.const(config.channels), 1, [
      ...statistics,
      ...coefficients(f, t, () => c.get(), variance.get(), config.epsilon),
      perImage([plane.set(planeOf('y')), ...apply(f, t, planeOf('x'), plane, f.get('plane'))]),
    ]),
  ];
}

/** running = given · momentum + batch statistic · (1 - momentum), for the outputs asked for. */
function runningStatistics(f: FunctionBuilder, config: ChannelNormConfig, c: Local, mean: Local, variance: Local): Expr[] {
  const i = f.i32;
  const update = (output: string, input: string, value: Local): Expr => {
    const at = (name: string): Expr => i.add(f.get(name), i.shl(c.get(), 2));
    return f.f32.store(at(output), f.f32.add(f.f32.mul(f.f32.load(at(input)), f.f32.const(config.momentum)), f.f32.mul(value.get(), f.f32.const(1 - config.momentum))));
  };
  return [...(config.runningMean ? [update('runningMean', 'mean', mean)] : []), ...(config.runningVariance ? [update('runningVariance', 'variance', variance)] : [])];
}
