/**
 * The IR text form. One line a node:
 *
 * ```
 * graph attention_core {
 *   input %q : f32[batch, 12, seq, 64]
 *   init %scale : f32[] = [0.125]
 *   %7 = MatMul(%5, %6) : f32[batch, 12, seq, seq]
 *   %y, _, _, %w = Attention(%q, %k, %v, _) {is_causal = 1} : f32[batch, 12, seq, 64], _, _, f32[batch, 12, seq, seq]
 *   output %y
 * }
 * ```
 *
 * `_` is an omitted optional input or output. Names that are not plain
 * identifiers are quoted (`%"onnx::MatMul_12"`). The parser reads it back
 * exactly (see parse.ts), unless constants were elided for display.
 */
import type { AttrValue, Graph, Node } from '../graph.js';
import { formatType, type TensorType } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { formatTensorData } from './literals.js';

/** Options for {@link printGraph}. */
export interface PrintOptions {
  /**
   * Initializers and tensor attributes with more elements than this print as
   * `<N elements>` (display only: such text does not parse). Default: all data.
   */
  readonly maxConstantElements?: number;
  /** Print ONNX node names as `@"name"` (default false). */
  readonly nodeNames?: boolean;
}

const PLAIN_NAME = /^[A-Za-z0-9_.]+$/;

/** Formats a value name: `%q`, or `%"onnx::Add_3"` when it needs quoting. */
export function formatValueName(name: string): string {
  return PLAIN_NAME.test(name) ? `%${name}` : `%${JSON.stringify(name)}`;
}

/** Prints a whole graph in the IR text form. */
export function printGraph(graph: Graph, options: PrintOptions = {}): string {
  const lines = [`graph ${formatGraphName(graph.name)} {`];
  for (const name of graph.inputs) lines.push(`  input ${formatValueName(name)} : ${formatType(graph.typeOf(name))}`);
  for (const [name, value] of graph.initializers) {
    lines.push(`  init ${formatValueName(name)} : ${formatType(graph.typeOf(name))} = ${formatData(value, options)}`);
  }
  for (const node of graph.nodes) lines.push(`  ${printNode(graph, node, options)}`);
  for (const name of graph.outputs) lines.push(`  output ${formatValueName(name)}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Prints one node as it appears in the text form. */
export function printNode(graph: Graph, node: Node, options: PrintOptions = {}): string {
  const outputs = node.outputs.map((name) => (name ? formatValueName(name) : '_')).join(', ');
  const inputs = node.inputs.map((name) => (name ? formatValueName(name) : '_')).join(', ');
  const attrs = formatAttributes(node, options);
  const nodeName = options.nodeNames && node.name !== undefined ? ` @${JSON.stringify(node.name)}` : '';
  const types = node.outputs.map((name) => (name ? formatType(graph.typeOf(name)) : '_')).join(', ');
  return `${outputs} = ${node.op}(${inputs})${attrs}${nodeName} : ${types}`;
}

function formatGraphName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

function formatAttributes(node: Node, options: PrintOptions): string {
  const entries = Object.entries(node.attrs).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return '';
  return ` {${entries.map(([key, value]) => `${key} = ${formatAttribute(value, options)}`).join(', ')}}`;
}

function formatAttribute(value: AttrValue, options: PrintOptions): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => (typeof item === 'string' ? JSON.stringify(item) : formatNumber(item as number))).join(', ')}]`;
  }
  const tensorValue = value as Tensor;
  const type: TensorType = { dtype: tensorValue.dtype, shape: tensorValue.shape };
  return `${formatType(type)} ${formatData(tensorValue, options)}`;
}

function formatData(value: Tensor, options: PrintOptions): string {
  const limit = options.maxConstantElements;
  if (limit !== undefined && value.data.length > limit) return `<${value.data.length} elements>`;
  return formatTensorData(value);
}

/** A number as text that reads back to the same number (`inf`, `-inf`, `nan` for non-finite). */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}
