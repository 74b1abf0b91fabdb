/**
 * Packs the Q, K and V projections of an attention into one Linear:
 * Linear(x, Wq, bq), Linear(x, Wk, bk), Linear(x, Wv, bv) with the same x
 * and constant weights become Linear(x, [Wq; Wk; Wv], [bq; bk; bv]) and a
 * Split on the last axis. One GEMM streams x once instead of three times,
 * and a backend that can read strided Q/K/V (the wasm attention kernel
 * does) reads the three slices of the packed output in place, so the Split
 * costs nothing. It fires only where that holds: every projection feeds only
 * Q, K or V of 3-D Attention nodes.
 */
import { isFloatDType, type DType, type Graph, type Node, type Tensor } from '@ladon/ir';
import { insertConstant, insertNode, replaceAllUses } from '../../graph-edit.js';
import type { Pass, PassContext } from '../../pass.js';

interface Projection {
  readonly node: Node;
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
}

/** The projections of `x`: constant-weight Linears whose outputs feed only Q/K/V of 3-D Attention nodes. */
function projectionsOf(graph: Graph, x: string, consumers: ReadonlyMap<string, Node[]>): Projection[] {
  const projections: Projection[] = [];
  for (const node of consumers.get(x) ?? []) {
    if (node.op !== 'Linear' || node.inputs[0] !== x) continue;
    const weight = graph.initializers.get(node.inputs[1]);
    const bias = node.inputs[2] ? graph.initializers.get(node.inputs[2]) : undefined;
    if (!weight || (node.inputs[2] && !bias) || !isFloatDType(weight.dtype)) continue;
    if (graph.outputs.includes(node.outputs[0]) || !feedsOnlyAttention(node.outputs[0], consumers)) continue;
    projections.push({ node, weight, bias });
  }
  return projections;
}

function feedsOnlyAttention(value: string, consumers: ReadonlyMap<string, Node[]>): boolean {
  const readers = consumers.get(value) ?? [];
  return readers.length > 0 && readers.every((reader) => reader.op === 'Attention' && reader.attrs.q_num_heads !== undefined && reader.inputs.slice(3).every((input) => input !== value));
}

/** The projections that can share one packed weight: same transB, dtype, bias presence and input width. */
function compatibleGroup(projections: readonly Projection[]): Projection[] {
  const [first] = projections;
  if (!first) return [];
  const transB = first.node.attrs.transB ?? 0;
  const inner = (projection: Projection): number => (transB ? projection.weight.shape[1] : projection.weight.shape[0]);
  return projections.filter(
    (projection) =>
      (projection.node.attrs.transB ?? 0) === transB &&
      inner(projection) === inner(first) &&
      projection.weight.dtype === first.weight.dtype &&
      Boolean(projection.bias) === Boolean(first.bias),
  );
}

/** Concatenates the weights along N ([N, K] rows with transB, else [K, N] columns). */
function packWeights(projections: readonly Projection[], transB: boolean): Tensor {
  const dtype = projections[0].weight.dtype;
  const k = transB ? projections[0].weight.shape[1] : projections[0].weight.shape[0];
  const widths = projections.map((projection) => (transB ? projection.weight.shape[0] : projection.weight.shape[1]));
  const total = widths.reduce((sum, width) => sum + width, 0);
  const data = new (projections[0].weight.data.constructor as new (length: number) => Float32Array)(k * total);
  let column = 0;
  projections.forEach(({ weight }, index) => {
    const width = widths[index];
    const source = weight.data as Float32Array;
    if (transB) data.set(source, column * k);
    else for (let row = 0; row < k; row++) data.set(source.subarray(row * width, (row + 1) * width), row * total + column);
    column += width;
  });
  return { dtype, shape: transB ? [total, k] : [k, total], data } as Tensor;
}

function packBiases(projections: readonly Projection[], dtype: DType): Tensor {
  const parts = projections.map((projection) => projection.bias!.data as Float32Array);
  const data = new (parts[0].constructor as new (length: number) => Float32Array)(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return { dtype, shape: [data.length], data } as Tensor;
}

function packGroup(graph: Graph, group: readonly Projection[]): void {
  const first = group[0].node;
  const transB = Boolean(first.attrs.transB);
  const before = graph.nodes.find((node) => group.some((projection) => projection.node === node))!;
  const weight = insertConstant(graph, packWeights(group, transB), 'packed_qkv_weight');
  const inputs = [first.inputs[0], weight];
  if (group[0].bias) inputs.push(insertConstant(graph, packBiases(group, group[0].weight.dtype), 'packed_qkv_bias'));
  const [packed] = insertNode(graph, 'Linear', inputs, transB ? { transB: 1 } : {}, { before, name: 'packed_qkv' });
  const widths = group.map(({ weight: w }) => (transB ? w.shape[0] : w.shape[1]));
  const sizes = insertConstant(graph, { dtype: 'i64', shape: [widths.length], data: BigInt64Array.from(widths.map(BigInt)) }, 'packed_qkv_split');
  const slices = insertNode(graph, 'Split', [packed, sizes], { axis: -1 }, { before, name: 'packed_qkv_slice', outputs: group.length });
  group.forEach((projection, index) => replaceAllUses(graph, projection.node.outputs[0], slices[index]));
}

/** The pass: packs each attention's projections of one input; counts `packed-projections`. */
export const packProjectionsPass: Pass = {
  name: 'pack-projections',
  description: 'Q/K/V projections of one input become one packed Linear (sliced in place by the attention)',
  run(graph: Graph, ctx: PassContext) {
    const consumers = graph.consumers();
    const inputs = new Set(graph.nodes.filter((node) => node.op === 'Linear').map((node) => node.inputs[0]));
    for (const x of inputs) {
      const group = compatibleGroup(projectionsOf(graph, x, consumers));
      if (group.length < 2) continue;
      packGroup(graph, group);
      ctx.count('packed-projections');
    }
  },
};
