/**
 * Matching a pattern against the graph, from a value upwards through its
 * producers. Backtracks over `oneOf` alternatives and commutative operands.
 */
import { getOpDef, type Graph, type Node, type Tensor } from '@ladon/ir';
import type { OpPattern, Pattern } from './pattern.js';

/** What a successful match captured. */
export interface Match {
  /** Captured values: capture name (or an op pattern's `as`) -> value name. */
  readonly values: ReadonlyMap<string, string>;
  /** Nodes captured with `as`. */
  readonly nodes: ReadonlyMap<string, Node>;
  /** Constants captured by `constant(name)`. */
  readonly constants: ReadonlyMap<string, Tensor>;
  /** Every node an op pattern matched (the root included). */
  readonly matched: ReadonlySet<Node>;
  /** The node matched by the root pattern. */
  readonly root: Node;
}

/** Lookups the matcher needs, computed once per sweep. */
export interface MatchIndex {
  readonly graph: Graph;
  readonly producers: ReadonlyMap<string, Node>;
  readonly constants: ReadonlyMap<string, Tensor>;
}

interface State {
  values: Map<string, string>;
  nodes: Map<string, Node>;
  constants: Map<string, Tensor>;
  matched: Set<Node>;
}

/** Tries `pattern` rooted at `node` (its output `pattern.options.output ?? 0`); the first full match. */
export function matchAt(index: MatchIndex, pattern: OpPattern, node: Node): Match | undefined {
  for (const match of matchesAt(index, pattern, node)) return match;
  return undefined;
}

/** Every way `pattern` matches rooted at `node` (commutative orders, `oneOf` alternatives), lazily. */
export function* matchesAt(index: MatchIndex, pattern: OpPattern, node: Node): Generator<Match> {
  const value = node.outputs[pattern.options.output ?? 0];
  if (!value) return;
  const empty: State = { values: new Map(), nodes: new Map(), constants: new Map(), matched: new Set() };
  for (const state of matchValue(index, pattern, value, empty)) yield { ...state, root: node };
}

/** Every way `pattern` can match `value`, extending `state` (which is never mutated). */
function* matchValue(index: MatchIndex, pattern: Pattern, value: string, state: State): Generator<State> {
  switch (pattern.kind) {
    case 'capture': {
      const bound = bind(state, pattern.name, value);
      if (bound) yield bound;
      return;
    }
    case 'constant': {
      const tensor = index.constants.get(value);
      if (!tensor || (pattern.where && !pattern.where(tensor))) return;
      if (!pattern.name) {
        yield state;
        return;
      }
      const bound = bind(state, pattern.name, value);
      if (bound) {
        bound.constants.set(pattern.name, tensor);
        yield bound;
      }
      return;
    }
    case 'oneOf':
      for (const alternative of pattern.alternatives) yield* matchValue(index, alternative, value, state);
      return;
    case 'op':
      yield* matchOp(index, pattern, value, state);
  }
}

function* matchOp(index: MatchIndex, pattern: OpPattern, value: string, state: State): Generator<State> {
  const node = index.producers.get(value);
  if (!node) return;
  const ops = typeof pattern.op === 'string' ? [pattern.op] : pattern.op;
  if (!ops.includes(node.op)) return;
  if (node.outputs.indexOf(value) !== (pattern.options.output ?? 0)) return;
  if (pattern.options.where && !pattern.options.where(node.attrs, node)) return;
  const arityOk = pattern.options.extraInputs ? node.inputs.length >= pattern.inputs.length : node.inputs.length === pattern.inputs.length;
  if (!arityOk) return;
  const orders = getOpDef(node.op).commutative && pattern.inputs.length === 2 ? [[0, 1], [1, 0]] : [pattern.inputs.map((_, i) => i)];
  for (const order of orders) {
    let start: State | undefined = copy(state);
    start.matched.add(node);
    if (pattern.options.as) {
      start.nodes.set(pattern.options.as, node);
      start = bind(start, pattern.options.as, value);
    }
    if (start) yield* matchInputs(index, pattern, node, order, 0, start);
  }
}

function* matchInputs(index: MatchIndex, pattern: OpPattern, node: Node, order: number[], slot: number, state: State): Generator<State> {
  if (slot === pattern.inputs.length) {
    yield state;
    return;
  }
  const input = node.inputs[order[slot]];
  if (!input) return;
  for (const next of matchValue(index, pattern.inputs[slot], input, state)) {
    yield* matchInputs(index, pattern, node, order, slot + 1, next);
  }
}

function bind(state: State, name: string, value: string): State | undefined {
  const bound = state.values.get(name);
  if (bound !== undefined && bound !== value) return undefined;
  const next = copy(state);
  next.values.set(name, value);
  return next;
}

function copy(state: State): State {
  return { values: new Map(state.values), nodes: new Map(state.nodes), constants: new Map(state.constants), matched: new Set(state.matched) };
}
