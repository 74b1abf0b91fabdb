/**
 * Recognising causal masks by probing. A mask that depends on the graph's
 * inputs only through their shapes (a registered `tril` buffer sliced to the
 * sequence length, `Trilu` of ones, `arange(S)[:, None] >= arange(S)`, ...)
 * is a function of the sizes alone. We evaluate it with the reference ops
 * for several bindings of the symbolic sizes and check it against the
 * causal pattern `key j is masked iff j > i` each time. This decides the
 * question for every exporter idiom at once instead of matching each one.
 *
 * Small sizes alone could be fooled (a sliding-window mask of width W looks
 * causal below W), so one probe is larger than every constant the mask is
 * computed from. When the graph cannot be evaluated at that size (a
 * registered buffer is smaller), it is probed at the buffer's size instead:
 * the unfused graph cannot run beyond it either.
 */
import { allocData, dimSymbols, evaluateDim, LadonError, numericValues, runNode, type Dim, type Graph, type Node, type Tensor } from '@ladon/ir';
import type { GraphIndex } from './layout.js';

/** How a mask value marks masked positions. */
export type MaskEncoding = 'true-masks' | 'true-keeps' | 'additive';

const SMALL_PROBES = [
  [5, 3, 7, 4, 6, 9, 11, 13],
  [6, 4, 9, 5, 7, 11, 13, 17],
];

/** The largest size probed (a bigger constant makes the probe decline rather than evaluate a huge mask). */
const MAX_PROBE = 4096;

/**
 * True when `mask` (encoded as `encoding`) is the causal mask for scores of
 * the given [..., Sq, Skv] dims, for every probed size binding: key j is
 * masked iff j > i + offset (offset 0 is top-left aligned; with a KV cache
 * it is the past length, bottom-right aligned).
 */
export function isCausalMask(index: GraphIndex, mask: string, encoding: MaskEncoding, sq: Dim, skv: Dim, offset: Dim = 0): boolean {
  const cone = shapeOnlyCone(index, mask);
  if (!cone) return false;
  const symbols = collectSymbols(index.graph);
  const probe = (bindings: Map<string, number>): boolean | undefined => {
    const [rows, cols, shift] = [sq, skv, offset].map((dim) => (typeof dim === 'number' ? dim : evaluateDim(dim, bindings)));
    if (rows === undefined || cols === undefined || shift === undefined) return undefined;
    const value = evaluateCone(index, cone, mask, bindings);
    return value === undefined || !fitsScores(value, rows, cols) ? undefined : matchesCausal(value, encoding, rows, cols, shift);
  };
  const small = SMALL_PROBES.every((sizes) => probe(new Map(symbols.map((symbol, i) => [symbol, sizes[i % sizes.length] + Math.floor(i / sizes.length)]))) === true);
  if (!small) return false;
  const largest = largestConstant(index, cone);
  if (largest + 2 > MAX_PROBE) return false;
  const scoreSymbols = new Set([...dimSymbols(sq), ...dimSymbols(skv)]);
  const sized = (size: number): Map<string, number> => new Map(symbols.map((symbol, i) => [symbol, scoreSymbols.has(symbol) ? size : SMALL_PROBES[0][i % 8]]));
  const large = probe(sized(largest + 2));
  if (large !== undefined) return large;
  // A registered buffer bounds the sizes: probe at its size (a KV cache splits it between past and new keys).
  if (largest <= SMALL_PROBES[1][0]) return false;
  return [largest, Math.floor(largest / 2)].map((size) => probe(sized(size))).find((result) => result !== undefined) === true;
}

/** The largest dim or scalar value among the constants the mask is computed from. */
function largestConstant(index: GraphIndex, cone: readonly Node[]): number {
  let largest = 0;
  for (const node of cone) {
    for (const input of node.inputs) {
      const value = input ? index.constants.get(input) : undefined;
      if (!value) continue;
      largest = Math.max(largest, ...value.shape);
      if (value.data.length <= 16) for (const element of Array.from(numericValues(value))) largest = Math.max(largest, sizeLike(element));
    }
    for (const attribute of Object.values(node.attrs)) if (typeof attribute === 'number') largest = Math.max(largest, sizeLike(attribute));
  }
  return largest;
}

/** |value| when it could be a size or an offset (an integer up to 65536), else 0 (fill values such as -1e9 are not). */
function sizeLike(value: number): number {
  return Number.isInteger(value) && Math.abs(value) <= 65536 ? Math.abs(value) : 0;
}

/** True when the evaluated mask has the score's two trailing dims (broadcasting over the others). */
function fitsScores(value: Tensor, rows: number, cols: number): boolean {
  const rank = value.shape.length;
  return rank >= 2 && value.shape[rank - 2] === rows && value.shape[rank - 1] === cols;
}

/** The nodes computing `value`, if it reads graph inputs only through Shape; else undefined. */
export function shapeOnlyCone(index: GraphIndex, value: string): Node[] | undefined {
  const cone = new Set<Node>();
  const pending = [value];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (index.constants.has(current)) continue;
    const node = index.producers.get(current);
    if (!node) return undefined; // a graph input read by value
    if (cone.has(node)) continue;
    cone.add(node);
    if (node.op === 'Shape') continue;
    for (const input of node.inputs) if (input) pending.push(input);
  }
  return index.graph.nodes.filter((node) => cone.has(node));
}

/** The symbolic sizes of the graph's inputs, sorted. */
export function collectSymbols(graph: Graph): string[] {
  const symbols = new Set<string>();
  for (const name of graph.inputs) for (const dim of graph.typeOf(name).shape) if (typeof dim === 'string' && /^[A-Za-z_]\w*$/.test(dim)) symbols.add(dim);
  return [...symbols].sort();
}

/** Evaluates a shape-only cone (shapeOnlyCone) under a binding of the symbolic sizes; undefined when an op refuses. */
export function evaluateCone(index: GraphIndex, cone: readonly Node[], target: string, bindings: ReadonlyMap<string, number>): Tensor | undefined {
  const env = new Map<string, Tensor>(index.constants);
  try {
    for (const node of cone) {
      const inputs = node.inputs.map((input) => (input ? (env.get(input) ?? placeholderFor(index.graph, input, bindings)) : undefined));
      const outputs = runNode(node, inputs);
      node.outputs.forEach((output, slot) => output && outputs[slot] && env.set(output, outputs[slot]!));
    }
  } catch (error) {
    if (error instanceof LadonError) return undefined;
    throw error;
  }
  return env.get(target);
}

/** A stand-in for a graph input with its bound shape and no data: the cone only reads its shape (through Shape). */
function placeholderFor(graph: Graph, name: string, bindings: ReadonlyMap<string, number>): Tensor | undefined {
  const type = graph.values.get(name)?.type;
  if (!type) return undefined;
  const shape = type.shape.map((dim) => (typeof dim === 'number' ? dim : evaluateDim(dim, bindings)));
  if (shape.some((dim) => dim === undefined)) return undefined;
  return { dtype: type.dtype, shape: shape as number[], data: allocData(type.dtype, 0) };
}

function matchesCausal(value: Tensor, encoding: MaskEncoding, rows: number, cols: number, offset: number): boolean {
  const shape = value.shape;
  const rank = shape.length;
  if (rank < 2 || shape.slice(0, -2).some((dim) => dim !== 1)) return false;
  const height = shape[rank - 2];
  const width = shape[rank - 1];
  if ((height !== rows && height !== 1) || (width !== cols && width !== 1)) return false;
  if (height !== rows || width !== cols) return false; // a broadcast row or column cannot be causal
  const data = numericValues(value);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (classify(data[i * cols + j], encoding) !== (j > i + offset ? 'masked' : 'kept')) return false;
    }
  }
  return true;
}

function classify(element: number, encoding: MaskEncoding): 'masked' | 'kept' | 'other' {
  switch (encoding) {
    case 'true-masks':
      return element !== 0 ? 'masked' : 'kept';
    case 'true-keeps':
      return element === 0 ? 'masked' : 'kept';
    case 'additive':
      return element <= -1e4 ? 'masked' : element === 0 ? 'kept' : 'other';
  }
}
