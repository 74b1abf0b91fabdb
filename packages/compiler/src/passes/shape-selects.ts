/**
 * Selections over shape vectors, decided statically. PyTorch exports
 * `expand_as` and `repeat_kv` as Expand(x, Where(Equal(shape, -1), 1,
 * shape)): the shape holds symbols (`batch`, `seq`) and -1 placeholders, so
 * constant folding cannot evaluate it. But a symbol is a size, never
 * negative, so Equal(symbol, -1) is false; with the comparison decided, the
 * Where picks known entries. These rules make both steps explicit:
 *
 * - an Equal of two small integer vectors whose entries pairwise decide
 *   (numbers, the same symbol, or a symbol against a negative number)
 *   becomes a bool constant;
 * - a Where with a constant condition over known rank-0/1 branches becomes
 *   Gather(Concat(x, y), picks), whose contents shape inference knows.
 *
 * The Expand (or Reshape) target is then known, so its output shape is too,
 * instead of a size the host binds at run time.
 */
import { dimsEqual, normalizeDim, tensor, type Dim, type Graph, type Node, type Tensor } from '@ladon/ir';
import { insertConstant, insertOp, replaceAllUses } from '../graph-edit.js';
import type { PassContext } from '../pass.js';
import { replaceNodeWithInitializers } from './initializers.js';

/** Whether two known entries are equal: true, false, or undefined when it depends on run-time sizes. */
export function entriesEqual(a: Dim, b: Dim): boolean | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (dimsEqual(a, b)) return true;
  const negative = (dim: Dim): boolean => typeof dim === 'number' && dim < 0;
  if ((typeof a === 'string' && negative(b)) || (typeof b === 'string' && negative(a))) return a === '?' || b === '?' ? undefined : false;
  return undefined;
}

/** The entries of a small integer vector or scalar value, when every one is known. */
function knownEntries(graph: Graph, value: string, constants: ReadonlyMap<string, Tensor>): readonly Dim[] | undefined {
  const info = graph.values.get(value);
  if (!info || info.type.shape.length > 1) return undefined;
  const constant = constants.get(value);
  const known = info.known ?? (constant && (constant.dtype === 'i64' || constant.dtype === 'i32') ? Array.from(constant.data as ArrayLike<number | bigint>, Number) : undefined);
  return known && !known.some((dim) => normalizeDim(dim) === '?') ? known : undefined;
}

/** `entries` broadcast to `length` (a scalar or one entry repeats), or undefined. */
function broadcastEntries(entries: readonly Dim[], length: number): readonly Dim[] | undefined {
  if (entries.length === length) return entries;
  return entries.length === 1 ? new Array<Dim>(length).fill(entries[0]) : undefined;
}

/** Equal nodes whose answer the known entries decide become bool constants. */
function foldEqual(graph: Graph, node: Node, constants: ReadonlyMap<string, Tensor>, ctx: PassContext): void {
  const [a, b] = node.inputs.map((input) => knownEntries(graph, input, constants));
  const output = node.outputs[0];
  const shape = graph.typeOf(output).shape;
  if (!a || !b || shape.length > 1 || typeof (shape[0] ?? 1) !== 'number') return;
  const length = (shape[0] as number | undefined) ?? 1;
  const [left, right] = [broadcastEntries(a, length), broadcastEntries(b, length)];
  if (!left || !right) return;
  const answers = left.map((entry, index) => entriesEqual(entry, right[index]));
  if (answers.some((answer) => answer === undefined)) return;
  replaceNodeWithInitializers(graph, node, [tensor('bool', shape as number[], answers as boolean[])]);
  ctx.count('equal-decided');
}

/** A Where over known vectors with a constant condition becomes Gather(Concat(x, y), picks). */
function foldWhere(graph: Graph, node: Node, constants: ReadonlyMap<string, Tensor>, ctx: PassContext): void {
  const [condition, x, y] = node.inputs;
  const picks = constants.get(condition);
  const output = node.outputs[0];
  const shape = graph.typeOf(output).shape;
  if (!picks || picks.dtype !== 'bool' || shape.length !== 1 || typeof shape[0] !== 'number') return;
  const length = shape[0];
  const branches = [x, y].map((value) => knownEntries(graph, value, constants));
  if (branches.some((entries) => !entries || !broadcastEntries(entries, length))) return;
  const flags = broadcastEntries(Array.from(picks.data as Uint8Array, Number), length);
  if (!flags) return;
  // both branches as [length] vectors, side by side: x's entries, then y's
  const widened = [x, y].map((value, index) => (branches[index]!.length === length && graph.typeOf(value).shape.length === 1 ? value : insertOp(graph, 'Expand', [value, insertConstant(graph, tensor('i64', [1], [length]), 'where_length')], {}, { before: node })));
  const joined = insertOp(graph, 'Concat', widened, { axis: 0 }, { before: node, name: 'where_branches' });
  const indices = insertConstant(graph, tensor('i64', [length], flags.map((flag, index) => (flag ? index : length + index))), 'where_picks');
  const picked = insertOp(graph, 'Gather', [joined, indices], { axis: 0 }, { before: node, name: 'where_picked' });
  replaceAllUses(graph, output, picked);
  graph.nodes.splice(graph.nodes.indexOf(node), 1);
  ctx.count('where-decided');
}

/** Applies both rules once over the graph (in order, so a decided Equal feeds a Where after it). */
export function decideShapeSelects(graph: Graph, constants: Map<string, Tensor>, ctx: PassContext): void {
  for (const node of [...graph.nodes]) {
    if (node.op === 'Equal') {
      foldEqual(graph, node, constants, ctx);
      for (const output of node.outputs) if (graph.initializers.has(output)) constants.set(output, graph.initializers.get(output)!);
    } else if (node.op === 'Where') {
      foldWhere(graph, node, constants, ctx);
    }
  }
}
