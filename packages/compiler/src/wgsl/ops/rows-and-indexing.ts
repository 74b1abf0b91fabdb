/**
 * LayerNormalization, Softmax, Gather and Range: the lowerings that work
 * out rows, axis sizes and strides for the row and index kernels.
 */
import { dimsEqual, nodeLocation, normalizeAxis, type Dim, type Node } from '@ladon/ir';
import { copyElement, deviceElement, elementCount } from '../elements.js';
import { FLAT_WORKGROUP } from '../kernels/flat.js';
import { gatherKernel, rangeKernel } from '../kernels/index-kernels.js';
import { layerNormKernel, softmaxKernel } from '../kernels/row-kernels.js';
import { unsupported, type WgslLowering } from '../lowering.js';

/** LayerNormalization (only Y; scale and bias broadcast over leading axes). */
export function lowerLayerNorm(lowering: WgslLowering, node: Node): void {
  if (node.outputs.slice(1).some((output) => output)) throw unsupported(node, 'LayerNormalization Mean/InvStdDev outputs');
  const attrs = lowering.attrs(node);
  const x = lowering.graph.typeOf(node.inputs[0]);
  const axis = normalizeAxis(attrs.int('axis'), x.shape.length, nodeLocation(node));
  const bias = node.inputs[2];
  const normalized = x.shape.slice(axis);
  for (const parameter of node.inputs.slice(1).filter(Boolean)) checkTrailing(node, lowering.graph.typeOf(parameter).shape, normalized);
  const count = (value: string) => elementCount(lowering.graph.typeOf(value).shape);
  const buffers: Record<string, number> = { x: lowering.buffer(node.inputs[0]), scale: lowering.buffer(node.inputs[1]), y: lowering.buffer(node.outputs[0]) };
  const rows = elementCount(x.shape.slice(0, axis));
  const uniforms: Record<string, string | number> = { rows, size: elementCount(x.shape.slice(axis)), scale_count: count(node.inputs[1]), epsilon: attrs.float('epsilon') };
  if (bias) {
    buffers.bias = lowering.buffer(bias);
    uniforms.bias_count = count(bias);
  }
  lowering.call(layerNormKernel(deviceElement(x.dtype), Boolean(bias)), node, { buffers, uniforms }, { items: [rows, 1, 1], perWorkgroup: [1, 1, 1] });
}

/** Scale and bias are read at `k % count`: they must be the normalized shape's trailing axes (after leading 1s). */
function checkTrailing(node: Node, shape: readonly Dim[], normalized: readonly Dim[]): void {
  const own = shape.slice(shape.findIndex((dim) => dim !== 1) < 0 ? shape.length : shape.findIndex((dim) => dim !== 1));
  const tail = normalized.slice(normalized.length - own.length);
  if (own.length > normalized.length || !own.every((dim, i) => dimsEqual(dim, tail[i]))) {
    throw unsupported(node, `LayerNormalization scale/bias of shape [${shape.join(', ')}] broadcast inside the normalized shape [${normalized.join(', ')}]`);
  }
}

/** Softmax along `axis`. */
export function lowerSoftmax(lowering: WgslLowering, node: Node): void {
  const x = lowering.graph.typeOf(node.inputs[0]);
  const axis = normalizeAxis(lowering.attrs(node).int('axis'), x.shape.length, nodeLocation(node));
  const inner = elementCount(x.shape.slice(axis + 1));
  const rows = elementCount([...x.shape.slice(0, axis), ...x.shape.slice(axis + 1)]);
  lowering.call(
    softmaxKernel(deviceElement(x.dtype)),
    node,
    { buffers: { x: lowering.buffer(node.inputs[0]), y: lowering.buffer(node.outputs[0]) }, uniforms: { rows, axis_length: x.shape[axis], inner } },
    { items: [rows, 1, 1], perWorkgroup: [1, 1, 1] },
  );
}

/** Gather along `axis` with run-time indices. */
export function lowerGather(lowering: WgslLowering, node: Node): void {
  const data = lowering.graph.typeOf(node.inputs[0]);
  const indices = lowering.graph.typeOf(node.inputs[1]);
  const axis = normalizeAxis(lowering.attrs(node).int('axis'), data.shape.length, nodeLocation(node));
  const count = elementCount(lowering.graph.typeOf(node.outputs[0]).shape);
  lowering.call(
    gatherKernel(copyElement(data.dtype)),
    node,
    {
      buffers: { data: lowering.buffer(node.inputs[0]), indices: lowering.buffer(node.inputs[1]), y: lowering.buffer(node.outputs[0]) },
      uniforms: { count, inner: elementCount(data.shape.slice(axis + 1)), index_count: elementCount(indices.shape), axis_dim: data.shape[axis] },
    },
    { items: [count, 1, 1], perWorkgroup: [FLAT_WORKGROUP, 1, 1] },
  );
}

/** Range with compile-time start and delta (the length comes from the output's shape). */
export function lowerRange(lowering: WgslLowering, node: Node): void {
  const output = lowering.graph.typeOf(node.outputs[0]);
  const start = lowering.staticNumbers(node, 0, 'Range start')?.[0];
  const delta = lowering.staticNumbers(node, 2, 'Range delta')?.[0];
  if (start === undefined || delta === undefined) throw unsupported(node, 'Range start and delta must be known at compile time');
  const element = deviceElement(output.dtype);
  if (element !== 'f32' && element !== 'i32') throw unsupported(node, `Range of ${output.dtype}`);
  const count = output.shape[0];
  lowering.call(
    rangeKernel(element),
    node,
    { buffers: { y: lowering.buffer(node.outputs[0]) }, uniforms: { count, start, delta } },
    { items: [count, 1, 1], perWorkgroup: [FLAT_WORKGROUP, 1, 1] },
  );
}
