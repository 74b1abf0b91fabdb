/**
 * Pad (and Tile): every output element, in order, reads the input element
 * whose coordinate on each axis is (output coordinate - begin) mapped by
 * the mode — constant (outside the input: the value), edge (clamped),
 * reflect (mirrored without repeating the edge) or wrap (periodic). The
 * mapping runs once per axis per loop level, like the strided copy's
 * address arithmetic. Elements move raw (1, 2, 4 or 8 bytes).
 *
 * Parameters: in, out, [value] (constant mode with a value), then per axis
 * (outermost first) d<a> (output size), n<a> (input size), b<a> (leading
 * pad, negative crops).
 */
import type { PadMode } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** What a pad kernel bakes in. */
export interface PadKernelConfig {
  readonly rank: number;
  readonly elementBytes: number;
  readonly mode: PadMode;
  /** Constant mode reads its value from a `value` buffer (else writes zeros). */
  readonly withValue: boolean;
}

/** The parameter names of a pad kernel. */
export function padParams(config: PadKernelConfig): string[] {
  const axes = Array.from({ length: config.rank }, (_, axis) => axis);
  return ['in', 'out', ...(config.withValue ? ['value'] : []), ...axes.flatMap((axis) => [`d${axis}`, `n${axis}`, `b${axis}`])];
}

/** The pad kernel. */
export function padKernel(config: PadKernelConfig): KernelSpec {
  return {
    name: `pad_${config.mode}_r${config.rank}_e${config.elementBytes}${config.withValue ? '_value' : ''}`,
    params: padParams(config),
    build: (f) => buildPad(f, config),
  };
}

/** Sets `coordinate` to the input coordinate `c` maps to on an axis of `n` elements; in constant mode clears `inside` when it falls outside. */
function mapCoordinate(f: FunctionBuilder, mode: PadMode, c: Local, n: Expr, inside: Local): Expr[] {
  const i = f.i32;
  const size = f.temp('i32');
  switch (mode) {
    case 'constant':
      return [inside.set(i.and(inside.get(), i.and(i.ge(c.get(), i.const(0)), i.lt(c.get(), n))))];
    case 'edge':
      return [size.set(n), c.set(i.max(i.const(0), i.min(c.get(), i.sub(size.get(), i.const(1)))))];
    case 'wrap':
      return [size.set(n), c.set(i.remS(c.get(), size.get())), f.if(i.lt(c.get(), i.const(0)), [c.set(i.add(c.get(), size.get()))])];
    case 'reflect': {
      const period = f.temp('i32');
      return [
        size.set(n),
        period.set(i.sub(i.add(size.get(), size.get()), i.const(2))),
        f.if(
          i.le(size.get(), i.const(1)),
          [c.set(i.const(0))],
          [
            c.set(i.remS(c.get(), period.get())),
            f.if(i.lt(c.get(), i.const(0)), [c.set(i.add(c.get(), period.get()))]),
            f.if(i.ge(c.get(), size.get()), [c.set(i.sub(period.get(), c.get()))]),
          ],
        ),
      ];
    }
  }
}

function buildPad(f: FunctionBuilder, config: PadKernelConfig): Expr[] {
  const i = f.i32;
  const { rank, elementBytes, mode } = config;
  const last = rank - 1;
  // source[a]: the input address after the axes before a; inside[a]: every axis before a maps inside the input
  const source = Array.from({ length: rank + 1 }, (_, level) => f.local(`source${level}`, 'i32'));
  const inside = Array.from({ length: rank + 1 }, (_, level) => f.local(`inside${level}`, 'i32'));
  const stride = Array.from({ length: rank }, (_, axis) => f.local(`stride${axis}`, 'i32'));
  const target = f.local('target', 'i32');
  const c = f.local('c', 'i32');
  const setup: Expr[] = [stride[last].set(i.const(elementBytes))];
  for (let axis = last - 1; axis >= 0; axis--) setup.push(stride[axis].set(i.mul(stride[axis + 1].get(), f.get(`n${axis + 1}`))));
  setup.push(source[0].set(f.get('in')), inside[0].set(i.const(1)), target.set(f.get('out')));
  const element = (): Expr[] => {
    const store = f.raw.store(elementBytes, target.get(), f.raw.load(elementBytes, source[rank].get()));
    if (mode !== 'constant') return [store];
    const fill = config.withValue ? f.raw.store(elementBytes, target.get(), f.raw.load(elementBytes, f.get('value'))) : f.raw.store(elementBytes, target.get(), elementBytes === 8 ? f.i64.const(0) : i.const(0));
    return [f.if(inside[rank].get(), [store], [fill])];
  };
  let body: Expr[] = [...element(), target.set(i.add(target.get(), i.const(elementBytes)))];
  for (let axis = last; axis >= 0; axis--) {
    const index = f.local(`i${axis}`, 'i32');
    body = [
      f.for(index, i.const(0), f.get(`d${axis}`), 1, [
        c.set(i.sub(index.get(), f.get(`b${axis}`))),
        inside[axis + 1].set(inside[axis].get()),
        ...mapCoordinate(f, mode, c, f.get(`n${axis}`), inside[axis + 1]),
        source[axis + 1].set(i.add(source[axis].get(), i.mul(c.get(), stride[axis].get()))),
        ...body,
      ]),
    ];
  }
  return [...setup, ...body];
}
