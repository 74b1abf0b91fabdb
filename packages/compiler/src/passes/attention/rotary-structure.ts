/**
 * The structure of a rotary embedding in an unfused graph, found without
 * matching each exporter's idiom: the attention operand Y ([B, H, S, D]) is
 * a layout chain (Transposes, Reshapes) of a rotary output Z, and Z is
 * computed from one base X of Z's shape and two tables broadcast over the
 * heads (cos and sin, in some layout) by element-wise and data-movement ops
 * only. Whether that computation *is* a rotary embedding, and which, is then
 * checked numerically (rotary-check.ts).
 */
import { dimsEqual, type Dim, type Node } from '@ladon/ir';
import type { GraphIndex } from './layout.js';

/** The ops a rotary computation is written with (besides its tables' own computation). */
const ROTARY_OPS = new Set(['Add', 'Sub', 'Mul', 'Neg', 'Concat', 'Slice', 'Split', 'Unsqueeze', 'Squeeze', 'Reshape', 'Transpose', 'Expand']);
/** Inputs of these ops after the first are sizes, axes or bounds. */
const DATA_INPUT_ONLY = new Set(['Slice', 'Split', 'Unsqueeze', 'Squeeze', 'Reshape', 'Transpose', 'Expand']);
const MAX_CHAIN = 4;

/** Where Y's batch, head and sequence axes are in Z. */
export interface ZAxes {
  readonly batch: number;
  readonly head: number;
  readonly seq: number;
}

/** A rotary candidate: Y = chain(Z), Z = f(X, tables). */
export interface RotaryStructure {
  readonly y: string;
  readonly z: string;
  /** Layout nodes from Z to Y, first applied first. */
  readonly chain: readonly Node[];
  readonly axes: ZAxes;
  readonly base: string;
  readonly tables: readonly string[];
}

/** Y = chain(Z) through Transposes and Reshapes that keep Y's batch, head and sequence axes traceable. */
function layoutChain(index: GraphIndex, y: string): { z: string; chain: Node[]; axes: ZAxes } | undefined {
  const chain: Node[] = [];
  let current = y;
  let axes = { batch: 0, head: 1, seq: 2 };
  for (let step = 0; step < MAX_CHAIN; step++) {
    const node = index.producers.get(current);
    if (node?.op !== 'Transpose' && node?.op !== 'Reshape') break;
    const mapped = node.op === 'Transpose' ? throughTranspose(node, axes) : throughReshape(index, node, axes);
    if (!mapped) return undefined;
    axes = mapped;
    chain.unshift(node);
    current = node.inputs[0];
  }
  return { z: current, chain, axes };
}

function throughTranspose(node: Node, axes: ZAxes): ZAxes | undefined {
  const perm = node.attrs.perm as readonly number[] | undefined;
  if (!perm) return undefined;
  return { batch: perm[axes.batch], head: perm[axes.head], seq: perm[axes.seq] };
}

/** A Reshape keeps the three axes when every dim up to the last of them is unchanged. */
function throughReshape(index: GraphIndex, node: Node, axes: ZAxes): ZAxes | undefined {
  const before = index.graph.typeOf(node.inputs[0]).shape;
  const after = index.graph.typeOf(node.outputs[0]).shape;
  const last = Math.max(axes.batch, axes.head, axes.seq);
  for (let axis = 0; axis <= last; axis++) if (axis >= before.length || !dimsEqual(before[axis], after[axis])) return undefined;
  return axes;
}

/** True when `value` (right-aligned to Z's rank) has size 1 on Z's head axis and is not a constant. */
function isTableShaped(index: GraphIndex, value: string, zRank: number, axes: ZAxes): boolean {
  const shape = index.graph.typeOf(value).shape;
  const head = axes.head - (zRank - shape.length);
  return !index.constants.has(value) && shape.length <= zRank && (head < 0 || shape[head] === 1);
}

/**
 * The leaves of Z's computation when `stop` is taken as given: values not
 * computed by rotary ops, tables (by shape, or the `knownTables`), and `stop`.
 * Also the values visited, nearest first.
 */
function leavesOf(index: GraphIndex, z: string, stop: string | undefined, axes: ZAxes, knownTables: readonly string[] | undefined): { leaves: Set<string>; visited: string[] } {
  const zRank = index.graph.typeOf(z).shape.length;
  const leaves = new Set<string>();
  const visited: string[] = [];
  const seen = new Set<string>();
  const queue = [z];
  while (queue.length > 0) {
    const value = queue.shift()!;
    if (seen.has(value) || index.constants.has(value)) continue;
    seen.add(value);
    visited.push(value);
    const node = index.producers.get(value);
    const isTable = knownTables ? knownTables.includes(value) : value !== z && isTableShaped(index, value, zRank, axes);
    if (value === stop || isTable || !node || !ROTARY_OPS.has(node.op)) {
      leaves.add(value);
      continue;
    }
    const inputs = DATA_INPUT_ONLY.has(node.op) ? [node.inputs[0]] : node.inputs;
    queue.push(...inputs.filter(Boolean));
  }
  return { leaves, visited };
}

function sameShape(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((dim, axis) => dimsEqual(dim, b[axis]));
}

/**
 * The rotary structure behind attention operand `y` ([B, H, S, D]), or
 * undefined when there is none. With `knownTables` (the tables Q was found
 * to use), K's tables are those values (needed when K has one head, so that
 * every value of its computation looks broadcast over heads).
 */
export function rotaryStructure(index: GraphIndex, y: string, knownTables?: readonly string[]): RotaryStructure | undefined {
  const layout = layoutChain(index, y);
  if (!layout) return undefined;
  const { z, axes } = layout;
  const zNode = index.producers.get(z);
  if (!zNode || !['Add', 'Sub', 'Concat'].includes(zNode.op)) return undefined;
  const zShape = index.graph.typeOf(z).shape;
  const { visited } = leavesOf(index, z, undefined, axes, knownTables);
  for (const base of visited) {
    if (base === z || !sameShape(index.graph.typeOf(base).shape, zShape)) continue;
    const { leaves } = leavesOf(index, z, base, axes, knownTables);
    const tables = [...leaves].filter((leaf) => leaf !== base);
    if (!leaves.has(base) || tables.length !== 2) continue;
    const valid = knownTables ? tables.every((table) => knownTables.includes(table)) : tables.every((table) => isTableShaped(index, table, zShape.length, axes));
    if (!valid) continue;
    return { y, z, chain: layout.chain, axes, base, tables };
  }
  return undefined;
}
