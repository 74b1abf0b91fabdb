/**
 * Pad and Tile plans: every output element reads the input element at a
 * coordinate mapped per axis from (output coordinate - begin) by the mode
 * (constant: outside is the value; edge: clamp; reflect: mirror; wrap:
 * periodic). Tile is wrap with no leading pad. Axes that neither side pads
 * merge with their unpadded neighbours, so kernels see few axes. Fed pads
 * become symbols the host binds; fed axes shape the kernel (sessions
 * specialise on them).
 */
import { mulDims, normalizeAxis, padMode, tensor, type Dim, type DType, type Node, type PadMode, type Tensor } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** One axis of a pad: the input and output sizes and the leading pad (negative crops). */
export interface PadAxis {
  readonly input: Dim;
  readonly output: Dim;
  readonly begin: Dim;
}

/** A Pad (or Tile) as an index map per axis. */
export interface PadPlan {
  readonly kind: 'pad';
  readonly node: Node;
  readonly input: string;
  readonly output: string;
  readonly dtype: DType;
  readonly mode: PadMode;
  /** Outermost first; at least one. */
  readonly axes: readonly PadAxis[];
  /** Constant mode: the one-element tensor holding the value (its name, or the value itself from the pre-11 attribute; absent: zero). */
  readonly value?: string | Tensor;
}

const sameDim = (a: Dim, b: Dim): boolean => String(a) === String(b);

/** Drops unpadded size-1 axes and merges neighbours that are both unpadded. */
export function mergePadAxes(axes: readonly PadAxis[]): PadAxis[] {
  const unpadded = (axis: PadAxis): boolean => axis.begin === 0 && sameDim(axis.input, axis.output);
  const merged: PadAxis[] = [];
  for (const axis of axes) {
    if (unpadded(axis) && axis.input === 1) continue;
    const last = merged[merged.length - 1];
    if (last && unpadded(last) && unpadded(axis)) merged[merged.length - 1] = { input: mulDims(last.input, axis.input), output: mulDims(last.output, axis.output), begin: 0 };
    else merged.push(axis);
  }
  return merged.length > 0 ? merged : [{ input: 1, output: 1, begin: 0 }];
}

function padPlan(ctx: PlanContext, mode: PadMode, begins: readonly Dim[], value?: string | Tensor): PadPlan {
  const [input] = ctx.node.inputs;
  const output = ctx.node.outputs[0];
  const inputDims = ctx.shape(input);
  const outputDims = ctx.shape(output);
  const axes = mergePadAxes(inputDims.map((dim, axis) => ({ input: dim, output: outputDims[axis], begin: begins[axis] })));
  return { kind: 'pad', node: ctx.node, input, output, dtype: ctx.dtype(input), mode, axes, ...(value ? { value } : {}) };
}

/** Plans Pad: the leading pads per axis (symbols when fed), the mode, and the value tensor in constant mode. */
export function planPad(ctx: PlanContext): PadPlan {
  const rank = ctx.shape(ctx.node.inputs[0]).length;
  const pads = ctx.node.inputs[1] ? ctx.runtimeInts(1, 'pads')! : (ctx.infer.ints('pads') ?? []);
  const axes = ctx.node.inputs[3] ? ctx.requireStaticNumbers(3, 'axes').map((axis) => normalizeAxis(axis, rank)) : Array.from({ length: rank }, (_, axis) => axis);
  const begins = new Array<Dim>(rank).fill(0);
  axes.forEach((axis, index) => (begins[axis] = pads[index]));
  const mode = padMode(ctx.infer);
  if (mode !== 'constant') return padPlan(ctx, mode, begins);
  const attribute = ctx.node.inputs[1] ? 0 : ctx.infer.float('value');
  const value = ctx.node.inputs[2] || (attribute !== 0 ? tensor(ctx.dtype(ctx.node.inputs[0]), [1], [attribute]) : undefined);
  return padPlan(ctx, mode, begins, value);
}

/** Plans Tile as a wrap-mode pad with no leading pad. */
export function planTile(ctx: PlanContext): PadPlan {
  return padPlan(ctx, 'wrap', ctx.shape(ctx.node.inputs[0]).map(() => 0));
}
