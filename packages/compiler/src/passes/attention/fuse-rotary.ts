/**
 * Rotary embeddings into the attention prologue. When an Attention's Q and
 * K are rotary embeddings (rotate-half, interleaved pairs, or complex
 * multiplication, on the whole head or a part of it) of a base operand with
 * the same cos/sin tables — as found by rotary-structure.ts and confirmed by
 * rotary-check.ts — the Attention takes the base operands and the half
 * tables [B or 1, S, R/2] instead (ONNX RotaryEmbedding semantics, applied by
 * the kernel as it loads Q and K), and the rotation ops go. The tables' own
 * computation (cos/sin of positions · frequencies, or a gathered cache) stays.
 */
import { ATTN_PAST_KEY, ATTN_ROTARY_COS, ATTN_ROTARY_SIN, constantValues, tensor, type Graph, type Node } from '@ladon/ir';
import { insertConstant, insertOp } from '../../graph-edit.js';
import type { Pass, PassContext } from '../../pass.js';
import type { GraphIndex } from './layout.js';
import { readRotary, type RotaryReading } from './rotary-check.js';
import { rotaryStructure, type RotaryStructure } from './rotary-structure.js';

/** What the rotary rule found for one Attention: both operands with one reading, or why not. */
type RotaryMatch = { readonly q: RotaryStructure; readonly k: RotaryStructure; readonly reading: RotaryReading } | { readonly declined: string } | undefined;

function indexOf(graph: Graph): GraphIndex {
  return { graph, producers: graph.producers(), consumers: graph.consumers(), constants: constantValues(graph) };
}

/** The rotary embedding on Q and K of a 4-D Attention, or why it cannot be fused (undefined: no rotary there). */
export function matchRotary(index: GraphIndex, attention: Node): RotaryMatch {
  const [q, k] = attention.inputs;
  if (index.graph.typeOf(q).shape.length !== 4 || attention.inputs[ATTN_ROTARY_COS]) return undefined;
  const qStructure = rotaryStructure(index, q);
  if (!qStructure) return undefined;
  const reading = readRotary(index, qStructure);
  if (!reading) return { declined: 'rotary: Q looks rotated but the probes confirm no rotary embedding' };
  const cos = qStructure.tables[reading.cos];
  const kStructure = rotaryStructure(index, k, qStructure.tables);
  const kReading = kStructure && readRotary(index, kStructure);
  if (!kStructure || !kReading || kStructure.tables[kReading.cos] !== cos || kReading.interleaved !== reading.interleaved || kReading.half !== reading.half) {
    return { declined: 'rotary: K is not rotated like Q (same tables)' };
  }
  if (attention.inputs[ATTN_PAST_KEY]) return { declined: 'rotary with a KV cache (the kernels rotate keys as they read them, not into the cache)' };
  return { q: qStructure, k: kStructure, reading };
}

/** The operand before rotation, in the attention's layout: the chain replayed on the base. */
function unrotated(graph: Graph, structure: RotaryStructure, before: Node): string {
  let value = structure.base;
  for (const node of structure.chain) value = insertOp(graph, node.op, [value, ...node.inputs.slice(1)], node.attrs, { before, name: 'unrotated' });
  return value;
}

/** The half table [Tb, S, R/2] from a table value laid out like Z (broadcast over heads). */
function halfTable(graph: Graph, structure: RotaryStructure, table: string, reading: RotaryReading, before: Node): string {
  const zRank = graph.typeOf(structure.z).shape.length;
  const constant = (values: number[], name: string) => insertConstant(graph, tensor('i64', [values.length], values), name);
  let value = table;
  const missing = zRank - graph.typeOf(table).shape.length;
  if (missing > 0) value = insertOp(graph, 'Unsqueeze', [value, constant(Array.from({ length: missing }, (_, i) => i), 'rotary_axes')], {}, { before, name: 'rotary_table' });
  const { batch, seq, head } = structure.axes;
  const perm = [batch, seq, head, ...Array.from({ length: zRank }, (_, axis) => axis).filter((axis) => axis !== batch && axis !== seq && axis !== head)];
  if (perm.some((axis, i) => axis !== i)) value = insertOp(graph, 'Transpose', [value], { perm }, { before, name: 'rotary_table' });
  const features = graph.typeOf(value).shape.slice(3).reduce<number>((count, dim) => count * (dim as number), 1);
  value = insertOp(graph, 'Reshape', [value, constant([0, 0, features], 'rotary_shape')], {}, { before, name: 'rotary_table' });
  if (reading.form === 'once') return value;
  const [end, step] = reading.interleaved ? [2 * reading.half, 2] : [reading.half, 1];
  return insertOp(graph, 'Slice', [value, constant([0], 'rotary_start'), constant([end], 'rotary_end'), constant([2], 'rotary_axis'), constant([step], 'rotary_step')], {}, { before, name: 'rotary_half' });
}

/** Rewrites `attention` to rotate its base operands itself. */
function fuseRotary(graph: Graph, attention: Node, match: Exclude<RotaryMatch, undefined | { declined: string }>): void {
  const { q, k, reading } = match;
  const inputs = [...attention.inputs];
  while (inputs.length <= ATTN_ROTARY_SIN) inputs.push('');
  inputs[0] = unrotated(graph, q, attention);
  inputs[1] = unrotated(graph, k, attention);
  inputs[ATTN_ROTARY_COS] = halfTable(graph, q, q.tables[reading.cos], reading, attention);
  inputs[ATTN_ROTARY_SIN] = halfTable(graph, q, q.tables[1 - reading.cos], reading, attention);
  attention.inputs = inputs;
  attention.attrs = { ...attention.attrs, ...(reading.interleaved ? { rotary_interleaved: 1 } : {}) };
}

/** The pass: rotary embeddings on Q and K move into their Attention; counts fusions and distinct decline reasons. */
export const fuseRotaryPass: Pass = {
  name: 'fuse-rotary',
  description: 'rotary embeddings of Q and K become the Attention rotary inputs (applied as the kernel loads Q and K)',
  run(graph: Graph, ctx: PassContext) {
    for (const attention of graph.nodes.filter((node) => node.op === 'Attention')) {
      const match = matchRotary(indexOf(graph), attention);
      if (!match) continue;
      if ('declined' in match) {
        ctx.count(`declined: ${match.declined}`);
        continue;
      }
      fuseRotary(graph, attention, match);
      ctx.count(reading(match.reading));
    }
  },
};

function reading(match: RotaryReading): string {
  return `fused ${match.interleaved ? 'interleaved' : 'rotate-half'} rotary`;
}
