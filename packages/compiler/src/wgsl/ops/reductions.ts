/**
 * ReduceSum / ReduceMean (axes from the attribute or a compile-time input,
 * keepdims, noop_with_empty_axes) and ConstantOfShape (a fill whose size
 * comes from the output's possibly symbolic shape).
 */
import { nodeLocation, normalizeAxis, toNumbers, type Dim, type Node, type Tensor } from '@ladon/ir';
import { contiguousStrides, copyElement, deviceElement, elementCount, padLeft } from '../elements.js';
import { FLAT_WORKGROUP, MAX_RANK, rankValues } from '../kernels/flat.js';
import { fillKernel } from '../kernels/index-kernels.js';
import { reduceKernel } from '../kernels/reduce-kernel.js';
import { unsupported, type WgslLowering } from '../lowering.js';

function reducedAxes(lowering: WgslLowering, node: Node, rank: number): number[] | undefined {
  const raw = node.inputs[1] ? lowering.staticNumbers(node, 1, `${node.op} axes`) : (node.attrs.axes as readonly number[] | undefined);
  if (node.inputs[1] && raw === undefined) throw unsupported(node, `${node.op} axes must be known at compile time`);
  const axes = (raw ?? []).map((axis) => normalizeAxis(axis, rank, nodeLocation(node)));
  if (axes.length > 0) return axes;
  return lowering.attrs(node).int('noop_with_empty_axes') !== 0 ? undefined : Array.from({ length: rank }, (_, axis) => axis);
}

/** ReduceSum and ReduceMean. */
export function lowerReduce(lowering: WgslLowering, node: Node): void {
  const input = lowering.graph.typeOf(node.inputs[0]);
  const axes = reducedAxes(lowering, node, input.shape.length);
  if (!axes) return lowering.builder.alias(node.outputs[0], node.inputs[0]);
  const strides = contiguousStrides(input.shape);
  const reduced = (axis: number) => axes.includes(axis);
  const kept = input.shape.map((dim, axis) => (reduced(axis) ? 1 : dim));
  const reducedDims = input.shape.map((dim, axis) => (reduced(axis) ? dim : 1));
  const what = `${node.op} ${node.outputs[0]}`;
  const count = elementCount(kept);
  const uniforms: Record<string, Dim> = {
    count,
    reduced_count: elementCount(reducedDims),
    ...rankValues('dim', padLeft(kept, MAX_RANK, 1, what)),
    ...rankValues('kept_stride', padLeft(strides, MAX_RANK, 0, what)),
    ...rankValues('reduced_dim', padLeft(reducedDims, MAX_RANK, 1, what)),
    ...rankValues('reduced_stride', padLeft(strides, MAX_RANK, 0, what)),
  };
  const kernel = reduceKernel(deviceElement(input.dtype), node.op === 'ReduceMean');
  const buffers = { x: lowering.buffer(node.inputs[0]), y: lowering.buffer(node.outputs[0]) };
  lowering.call(kernel, node, { buffers, uniforms }, { items: [count, 1, 1], perWorkgroup: [FLAT_WORKGROUP, 1, 1] });
}

/** The fill value's uniform: the bits of a 32-bit element, or the float for f16. */
function fillValue(value: Tensor): number {
  const [number] = toNumbers(value);
  if (value.dtype === 'f16') return number;
  if (value.dtype === 'f32') return new Uint32Array(new Float32Array([number]).buffer)[0];
  if (value.dtype === 'bool') return number ? 1 : 0;
  return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, number)) >>> 0;
}

/** ConstantOfShape: fills the output with `value` (default f32 0). */
export function lowerConstantOfShape(lowering: WgslLowering, node: Node): void {
  const output = lowering.graph.typeOf(node.outputs[0]);
  const value = (node.attrs.value as Tensor | undefined) ?? { dtype: 'f32', shape: [1], data: new Float32Array(1) };
  const element = copyElement(output.dtype) as 'u32' | 'half_t';
  const count = elementCount(output.shape);
  lowering.call(
    fillKernel(element),
    node,
    { buffers: { y: lowering.buffer(node.outputs[0]) }, uniforms: { count, value: fillValue(value) } },
    { items: [count, 1, 1], perWorkgroup: [FLAT_WORKGROUP, 1, 1] },
  );
}
