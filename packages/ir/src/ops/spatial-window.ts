/**
 * The sliding-window geometry ONNX's Conv, ConvTranspose, MaxPool and
 * AveragePool share: per spatial axis a kernel size, stride, dilation and
 * begin/end padding (explicit `pads`, or derived from `auto_pad`), and the
 * output size they give (`ceil_mode` for pools). Read once here, so
 * inference, the reference and the compiler's plans agree.
 *
 * Legend: `in` is an input spatial size, `k` the kernel size, `d` the
 * dilation, `s` the stride, `ek = (k - 1)·d + 1` the extent of one window,
 * `pb`/`pe` the begin/end pads. Output position `o` reads input positions
 * `o·s - pb + j·d` for `j` in `[0, k)`.
 */
import type { Dim } from '../dim.js';
import type { OpContext } from '../op-def.js';

/** ONNX `auto_pad`. */
export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

/** One spatial axis of a window op. */
export interface WindowAxis {
  readonly input: number;
  readonly output: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padBegin: number;
  readonly padEnd: number;
}

/** The attributes of a window op, validated (one entry per spatial axis; pads begin then end). */
export interface WindowAttrs {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly pads: readonly number[];
  readonly autoPad: AutoPad;
  readonly ceilMode: boolean;
}

const AUTO_PADS: readonly AutoPad[] = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];

function listAttr(ctx: OpContext, name: string, length: number, fallback: number, minimum: number): number[] {
  const values = ctx.ints(name);
  if (values === undefined) return new Array<number>(length).fill(fallback);
  if (values.length !== length) ctx.failAttr(`attribute '${name}' has ${values.length} entries, expected ${length}`);
  const bad = values.find((value) => value < minimum);
  if (bad !== undefined) ctx.failAttr(`attribute '${name}' must hold values >= ${minimum}, got ${bad}`);
  return [...values];
}

/** Reads `auto_pad` (ONNX accepts it absent, empty-string-free). */
export function readAutoPad(ctx: OpContext): AutoPad {
  const value = ctx.hasAttr('auto_pad') ? ctx.string('auto_pad') : 'NOTSET';
  if (!(AUTO_PADS as readonly string[]).includes(value)) ctx.failAttr(`attribute 'auto_pad' must be one of ${AUTO_PADS.join(', ')}, got '${value}'`);
  return value as AutoPad;
}

/**
 * The window attributes of a node with `spatial` spatial axes; `kernel`
 * comes from `kernel_shape` or, when given, the weight's spatial dims
 * (which `kernel_shape` must then equal).
 */
export function readWindowAttrs(ctx: OpContext, spatial: number, weightKernel?: readonly Dim[]): WindowAttrs {
  const autoPad = readAutoPad(ctx);
  const kernel = windowKernel(ctx, spatial, weightKernel);
  const pads = listAttr(ctx, 'pads', 2 * spatial, 0, 0);
  if (autoPad !== 'NOTSET' && ctx.hasAttr('pads') && pads.some((pad) => pad !== 0)) ctx.failAttr(`attribute 'pads' cannot be used with auto_pad ${autoPad}`);
  const ceilMode = ctx.def.attributes.ceil_mode ? ctx.int('ceil_mode') : 0;
  if (ceilMode !== 0 && ceilMode !== 1) ctx.failAttr(`attribute 'ceil_mode' must be 0 or 1, got ${ceilMode}`);
  return {
    kernel,
    strides: listAttr(ctx, 'strides', spatial, 1, 1),
    dilations: listAttr(ctx, 'dilations', spatial, 1, 1),
    pads,
    autoPad,
    ceilMode: ceilMode === 1,
  };
}

function windowKernel(ctx: OpContext, spatial: number, weightKernel?: readonly Dim[]): number[] {
  const attr = ctx.ints('kernel_shape');
  if (weightKernel) {
    if (weightKernel.some((dim) => typeof dim !== 'number')) ctx.failShape(`the weight's spatial dims [${weightKernel.join(', ')}] must be static`);
    const fromWeight = weightKernel as readonly number[];
    if (attr && (attr.length !== spatial || attr.some((size, axis) => size !== fromWeight[axis]))) {
      ctx.failAttr(`attribute 'kernel_shape' [${attr.join(', ')}] differs from the weight's spatial dims [${fromWeight.join(', ')}]`);
    }
    return [...fromWeight];
  }
  if (!attr) ctx.failAttr("missing required attribute 'kernel_shape'");
  return listAttr(ctx, 'kernel_shape', spatial, 1, 1);
}

/** Extent of one window along an axis. */
export function windowExtent(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/** Pads `[begin, end]` for SAME_UPPER/SAME_LOWER so that output = ceil(in / s). */
function samePads(autoPad: AutoPad, input: number, extent: number, stride: number): [number, number] {
  const output = Math.ceil(input / stride);
  const total = Math.max(0, (output - 1) * stride + extent - input);
  const small = Math.floor(total / 2);
  return autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
}

/**
 * The geometry of a Conv or pool over `inputs` (static spatial sizes): the
 * pads `auto_pad` implies, and the output sizes. With `ceil_mode` the
 * last window must still start inside the input or the begin padding.
 */
export function windowGeometry(ctx: OpContext, attrs: WindowAttrs, inputs: readonly number[]): WindowAxis[] {
  return inputs.map((input, axis) => {
    const [kernel, stride, dilation] = [attrs.kernel[axis], attrs.strides[axis], attrs.dilations[axis]];
    const extent = windowExtent(kernel, dilation);
    let [padBegin, padEnd] = [attrs.pads[axis], attrs.pads[axis + inputs.length]];
    if (attrs.autoPad === 'SAME_UPPER' || attrs.autoPad === 'SAME_LOWER') [padBegin, padEnd] = samePads(attrs.autoPad, input, extent, stride);
    if (attrs.autoPad === 'VALID') [padBegin, padEnd] = [0, 0];
    const span = input + padBegin + padEnd - extent;
    if (span < 0) ctx.failShape(`spatial axis ${axis}: the window (extent ${extent}) is larger than the padded input (${input} + ${padBegin} + ${padEnd})`);
    let output = (attrs.ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
    if (attrs.ceilMode && (output - 1) * stride >= input + padBegin) output -= 1;
    return { input, output, kernel, stride, dilation, padBegin, padEnd };
  });
}

/** The spatial dims of `shape` (after N and C) as numbers, or a ShapeError naming the op's input. */
export function staticSpatial(ctx: OpContext, shape: readonly Dim[], input = 0): number[] {
  const spatial = shape.slice(2);
  if (spatial.some((dim) => typeof dim !== 'number')) {
    ctx.failShape(`${ctx.inputPortName(input)} ${ctx.inputRef(input)} must have static spatial dims, got [${shape.join(', ')}]`, ctx.node.inputs[input]);
  }
  return spatial as number[];
}

/** The output dims of a window op: N, the channel count, then each axis' output size. */
export function windowOutputShape(batch: Dim, channels: Dim, axes: readonly WindowAxis[]): Dim[] {
  return [batch, channels, ...axes.map((axis) => axis.output)];
}

/** A tap that reads explicit padding. */
export const PAD_TAP = -1;
/** A tap past the end padding (a ceil_mode window running over the edge): not part of the window at all. */
export const OUTSIDE_TAP = -2;

/**
 * For every output position (row-major over the output sizes) and kernel
 * position (row-major over the kernel), the row-major offset of the input
 * position it reads, or {@link PAD_TAP} / {@link OUTSIDE_TAP}. The
 * reference kernels of every window op index through this table.
 */
export function windowTaps(axes: readonly WindowAxis[]): { readonly taps: Int32Array; readonly kernelSize: number; readonly outputSize: number } {
  const outputSize = axes.reduce((size, axis) => size * axis.output, 1);
  const kernelSize = axes.reduce((size, axis) => size * axis.kernel, 1);
  const taps = new Int32Array(outputSize * kernelSize);
  const outputIndex = new Array<number>(axes.length).fill(0);
  for (let o = 0; o < outputSize; o++) {
    let rest = o;
    for (let axis = axes.length - 1; axis >= 0; axis--) {
      outputIndex[axis] = rest % axes[axis].output;
      rest = Math.floor(rest / axes[axis].output);
    }
    for (let k = 0; k < kernelSize; k++) taps[o * kernelSize + k] = tapOffset(axes, outputIndex, k);
  }
  return { taps, kernelSize, outputSize };
}

function tapOffset(axes: readonly WindowAxis[], outputIndex: readonly number[], kernelFlat: number): number {
  let rest = kernelFlat;
  let offset = 0;
  let stride = 1;
  let padded = false;
  for (let axis = axes.length - 1; axis >= 0; axis--) {
    const { kernel, input, stride: step, dilation, padBegin, padEnd } = axes[axis];
    const position = outputIndex[axis] * step - padBegin + (rest % kernel) * dilation;
    rest = Math.floor(rest / kernel);
    if (position >= input + padEnd) return OUTSIDE_TAP;
    if (position < 0 || position >= input) padded = true;
    offset += position * stride;
    stride *= input;
  }
  return padded ? PAD_TAP : offset;
}
