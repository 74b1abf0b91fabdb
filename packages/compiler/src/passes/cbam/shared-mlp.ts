/**
 * CBAM's shared MLP as exporters write it: two dense layers with a ReLU
 * between, each a Linear (what Gemm and MatMul + bias become), a Gemm, a
 * MatMul (+ Add of a constant bias) or a 1×1 Conv on [N, C, 1, 1], with
 * shape ops (Flatten, Reshape, Squeeze...) anywhere between. Read backwards
 * from the MLP's output to the pooled vector it was applied to; the weights
 * come out in one form, W [out, in] and an optional bias [out].
 */
import { type Node } from '@ladon/ir';
import { numberAttribute } from '../attributes.js';
import { throughShapeOps, type GraphIndex } from './graph-index.js';

/** One dense layer: y = W · x + b with W [out, in]. */
export interface DenseLayer {
  readonly weight: Float64Array;
  readonly bias?: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
  /** The layer's input value. */
  readonly input: string;
  readonly nodes: readonly Node[];
}

/** W [rows, cols] stored row-major, or transposed. */
function asOutIn(values: Float64Array, rows: number, cols: number, storedOutIn: boolean): { weight: Float64Array; inputs: number; outputs: number } {
  if (storedOutIn) return { weight: values, inputs: cols, outputs: rows };
  const weight = new Float64Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) weight[c * rows + r] = values[r * cols + c];
  return { weight, inputs: rows, outputs: cols };
}

function matrixShape(index: GraphIndex, value: string): [number, number] | undefined {
  const shape = index.shape(value);
  return shape.length === 2 && typeof shape[0] === 'number' && typeof shape[1] === 'number' ? [shape[0], shape[1]] : undefined;
}

/** A dense layer producing `value` (looked at through shape ops), or undefined. */
export function denseLayer(index: GraphIndex, value: string): DenseLayer | undefined {
  const { source, nodes } = throughShapeOps(index, value);
  const node = index.producer(source);
  if (!node) return undefined;
  if (node.op === 'Add') return biasedLayer(index, node, nodes);
  const layer = layerOf(index, node);
  return layer ? { ...layer, nodes: [...nodes, node] } : undefined;
}

/** Add(dense layer without bias, constant bias) in either order. */
function biasedLayer(index: GraphIndex, add: Node, nodes: Node[]): DenseLayer | undefined {
  for (const [product, bias] of [add.inputs, [...add.inputs].reverse()]) {
    const values = index.constantValues(bias);
    const layer = index.producer(product) ? layerOf(index, index.producer(product)!) : undefined;
    if (!values || !layer || layer.bias || values.length !== layer.outputs) continue;
    return { ...layer, bias: values, nodes: [...nodes, add, index.producer(product)!] };
  }
  return undefined;
}

function layerOf(index: GraphIndex, node: Node): Omit<DenseLayer, 'nodes'> | undefined {
  const [input, weightValue, biasValue] = node.inputs;
  const values = index.constantValues(weightValue);
  if (!values) return undefined;
  const bias = biasValue ? index.constantValues(biasValue) : undefined;
  if (biasValue && !bias) return undefined;
  const withBias = (layer: { weight: Float64Array; inputs: number; outputs: number }) => (bias && bias.length !== layer.outputs ? undefined : { ...layer, ...(bias ? { bias } : {}), input });
  switch (node.op) {
    case 'Linear':
    case 'MatMul': {
      const shape = matrixShape(index, weightValue);
      return shape ? withBias(asOutIn(values, shape[0], shape[1], numberAttribute(node, 'transB') === 1)) : undefined;
    }
    case 'Gemm': {
      const shape = matrixShape(index, weightValue);
      const plain = numberAttribute(node, 'transA') === 0 && numberAttribute(node, 'alpha', 1) === 1 && numberAttribute(node, 'beta', 1) === 1;
      return shape && plain ? withBias(asOutIn(values, shape[0], shape[1], numberAttribute(node, 'transB') === 1)) : undefined;
    }
    case 'Conv':
      return pointwiseConv(index, node, values, withBias);
    default:
      return undefined;
  }
}

/** A 1×1 Conv (no padding, stride 1, one group) on a [N, C, 1, 1] input is a dense layer. */
function pointwiseConv(index: GraphIndex, node: Node, values: Float64Array, withBias: (layer: { weight: Float64Array; inputs: number; outputs: number }) => Omit<DenseLayer, 'nodes'> | undefined) {
  const shape = index.shape(node.inputs[1]);
  const input = index.shape(node.inputs[0]);
  const pads = node.attrs.pads as number[] | undefined;
  const unit = shape.length === 4 && shape[2] === 1 && shape[3] === 1 && input.length === 4 && input[2] === 1 && input[3] === 1;
  if (!unit || numberAttribute(node, 'group', 1) !== 1 || (pads && pads.some((pad) => pad !== 0)) || typeof shape[0] !== 'number' || typeof shape[1] !== 'number') return undefined;
  return withBias({ weight: values, inputs: shape[1], outputs: shape[0] });
}

/** The MLP `dense2(relu(dense1(pooled)))` producing `value`: its two layers and the pooled value it reads. */
export interface MlpMatch {
  readonly first: DenseLayer;
  readonly second: DenseLayer;
  readonly pooled: string;
  readonly nodes: readonly Node[];
}

/** Reads the MLP ending at `value`, or undefined. */
export function sharedMlpOf(index: GraphIndex, value: string): MlpMatch | undefined {
  const second = denseLayer(index, value);
  if (!second) return undefined;
  const activation = throughShapeOps(index, second.input);
  const relu = index.producer(activation.source, 'Relu');
  if (!relu) return undefined;
  const first = denseLayer(index, relu.inputs[0]);
  if (!first || first.outputs !== second.inputs) return undefined;
  const pooled = throughShapeOps(index, first.input);
  return { first, second, pooled: pooled.source, nodes: [...second.nodes, ...activation.nodes, relu, ...first.nodes, ...pooled.nodes] };
}

/** True when two MLPs have the same weights (the two branches of one shared MLP). */
export function sameWeights(a: MlpMatch, b: MlpMatch): boolean {
  const equal = (x?: Float64Array, y?: Float64Array) => (x === undefined ? y === undefined : y !== undefined && x.length === y.length && x.every((value, i) => value === y[i]));
  return equal(a.first.weight, b.first.weight) && equal(a.first.bias, b.first.bias) && equal(a.second.weight, b.second.weight) && equal(a.second.bias, b.second.bias);
}
