/**
 * Transposed convolution, output-centric: output position p along an axis
 * receives input position i through kernel tap k when `i·s + k·d - pb = p`,
 * so each output value is a sum over the taps whose `p + pb - k·d` is a
 * non-negative multiple of s inside the input. Every size is baked in; the
 * kernel is scalar (ConvTranspose is rare in the models Ladon runs).
 *
 * Parameters: x, w ([C, M/group, kd, kh, kw]), bias (pointer, or 0 without
 * one), y, batch.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { SpatialWindow } from '../../lower/plans/window.js';
import type { KernelSpec } from '../kernel-set.js';

/** What a transposed-convolution kernel bakes in. */
export interface ConvTransposeKernelConfig extends Omit<SpatialWindow, 'padEnd'> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly group: number;
  readonly hasBias: boolean;
}

/** The transposed-convolution kernel of a configuration. */
export function convTransposeKernel(config: ConvTransposeKernelConfig): KernelSpec {
  const triple = (values: readonly number[]) => values.join('x');
  const tag = [`c${config.inChannels}`, `m${config.outChannels}`, `g${config.group}`, `i${triple(config.input)}`, `o${triple(config.output)}`, `k${triple(config.kernel)}`, `s${triple(config.strides)}`, `d${triple(config.dilations)}`, `b${triple(config.padBegin)}`].join('_');
  return { name: `conv_transpose_${tag}${config.hasBias ? '_bias' : ''}`, params: ['x', 'w', 'bias', 'y', 'batch'], build: (f) => buildConvTranspose(f, config) };
}

interface Loops {
  readonly outIndex: readonly Local[];
  readonly inIndex: readonly Local[];
  readonly kernelIndex: readonly Local[];
  readonly shifted: readonly Local[];
}

/**
 * Nested loops over the kernel taps of the three axes; for each, the input
 * position it reads when it contributes (`valid` guards the innermost body).
 */
function tapLoops(f: FunctionBuilder, config: ConvTransposeKernelConfig, loops: Loops, body: Expr[]): Expr[] {
  const i = f.i32;
  let inner = body;
  for (let axis = 2; axis >= 0; axis--) {
    const shifted = loops.shifted[axis];
    const stride = config.strides[axis];
    inner = [
      f.for(loops.kernelIndex[axis], i.const(0), i.const(config.kernel[axis]), 1, [
        shifted.set(i.sub(i.add(loops.outIndex[axis].get(), i.const(config.padBegin[axis])), i.mul(loops.kernelIndex[axis].get(), i.const(config.dilations[axis])))),
        f.if(i.and(i.ge(shifted.get(), i.const(0)), i.eqz(i.remS(shifted.get(), i.const(stride)))), [
          loops.inIndex[axis].set(i.divS(shifted.get(), i.const(stride))),
          f.if(i.lt(loops.inIndex[axis].get(), i.const(config.input[axis])), inner),
        ]),
      ]),
    ];
  }
  return inner;
}

function buildConvTranspose(f: FunctionBuilder, config: ConvTransposeKernelConfig): Expr[] {
  const i = f.i32;
  const [n, m, out, c, xAt, wAt] = ['n', 'm', 'out', 'c', 'xAt', 'wAt'].map((name) => f.local(name, 'i32'));
  const loops: Loops = {
    outIndex: [0, 1, 2].map((axis) => f.local(`outIndex${axis}`, 'i32')),
    inIndex: [0, 1, 2].map((axis) => f.local(`inIndex${axis}`, 'i32')),
    kernelIndex: [0, 1, 2].map((axis) => f.local(`kernelIndex${axis}`, 'i32')),
    shifted: [0, 1, 2].map((axis) => f.local(`shifted${axis}`, 'i32')),
  };
  const sum = f.local('sum', 'f32');
  const [id, ih, iw] = config.input;
  const [od, oh, ow] = config.output;
  const [kd, kh, kw] = config.kernel;
  const inputPlane = id * ih * iw;
  const outputPlane = od * oh * ow;
  const perGroupIn = config.inChannels / config.group;
  const perGroupOut = config.outChannels / config.group;
  const taps = kd * kh * kw;
  const inputOffset = i.add(i.mul(i.add(i.mul(loops.inIndex[0].get(), i.const(ih)), loops.inIndex[1].get()), i.const(iw)), loops.inIndex[2].get());
  const kernelOffset = i.add(i.mul(i.add(i.mul(loops.kernelIndex[0].get(), i.const(kh)), loops.kernelIndex[1].get()), i.const(kw)), loops.kernelIndex[2].get());
  const contribution = [sum.set(f.f32.add(sum.get(), f.f32.mul(f.f32.load(i.add(xAt.get(), i.shl(inputOffset, 2))), f.f32.load(i.add(wAt.get(), i.shl(kernelOffset, 2))))))];
  const firstChannel = i.mul(i.divS(m.get(), i.const(perGroupOut)), i.const(perGroupIn));
  const channels = [
    f.for(c, firstChannel, i.add(i.mul(i.divS(m.get(), i.const(perGroupOut)), i.const(perGroupIn)), i.const(perGroupIn)), 1, [
      xAt.set(i.add(f.get('x'), i.shl(i.mul(i.add(i.mul(n.get(), i.const(config.inChannels)), c.get()), i.const(inputPlane)), 2))),
      wAt.set(i.add(f.get('w'), i.shl(i.mul(i.add(i.mul(c.get(), i.const(perGroupOut)), i.remS(m.get(), i.const(perGroupOut))), i.const(taps)), 2))),
      ...tapLoops(f, config, loops, contribution),
    ]),
  ];
  return [
    f.for(n, i.const(0), f.get('batch'), 1, [
      f.for(m, i.const(0), i.const(config.outChannels), 1, [
        f.for(out, i.const(0), i.const(outputPlane), 1, [
          loops.outIndex[0].set(i.divS(out.get(), i.const(oh * ow))),
          loops.outIndex[1].set(i.remS(i.divS(out.get(), i.const(ow)), i.const(oh))),
          loops.outIndex[2].set(i.remS(out.get(), i.const(ow))),
          sum.set(config.hasBias ? f.f32.load(i.add(f.get('bias'), i.shl(m.get(), 2))) : f.f32.const(0)),
          ...channels,
          f.f32.store(i.add(f.get('y'), i.shl(i.add(i.mul(i.add(i.mul(n.get(), i.const(config.outChannels)), m.get()), i.const(outputPlane)), out.get()), 2)), sum.get()),
        ]),
      ]),
    ]),
  ];
}
