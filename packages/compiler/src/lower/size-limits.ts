/**
 * Size limits a program needs at run time. Shape inference assumes that a
 * Slice ending at a symbol (`wpe[:seq]`, `tril[:seq, :seq]`) stays inside the
 * sliced axis; a compiled kernel trusts that. So a slice of a fixed-size
 * axis by a symbol bounds the symbol: the runtime refuses larger inputs with
 * a typed error (as the reference interpreter would fail) instead of reading
 * past the buffer. Limits are read from the graph as imported (the compiler
 * may fold the Slice away, e.g. into `is_causal`) and from the compiled one.
 */
import { constantValues, isSymbolName, knownFromTensor, normalizeAxis, type Dim, type Graph, type Node } from '@ladon/ir';

/** The largest value each symbol may take, from Slices of fixed-size axes. */
export function symbolLimits(graph: Graph): Record<string, number> {
  const limits: Record<string, number> = {};
  const constants = constantValues(graph);
  const contents = (value: string | undefined): readonly Dim[] | undefined => {
    if (!value) return undefined;
    const constant = constants.get(value);
    return graph.values.get(value)?.known ?? (constant ? knownFromTensor(constant) : undefined);
  };
  const producers = graph.producers();
  for (const node of graph.nodes) {
    if (node.op === 'Gather') gatherLimit(graph, node, producers, contents, limits);
    if (node.op !== 'Slice') continue;
    const shape = graph.typeOf(node.inputs[0]).shape;
    const ends = contents(node.inputs[2]);
    const axes = contents(node.inputs[3]) ?? ends?.map((_, index) => index);
    if (!ends || !axes) continue;
    ends.forEach((end, index) => {
      const axis = axes[index];
      if (typeof end !== 'string' || !isSymbolName(end) || typeof axis !== 'number') return;
      const size = shape[normalizeAxis(axis, shape.length)];
      if (typeof size === 'number') limits[end] = Math.min(limits[end] ?? Infinity, size);
    });
  }
  return limits;
}

/** Gather(table, Range(0, s, 1)) on a fixed-size axis (positional embeddings): s <= the axis size. */
function gatherLimit(
  graph: Graph,
  node: Node,
  producers: ReadonlyMap<string, Node>,
  contents: (value: string | undefined) => readonly Dim[] | undefined,
  limits: Record<string, number>,
): void {
  const range = producers.get(node.inputs[1]);
  if (range?.op !== 'Range') return;
  const [start, limit, delta] = range.inputs.map((input) => contents(input)?.[0]);
  if (start !== 0 || delta !== 1 || typeof limit !== 'string' || !isSymbolName(limit)) return;
  const shape = graph.typeOf(node.inputs[0]).shape;
  const size = shape[normalizeAxis((node.attrs.axis as number | undefined) ?? 0, shape.length)];
  if (typeof size === 'number') limits[limit] = Math.min(limits[limit] ?? Infinity, size);
}

/** Both sets of limits, keeping the tighter bound for a symbol in both. */
export function mergeLimits(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const merged: Record<string, number> = { ...a };
  for (const [symbol, limit] of Object.entries(b)) merged[symbol] = Math.min(merged[symbol] ?? Infinity, limit);
  return merged;
}
