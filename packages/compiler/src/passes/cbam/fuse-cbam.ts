/**
 * CBAM fusion: the Mul of a feature map by its channel gate, the Mul of
 * the result by its spatial gate, or both in a row (gates.ts), become one
 * `CBAM` node (the Ladon extension op of @ladon/ir). The weights are
 * rewritten into the op's forms (W1 [R, C], W2 [C, R], Ws [1, 2, k, k] with
 * [mean, max] inputs). Every node between the statistics and the product
 * must be read only inside the fusion — except the attention maps: a
 * sigmoid output (or a reshape of it) that is a graph output or read
 * elsewhere is replaced by the CBAM node's map output (reshaped), so a
 * model that exports its maps still fuses. Anything else read from outside
 * declines (both attentions are then tried one at a time).
 *
 * Counters: `cbam-channel-spatial`, `cbam-channel`, `cbam-spatial`.
 */
import { tensor, type Graph, type Node } from '@ladon/ir';
import { insertConstant, insertNode, insertOp, removeDeadNodes, replaceAllUses } from '../../graph-edit.js';
import type { Pass } from '../../pass.js';
import { channelGateOf, spatialGateOf, type ChannelGate, type SpatialGate } from './gates.js';
import { GraphIndex, throughShapeOps } from './graph-index.js';

/** A fusion found: the map x, the final product, the gates, and every node it replaces. */
interface Fusion {
  readonly x: string;
  readonly root: Node;
  readonly channel?: ChannelGate;
  readonly spatial?: SpatialGate;
  readonly nodes: ReadonlySet<Node>;
}

/** The (u, gate) operand orders of a Mul. */
function operands(node: Node): [string, string][] {
  return [[node.inputs[0], node.inputs[1]], [node.inputs[1], node.inputs[0]]];
}

function isFeatureMap(index: GraphIndex, value: string): boolean {
  const shape = index.shape(value);
  return shape.length === 4 && shape.slice(1).every((dim) => typeof dim === 'number') && index.graph.typeOf(value).dtype === 'f32';
}

/** Mul(x, channel gate of x), optionally followed by Mul(that, spatial gate of it); or Mul(x, spatial gate of x). */
function fusionAt(index: GraphIndex, mul: Node): Fusion | undefined {
  for (const [x, gate] of operands(mul)) {
    if (!isFeatureMap(index, x) || index.shape(mul.outputs[0]).join() !== index.shape(x).join()) continue;
    const channel = channelGateOf(index, gate, x);
    if (channel) {
      const both = withSpatial(index, mul, x, channel);
      if (both && escapesOnlyMaps(index, both)) return both;
      const alone: Fusion = { x, root: mul, channel, nodes: new Set([...channel.nodes, mul]) };
      if (escapesOnlyMaps(index, alone)) return alone;
    }
    const spatial = spatialGateOf(index, gate, x);
    if (spatial) {
      const alone: Fusion = { x, root: mul, spatial, nodes: new Set([...spatial.nodes, mul]) };
      if (escapesOnlyMaps(index, alone)) return alone;
    }
  }
  return undefined;
}

/** The channel product followed by a spatial product on it. */
function withSpatial(index: GraphIndex, first: Node, x: string, channel: ChannelGate): Fusion | undefined {
  const u = first.outputs[0];
  for (const reader of index.readers(u)) {
    if (reader.op !== 'Mul') continue;
    for (const [operand, gate] of operands(reader)) {
      if (operand !== u) continue;
      const spatial = spatialGateOf(index, gate, u);
      if (spatial) return { x, root: reader, channel, spatial, nodes: new Set([...channel.nodes, first, ...spatial.nodes, reader]) };
    }
  }
  return undefined;
}

/** The values a map may escape through: the sigmoid output and the shape ops after it. */
function mapValues(index: GraphIndex, gate: ChannelGate | SpatialGate | undefined): Set<string> {
  if (!gate) return new Set();
  return new Set([gate.map, ...[...gate.nodes].filter((node) => node.op !== 'Sigmoid' && throughShapeOps(index, node.outputs[0]).source === gate.map).map((node) => node.outputs[0])]);
}

/** True when every value of the fused nodes but the root's is read only inside the fusion, maps aside. */
function escapesOnlyMaps(index: GraphIndex, fusion: Fusion): boolean {
  const maps = new Set([...mapValues(index, fusion.channel), ...mapValues(index, fusion.spatial)]);
  for (const node of fusion.nodes) {
    if (node === fusion.root) continue;
    for (const value of node.outputs) {
      if (!value || maps.has(value)) continue;
      if (index.graph.outputs.includes(value) || index.readers(value).some((reader) => !fusion.nodes.has(reader))) return false;
    }
  }
  return true;
}

const rowMajor = (values: Float64Array, shape: number[]) => tensor('f32', shape, values);

/** Inserts the CBAM node for a fusion and redirects the product and escaping maps to it. */
function applyFusion(index: GraphIndex, fusion: Fusion): void {
  const { graph } = index;
  const first = graph.nodes.find((node) => fusion.nodes.has(node))!;
  const constant = (values: Float64Array | undefined, shape: number[], name: string) => (values ? insertConstant(graph, rowMajor(values, shape), name) : '');
  const [channels, hidden] = [index.shape(fusion.x)[1] as number, fusion.channel?.mlp.first.outputs ?? 0];
  const mlp = fusion.channel?.mlp;
  const spatial = fusion.spatial;
  const inputs = [
    fusion.x,
    constant(mlp?.first.weight, [hidden, channels], 'cbam_w1'),
    constant(mlp?.first.bias, [hidden], 'cbam_b1'),
    constant(mlp?.second.weight, [channels, hidden], 'cbam_w2'),
    constant(mlp?.second.bias, [channels], 'cbam_b2'),
    constant(spatial?.weight, [1, 2, spatial?.kernel ?? 0, spatial?.kernel ?? 0], 'cbam_ws'),
    constant(spatial?.bias, [1], 'cbam_bs'),
  ];
  const escaping = (gate: ChannelGate | SpatialGate | undefined) => [...mapValues(index, gate)].filter((value) => graph.outputs.includes(value) || index.readers(value).some((reader) => !fusion.nodes.has(reader)));
  const [channelEscapes, spatialEscapes] = [escaping(fusion.channel), escaping(fusion.spatial)];
  const [y, channelMap, spatialMap] = insertNode(graph, 'CBAM', trimOptional(inputs), {}, { before: first, name: 'cbam', outputs: [true, channelEscapes.length > 0, spatialEscapes.length > 0] });
  replaceAllUses(graph, fusion.root.outputs[0], y);
  for (const [escapes, map] of [[channelEscapes, channelMap], [spatialEscapes, spatialMap]] as const) {
    for (const value of escapes) replaceAllUses(graph, value, reshapedMap(graph, map!, value, first));
  }
  removeDeadNodes(graph);
}

/** Drops trailing omitted inputs. */
function trimOptional(inputs: string[]): string[] {
  const trimmed = [...inputs];
  while (trimmed.length > 1 && !trimmed[trimmed.length - 1]) trimmed.pop();
  return trimmed;
}

/** `map` in the shape of `value` (itself when equal; else a Reshape with -1 for the batch). */
function reshapedMap(graph: Graph, map: string, value: string, before: Node): string {
  const target = graph.typeOf(value).shape;
  if (graph.typeOf(map).shape.join() === target.join()) return map;
  const shape = insertConstant(graph, tensor('i64', [target.length], target.map((dim) => (typeof dim === 'number' ? dim : -1))), 'cbam_map_shape');
  return insertOp(graph, 'Reshape', [map, shape], {}, { before, name: 'cbam_map' });
}

function counterOf(fusion: Fusion): string {
  return fusion.channel && fusion.spatial ? 'cbam-channel-spatial' : fusion.channel ? 'cbam-channel' : 'cbam-spatial';
}

/** Fuses CBAM modules into CBAM nodes. */
export const fuseCbamPass: Pass = {
  name: 'fuse-cbam',
  description: 'channel and spatial attention multiplied into a feature map (CBAM) -> one CBAM op',
  run(graph, ctx) {
    for (let changed = true; changed; ) {
      changed = false;
      const index = new GraphIndex(graph);
      for (const node of graph.nodes) {
        if (node.op !== 'Mul') continue;
        const fusion = fusionAt(index, node);
        if (!fusion) continue;
        applyFusion(index, fusion);
        ctx.count(counterOf(fusion));
        changed = true;
        break;
      }
    }
  },
};
