/**
 * Layout helpers for attention fusion: permutation algebra, reading
 * constants, and tracing a value back through Transposes.
 */
import type { Graph, Node, Tensor } from '@ladon/ir';
import { isFloatScalar, scalarValue } from '../constant-scalars.js';

export { isIdentityPermutation as isIdentityPerm, permutationOf as transposePerm } from '../compose-transposes.js';

/** The perm of `Transpose(Transpose(x, first), second)` as one Transpose of x. */
export function composePerms(first: readonly number[], second: readonly number[]): number[] {
  return second.map((axis) => first[axis]);
}

/** The perm that swaps the last two of `rank` axes. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, index) => index);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** The single value of a one-element float constant, if `value` is one. */
export function scalarConstant(constants: ReadonlyMap<string, Tensor>, value: string): number | undefined {
  const tensor = constants.get(value);
  return tensor && isFloatScalar(tensor) ? scalarValue(tensor) : undefined;
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
