/**
 * Test support: slicing along the sequence axis, comparison with the
 * project tolerance, random block weights, and reference results built
 * independently of the ops (static-shape graphs run by the IR
 * interpreter). Random tensors come from @ladon/ir/testing.
 */
import { compareTensors, GraphBuilder, interpret, tensor, type Attributes, type Graph, type Tensor, type ValueRef } from '@ladon/ir';
import { expect } from 'vitest';
import type { MultiHeadAttentionWeights } from '../src/index.js';
import { randomTensor } from '@ladon/ir/testing';

/** The backends every numeric test runs on. */
export const BACKENDS = ['reference', 'wasm'] as const;

/** Elements [start, end) of `axis`. */
export function sliceAxis<T extends Tensor>(value: T, axis: number, start: number, end: number): T {
  const outer = value.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = value.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const length = value.shape[axis];
  const data = new Float32Array(outer * (end - start) * inner);
  const source = value.data as Float32Array;
  for (let o = 0; o < outer; o++) data.set(source.subarray((o * length + start) * inner, (o * length + end) * inner), o * (end - start) * inner);
  const shape = value.shape.map((dim, i) => (i === axis ? end - start : dim));
  return tensor('f32', shape, data) as unknown as T;
}

/** Concatenates f32 tensors along `axis`. */
export function concatAxis(values: readonly Tensor[], axis: number): Tensor<'f32'> {
  const first = values[0];
  const outer = first.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = first.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const total = values.reduce((sum, value) => sum + value.shape[axis], 0);
  const data = new Float32Array(outer * total * inner);
  let offset = 0;
  for (const value of values) {
    const length = value.shape[axis];
    for (let o = 0; o < outer; o++) data.set((value.data as Float32Array).subarray(o * length * inner, (o + 1) * length * inner), (o * total + offset) * inner);
    offset += length;
  }
  return tensor('f32', first.shape.map((dim, i) => (i === axis ? total : dim)), data);
}

/** Expects `got` to match `expected` within rtol 1e-4, atol 1e-5. */
export function expectClose(got: Tensor, expected: Tensor, what: string): void {
  const result = compareTensors(got, expected, { rtol: 1e-4, atol: 1e-5 });
  expect(result.problem ?? '', what).toBe('');
}

/** The IR reference of one static-shape Attention node: [output, weights?]. */
export function referenceAttention(inputs: { q: Tensor; k: Tensor; v: Tensor; mask?: Tensor }, attrs: Attributes, wantWeights = false): Tensor[] {
  const g = new GraphBuilder('reference_attention');
  const refs = Object.entries(inputs).map(([name, value]) => g.input(name, value.dtype, value.shape));
  const [output, , , weights] = g.opMulti('Attention', refs, attrs, [true, false, false, wantWeights]);
  g.output(output!, 'output');
  if (weights) g.output(weights, 'weights');
  const result = interpret(g.build(), inputs as Record<string, Tensor>);
  return wantWeights ? [result.output, result.weights] : [result.output];
}

/** Options of {@link referenceBlock}. */
export interface ReferenceBlockOptions {
  readonly numHeads: number;
  readonly kvHeads: number;
  readonly residual: boolean;
  readonly epsilon?: number;
  readonly causal?: boolean;
  readonly mask?: Tensor;
  readonly kv?: Tensor;
}

/**
 * The block written differently from the ops: MatMul with the transposed
 * weight + Add, Reshape/Transpose into 4-D heads, the 4-D Attention node,
 * Transpose/Reshape back, then residual and LayerNormalization.
 */
export function referenceBlock(x: Tensor, weights: MultiHeadAttentionWeights, options: ReferenceBlockOptions): Tensor {
  const [, , dModel] = x.shape;
  const headSize = dModel / options.numHeads;
  const g = new GraphBuilder('reference_block');
  const xIn = g.input('x', 'f32', x.shape);
  const kvIn = options.kv ? g.input('kv', 'f32', options.kv.shape) : xIn;
  const linear = (input: ValueRef, layer: { weight: Tensor; bias?: Tensor }): ValueRef => {
    const product = g.op('MatMul', [input, g.constant(transpose(layer.weight))]);
    return layer.bias ? g.op('Add', [product, g.constant(layer.bias)]) : product;
  };
  const heads = (value: ValueRef, count: number): ValueRef =>
    g.op('Transpose', [g.op('Reshape', [value, g.ints([0, 0, count, headSize])])], { perm: [0, 2, 1, 3] });
  const mask = options.mask ? g.input('mask', options.mask.dtype, options.mask.shape) : undefined;
  const attended = g.op(
    'Attention',
    [heads(linear(xIn, weights.q), options.numHeads), heads(linear(kvIn, weights.k), options.kvHeads), heads(linear(kvIn, weights.v), options.kvHeads), mask],
    options.causal ? { is_causal: 1 } : {},
  );
  const merged = g.op('Reshape', [g.op('Transpose', [attended], { perm: [0, 2, 1, 3] }), g.ints([0, 0, dModel])]);
  let y = linear(merged, weights.out);
  if (options.residual) y = g.op('Add', [y, xIn]);
  if (options.epsilon !== undefined) {
    const norm = weights.norm!;
    const params = norm.bias ? [g.constant(norm.weight), g.constant(norm.bias)] : [g.constant(norm.weight)];
    y = g.op('LayerNormalization', [y, ...params], { axis: -1, epsilon: options.epsilon });
  }
  g.output(y, 'y');
  const feeds: Record<string, Tensor> = { x };
  if (options.kv) feeds.kv = options.kv;
  if (options.mask) feeds.mask = options.mask;
  return interpret(g.build(), feeds).y;
}

function transpose(matrix: Tensor): Tensor<'f32'> {
  const [rows, columns] = matrix.shape;
  const source = matrix.data as Float32Array;
  const out = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = source[r * columns + c];
  return tensor('f32', [columns, rows], out);
}

/** Random block weights in PyTorch layout (uniform init scaled by 1/sqrt(dModel)), with biases and LayerNorm. */
export function randomBlockWeights(next: () => number, dModel: number, numHeads: number, kvHeads: number): MultiHeadAttentionWeights {
  const kvWidth = (dModel / numHeads) * kvHeads;
  const layer = (out: number): { weight: Tensor<'f32'>; bias: Tensor<'f32'> } => ({
    weight: randomTensor(next, 'f32', [out, dModel], { low: -1 / Math.sqrt(dModel), high: 1 / Math.sqrt(dModel) }),
    bias: randomTensor(next, 'f32', [out], { low: -0.1, high: 0.1 }),
  });
  const gamma = tensor('f32', [dModel], Float32Array.from({ length: dModel }, () => 1 + (next() - 0.5) * 0.2));
  return { q: layer(dModel), k: layer(kvWidth), v: layer(kvWidth), out: layer(dModel), norm: { weight: gamma, bias: randomTensor(next, 'f32', [dModel], { low: -0.1, high: 0.1 }) } };
}

/**
 * The seed block as apps/examples writes it, op by op and unfused (MatMul
 * with [in, out] weights + Add, split heads, QKᵀ/√d, Softmax, ·V, merge,
 * output projection, residual, LayerNorm), without the padding mask. Its
 * initializers use the seed's names (`q_proj.weight`, ..., `norm.bias`).
 */
export function seedBlockGraph(next: () => number, dModel: number, heads: number): Graph {
  const headSize = dModel / heads;
  const g = new GraphBuilder('seed_mha_block');
  const x = g.input('x', 'f32', ['batch', 'seq', dModel]);
  const linear = (input: ValueRef, name: string): ValueRef => {
    const w = g.constant(randomTensor(next, 'f32', [dModel, dModel], { low: -1 / Math.sqrt(dModel), high: 1 / Math.sqrt(dModel) }), `${name}.weight`);
    return g.op('Add', [g.op('MatMul', [input, w]), g.constant(randomTensor(next, 'f32', [dModel], { low: -0.1, high: 0.1 }), `${name}.bias`)]);
  };
  const splitHeads = (input: ValueRef, perm: number[]): ValueRef => g.op('Transpose', [g.op('Reshape', [input, g.ints([0, 0, heads, headSize])])], { perm });
  const q = splitHeads(linear(x, 'q_proj'), [0, 2, 1, 3]);
  const kT = splitHeads(linear(x, 'k_proj'), [0, 2, 3, 1]);
  const v = splitHeads(linear(x, 'v_proj'), [0, 2, 1, 3]);
  const weights = g.op('Softmax', [g.op('Div', [g.op('MatMul', [q, kT]), g.scalar(Math.sqrt(headSize))])], { axis: -1 });
  const merged = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [weights, v])], { perm: [0, 2, 1, 3] }), g.ints([0, 0, dModel])]);
  const residual = g.op('Add', [linear(merged, 'out_proj'), x]);
  const gamma = g.constant(tensor('f32', [dModel], Float32Array.from({ length: dModel }, () => 1 + (next() - 0.5) * 0.2)), 'norm.weight');
  const beta = g.constant(randomTensor(next, 'f32', [dModel], { low: -0.1, high: 0.1 }), 'norm.bias');
  g.output(g.op('LayerNormalization', [residual, gamma, beta], { axis: -1, epsilon: 1e-5 }), 'y');
  return g.build();
}
