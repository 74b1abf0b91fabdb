/**
 * Probing values numerically. Some facts about a subgraph are easier to
 * check than to match: that a web of Slice/Neg/Concat/Mul/Add is a rotary
 * embedding, that a bias is slope·(j - i) per head. A probe binds every
 * symbolic size of the graph's inputs to a number, draws random inputs of
 * those sizes, and evaluates the values asked for with the reference ops
 * (overridden values take the tensors given). Two probes at different sizes
 * make a coincidence unlikely; rules compare what they find exactly, or
 * within the f32 rounding of the computation.
 */
import { dimSymbols, evaluateDim, LadonError, runNode, seededRandom, shapeSize, tensor, type DType, type Graph, type Node, type Tensor } from '@ladon/ir';
import type { GraphIndex } from './layout.js';

/** One binding of the graph's symbolic sizes, with random inputs of those sizes. */
export interface Probe {
  readonly bindings: ReadonlyMap<string, number>;
  readonly feeds: ReadonlyMap<string, Tensor>;
}

/** Sizes the probes bind symbols to (per probe, the i-th symbol gets the i-th size, cycling). */
const PROBE_SIZES = [
  [5, 7, 3, 6, 4],
  [9, 4, 11, 5, 6],
];

/** Two probes of the graph: different sizes, seeded random inputs (integers in [0, 8) for integer inputs). */
export function makeProbes(graph: Graph): Probe[] {
  const symbols = [...new Set(graph.inputs.flatMap((name) => graph.typeOf(name).shape.flatMap((dim) => dimSymbols(dim))))].sort();
  return PROBE_SIZES.map((sizes, probe) => {
    const bindings = new Map(symbols.map((symbol, i) => [symbol, sizes[i % sizes.length]]));
    const random = seededRandom(1009 + probe);
    const feeds = new Map<string, Tensor>();
    for (const name of graph.inputs) {
      const { dtype, shape } = graph.typeOf(name);
      const concrete = shape.map((dim) => (typeof dim === 'number' ? dim : evaluateDim(dim, bindings)));
      if (concrete.some((dim) => dim === undefined)) continue;
      feeds.set(name, randomInput(random, dtype, concrete as number[]));
    }
    return { bindings, feeds };
  });
}

/** Floats uniform in [-1, 1), integers in [0, 8), bools true or false. */
function randomInput(random: () => number, dtype: DType, shape: number[]): Tensor {
  const values = Array.from({ length: shapeSize(shape) }, () => random());
  if (dtype === 'bool') return tensor(dtype, shape, values.map((value) => value < 0.5));
  if (dtype === 'i64' || dtype === 'i32') return tensor(dtype, shape, values.map((value) => Math.floor(value * 8)));
  return tensor(dtype, shape, values.map((value) => 2 * value - 1));
}

/**
 * Evaluates `targets` under `probe`, reading `overrides` (and constants, and
 * the probe's inputs) instead of computing them. Undefined when a value
 * cannot be computed (an op refuses, an input has no probe value).
 */
export function probeValues(index: GraphIndex, probe: Probe, targets: readonly string[], overrides: ReadonlyMap<string, Tensor> = new Map()): Map<string, Tensor> | undefined {
  const known = new Map<string, Tensor>([...index.constants, ...probe.feeds, ...overrides]);
  const nodes = coneNodes(index, targets, known);
  if (!nodes) return undefined;
  try {
    for (const node of nodes) {
      const outputs = runNode(node, node.inputs.map((input) => (input ? known.get(input) : undefined)));
      node.outputs.forEach((output, slot) => output && outputs[slot] && known.set(output, outputs[slot]!));
    }
  } catch (error) {
    if (error instanceof LadonError) return undefined;
    throw error;
  }
  return targets.every((target) => known.has(target)) ? known : undefined;
}

/** The nodes computing `targets` from `known` values, in graph order (undefined when something is neither known nor computed). */
function coneNodes(index: GraphIndex, targets: readonly string[], known: ReadonlyMap<string, Tensor>): Node[] | undefined {
  const needed = new Set<Node>();
  const pending = [...targets];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const value = pending.pop()!;
    if (seen.has(value) || known.has(value)) continue;
    seen.add(value);
    const node = index.producers.get(value);
    if (!node) return undefined;
    needed.add(node);
    for (const input of node.inputs) if (input) pending.push(input);
  }
  return index.graph.nodes.filter((node) => needed.has(node));
}

/** True when two tensors have the same shape and every element is within `relative` (scaled by the larger magnitude, at least 1). */
export function closeTensors(a: Tensor, b: Tensor, relative = 1e-4): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((dim, axis) => dim !== b.shape[axis])) return false;
  for (let i = 0; i < a.data.length; i++) {
    const x = Number(a.data[i]);
    const y = Number(b.data[i]);
    if (!(Math.abs(x - y) <= relative * Math.max(1, Math.abs(x), Math.abs(y)))) return false;
  }
  return true;
}
