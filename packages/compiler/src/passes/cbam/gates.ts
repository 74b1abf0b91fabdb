/**
 * The two gates of CBAM, recognised by what they compute rather than by
 * one exporter's node sequence:
 *
 * - channel gate of u: sigmoid(mlp(mean_hw u) + mlp(max_hw u)) with one
 *   shared MLP (shared-mlp.ts), reshaped or expanded to broadcast over u;
 *   the spatial mean as GlobalAveragePool, ReduceMean over H and W,
 *   AveragePool with the whole plane as window, or a mean over the last
 *   axis of u viewed as [N, C, H·W] — and the max likewise;
 * - spatial gate of u: sigmoid(Conv_k×k(Concat(mean_c u, max_c u))) with
 *   k odd, same-size padding, either order of the two maps (the weight's
 *   input channels are swapped into [mean, max]), the channel reductions
 *   with keepdims or followed by an Unsqueeze.
 */
import type { Node } from '@ladon/ir';
import { numberAttribute } from '../attributes.js';
import { axesOf, throughShapeOps, type GraphIndex } from './graph-index.js';
import { sameWeights, sharedMlpOf, type MlpMatch } from './shared-mlp.js';

/** A recognised gate: the value after its sigmoid, and every node from the statistics to the gate. */
interface GateMatch {
  /** The sigmoid's output (the attention map, before any reshape). */
  readonly map: string;
  readonly nodes: readonly Node[];
}

/** The channel gate: the shared MLP's weights in [out, in] form. */
export interface ChannelGate extends GateMatch {
  readonly mlp: MlpMatch;
}

/** The spatial gate: its k×k weight with input channels [mean, max], and its bias. */
export interface SpatialGate extends GateMatch {
  readonly weight: Float64Array;
  readonly bias?: Float64Array;
  readonly kernel: number;
}

type Statistic = 'mean' | 'max';

const POOLS: Readonly<Record<string, Statistic>> = { GlobalAveragePool: 'mean', GlobalMaxPool: 'max', AveragePool: 'mean', MaxPool: 'max', ReduceMean: 'mean', ReduceMax: 'max' };

/** Which spatial statistic of u (per channel) `value` is, or undefined. */
function spatialStatistic(index: GraphIndex, value: string, u: string): Statistic | undefined {
  const node = index.producer(value);
  const statistic = node ? POOLS[node.op] : undefined;
  if (!node || !statistic) return undefined;
  if (node.inputs[0] === u) return wholePlane(index, node, u) ? statistic : undefined;
  // a mean or max over the last axis of u viewed as [N, C, H·W]
  const view = throughShapeOps(index, node.inputs[0]);
  const flat = index.shape(node.inputs[0]);
  const reduced = node.op.startsWith('Reduce') ? axesOf(index, node, flat.length) : undefined;
  if (view.source !== u || flat.length !== 3 || reduced?.join() !== '2' || index.shape(u)[1] !== flat[1]) return undefined;
  return statistic;
}

/** The pool reads all of u's plane at once. */
function wholePlane(index: GraphIndex, node: Node, u: string): boolean {
  const shape = index.shape(u);
  if (node.op.startsWith('Global')) return true;
  if (node.op.startsWith('Reduce')) return axesOf(index, node, shape.length)?.join() === '2,3';
  const kernel = node.attrs.kernel_shape as number[] | undefined;
  const pads = (node.attrs.pads as number[] | undefined) ?? [];
  return kernel !== undefined && kernel[0] === shape[2] && kernel[1] === shape[3] && pads.every((pad) => pad === 0) && node.outputs.slice(1).every((output) => !output);
}

/** The sigmoid gating u, looked at through shape ops from the Mul's gate operand. */
function sigmoidOf(index: GraphIndex, gate: string): { sigmoid: Node; nodes: Node[] } | undefined {
  const { source, nodes } = throughShapeOps(index, gate);
  const sigmoid = index.producer(source, 'Sigmoid');
  return sigmoid ? { sigmoid, nodes } : undefined;
}

/** The channel gate of u that `gate` is, or undefined. */
export function channelGateOf(index: GraphIndex, gate: string, u: string): ChannelGate | undefined {
  const found = sigmoidOf(index, gate);
  const sum = found ? index.producer(found.sigmoid.inputs[0], 'Add') : undefined;
  if (!found || !sum) return undefined;
  const branches = sum.inputs.map((value) => sharedMlpOf(index, value));
  if (!branches[0] || !branches[1] || !sameWeights(branches[0], branches[1])) return undefined;
  const statistics = branches.map((branch) => spatialStatistic(index, branch!.pooled, u));
  if (!statistics.includes('mean') || !statistics.includes('max')) return undefined;
  const channels = index.shape(u)[1];
  if (branches[0].first.inputs !== channels || branches[0].second.outputs !== channels) return undefined;
  const pools = branches.map((branch) => index.producer(branch!.pooled)!);
  const poolViews = branches.flatMap((branch) => throughShapeOpsOfPool(index, branch!.pooled, u));
  return { map: found.sigmoid.outputs[0], mlp: branches[0], nodes: [...found.nodes, found.sigmoid, sum, ...branches[0].nodes, ...branches[1]!.nodes, ...pools, ...poolViews] };
}

/** The view nodes between u and a pool reading a reshaped u (none when the pool reads u). */
function throughShapeOpsOfPool(index: GraphIndex, pooled: string, u: string): Node[] {
  const pool = index.producer(pooled)!;
  return pool.inputs[0] === u ? [] : throughShapeOps(index, pool.inputs[0]).nodes;
}

/** The channel statistic of u (over axis 1) that `value` is, with the nodes passed. */
function channelStatistic(index: GraphIndex, value: string, u: string): { statistic: Statistic; nodes: Node[] } | undefined {
  const { source, nodes } = throughShapeOps(index, value);
  const node = index.producer(source, ['ReduceMean', 'ReduceMax']);
  if (!node || node.inputs[0] !== u || axesOf(index, node, 4)?.join() !== '1') return undefined;
  const keep = numberAttribute(node, 'keepdims', 1);
  if (keep === 0 && nodes.length === 0) return undefined;
  return { statistic: POOLS[node.op], nodes: [...nodes, node] };
}

/** The spatial gate of u that `gate` is, or undefined. */
export function spatialGateOf(index: GraphIndex, gate: string, u: string): SpatialGate | undefined {
  const found = sigmoidOf(index, gate);
  const conv = found ? index.producer(found.sigmoid.inputs[0], 'Conv') : undefined;
  if (!found || !conv) return undefined;
  const weight = index.constantValues(conv.inputs[1]);
  const shape = index.shape(conv.inputs[1]);
  const kernel = shape[2];
  if (!weight || typeof kernel !== 'number' || kernel % 2 !== 1 || shape.join() !== `1,2,${kernel},${kernel}` || !sameSizeConv(conv, kernel)) return undefined;
  const bias = conv.inputs[2] ? index.constantValues(conv.inputs[2]) : undefined;
  if (conv.inputs[2] && !bias) return undefined;
  const concat = index.producer(conv.inputs[0], 'Concat');
  if (!concat || concat.inputs.length !== 2 || numberAttribute(concat, 'axis') % 4 !== 1) return undefined;
  const maps = concat.inputs.map((value) => channelStatistic(index, value, u));
  if (!maps[0] || !maps[1] || maps[0].statistic === maps[1].statistic) return undefined;
  const ordered = maps[0].statistic === 'mean' ? weight : swapInputChannels(weight, kernel);
  return { map: found.sigmoid.outputs[0], weight: ordered, ...(bias ? { bias } : {}), kernel, nodes: [...found.nodes, found.sigmoid, conv, concat, ...maps[0].nodes, ...maps[1].nodes] };
}

function sameSizeConv(conv: Node, kernel: number): boolean {
  const half = (kernel - 1) / 2;
  const pads = (conv.attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  const ones = (name: string) => ((conv.attrs[name] as number[] | undefined) ?? [1, 1]).every((value) => value === 1);
  const autoPad = conv.attrs.auto_pad;
  const padded = autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER' || pads.every((pad) => pad === half);
  return padded && ones('strides') && ones('dilations') && numberAttribute(conv, 'group', 1) === 1;
}

/** [1, 2, k, k] with its two input channels exchanged. */
function swapInputChannels(weight: Float64Array, kernel: number): Float64Array {
  const plane = kernel * kernel;
  return Float64Array.from([...weight.subarray(plane, 2 * plane), ...weight.subarray(0, plane)]);
}
