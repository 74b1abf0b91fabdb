/**
 * Layout helpers for attention fusion: permutation algebra, reading
 * constants, and tracing a value back through Transposes.
 */
import { numericValues, type Graph, type Node, type Tensor } from '@ladon/ir';

/** The perm of `Transpose(Transpose(x, first), second)` as one Transpose of x. */
export function composePerms(first: readonly number[], second: readonly number[]): number[] {
  return second.map((axis) => first[axis]);
}

/** True when `perm` leaves every axis in place. */
export function isIdentityPerm(perm: readonly number[]): boolean {
  return perm.every((axis, index) => axis === index);
}

/** The perm that swaps the last two of `rank` axes. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, index) => index);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** The perm attribute of a Transpose node (default: reversed axes). */
export function transposePerm(node: Node, rank: number): number[] {
  const perm = node.attrs.perm as readonly number[] | undefined;
  return perm ? [...perm] : Array.from({ length: rank }, (_, index) => rank - 1 - index);
}

/** The single value of a one-element float constant, if `value` is one. */
export function scalarConstant(constants: ReadonlyMap<string, Tensor>, value: string): number | undefined {
  const tensor = constants.get(value);
  if (!tensor || tensor.data.length !== 1 || (tensor.dtype !== 'f32' && tensor.dtype !== 'f16')) return undefined;
  return numericValues(tensor)[0];
}

/** Facts about the graph the fusion reads over and over. */
export interface GraphIndex {
  readonly graph: Graph;
  readonly producers: ReadonlyMap<string, Node>;
  readonly consumers: ReadonlyMap<string, Node[]>;
  readonly constants: ReadonlyMap<string, Tensor>;
}

/** The node producing `value` if its op is one of `ops`. */
export function producedBy(index: GraphIndex, value: string, ...ops: string[]): Node | undefined {
  const node = index.producers.get(value);
  return node && ops.includes(node.op) ? node : undefined;
}

/** The rank of a value's static type. */
export function rankOf(graph: Graph, value: string): number {
  return graph.typeOf(value).shape.length;
}
