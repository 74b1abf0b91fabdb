/**
 * The IR graph of the multi-head attention block:
 *
 *   q = Linear(x, Wq, bq)    k = Linear(kv, Wk, bk)    v = Linear(kv, Wv, bv)   (W [out, in], transB = 1)
 *   a = Attention(q, k, v, mask, past_key, past_value)   (3-D form: the head split/merge is free)
 *   y = Linear(a, Wo, bo);  y = y + x (residual);  y = LayerNormalization(y) (layerNorm)
 *
 * Shape legend (symbols of the compiled graph): batch, seq (query length),
 * keys (key/value length with cross-attention; `seq` for self-attention),
 * past (cached length, decoding only). dModel, heads and head size are numbers.
 *
 * Weights are either constants (a module: compiled with its weights) or
 * graph inputs (the functional form: one program serves any weights).
 */
import { GraphBuilder, tensor, type Dim, type DType, type Graph, type Tensor, type ValueRef } from '@ladon/ir';
import { positionInputs, trimmed, type PositionSpec } from './attention-graph.js';
import type { BlockDims, LinearWeights, MultiHeadAttentionWeights, Projection } from './weights.js';

/** Everything a compiled block depends on besides its weight values. */
export interface BlockGraphSpec extends BlockDims {
  readonly residual: boolean;
  /** The LayerNorm epsilon, or undefined for no LayerNorm. */
  readonly layerNormEpsilon: number | undefined;
  readonly causal: boolean;
  /** Keys and values come from a second input `kv` [batch, keys, dModel]. */
  readonly crossAttention: boolean;
  readonly mask?: { readonly dtype: DType; readonly shape: readonly Dim[] };
  /** Take past_key/past_value inputs [batch, kvHeads, past, headSize] (KV cache). */
  readonly withPast: boolean;
  /** Output present_key/present_value [batch, kvHeads, past + seq, headSize] (KV cache). */
  readonly returnPresent: boolean;
  /** Rotary tables and ALiBi slopes, fed with each call. */
  readonly positions?: PositionSpec;
}

/** How weights enter the graph: as constants or as graph inputs fed at run time. */
export type WeightBinding = 'constant' | 'input';

/** The mask's four target axes [batch, heads, queries, keys] as symbols of the block graph. */
export function blockMaskDims(numHeads: number, crossAttention: boolean): [Dim, Dim, Dim, Dim] {
  return ['batch', numHeads, 'seq', crossAttention ? 'keys' : 'seq'];
}

/** The weights as feeds for a graph built with `binding: 'input'` (names as in {@link buildBlockGraph}). */
export function weightFeeds(weights: MultiHeadAttentionWeights): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const [name, value] of weightEntries(weights)) feeds[name] = value;
  return feeds;
}

/**
 * The weights a block with or without LayerNorm uses: LayerNorm weights
 * default to gamma = 1 (no beta) and are dropped when there is no LayerNorm.
 */
export function blockWeights(weights: MultiHeadAttentionWeights, dModel: number, layerNorm: boolean): MultiHeadAttentionWeights {
  const { norm, ...projections } = weights;
  if (!layerNorm) return projections;
  return { ...projections, norm: norm ?? { weight: tensor('f32', [dModel], new Float32Array(dModel).fill(1)) } };
}

/** Builds the block graph for `spec` with `weights` (see {@link blockWeights}) bound as constants or inputs. */
export function buildBlockGraph(spec: BlockGraphSpec, weights: MultiHeadAttentionWeights, binding: WeightBinding): Graph {
  const g = new GraphBuilder('ladon_ops_multi_head_attention');
  const bind = (name: string, value: Tensor): ValueRef => (binding === 'constant' ? g.constant(value, name) : g.input(name, 'f32', value.shape));
  const x = g.input('x', 'f32', ['batch', 'seq', spec.dModel]);
  const source = spec.crossAttention ? g.input('kv', 'f32', ['batch', 'keys', spec.dModel]) : x;
  const mask = spec.mask ? g.input('mask', spec.mask.dtype, spec.mask.shape) : undefined;
  const past = spec.withPast
    ? [g.input('past_key', 'f32', ['batch', spec.kvHeads, 'past', spec.headSize]), g.input('past_value', 'f32', ['batch', spec.kvHeads, 'past', spec.headSize])]
    : [];
  const project = (input: ValueRef, projection: Projection): ValueRef => linear(g, bind, input, projection, weights[projection]);
  const positions = positionInputs(g, spec.positions, spec.numHeads, 'f32', spec.crossAttention ? 'keys' : 'seq');
  const [attended, presentKey, presentValue] = g.opMulti(
    'Attention',
    trimmed([project(x, 'q'), project(source, 'k'), project(source, 'v'), mask, past[0], past[1], undefined, ...positions.inputs]),
    { q_num_heads: spec.numHeads, kv_num_heads: spec.kvHeads, ...(spec.causal ? { is_causal: 1 } : {}), ...positions.attrs },
    [true, spec.returnPresent, spec.returnPresent],
  );
  let y = project(attended!, 'out');
  if (spec.residual) y = g.op('Add', [y, x]);
  if (spec.layerNormEpsilon !== undefined) y = layerNorm(g, bind, y, weights, spec);
  g.output(y, 'output');
  if (presentKey && presentValue) {
    g.output(presentKey, 'present_key');
    g.output(presentValue, 'present_value');
  }
  return g.build();
}

type Bind = (name: string, value: Tensor) => ValueRef;

function linear(g: GraphBuilder, bind: Bind, input: ValueRef, projection: Projection, weights: LinearWeights): ValueRef {
  const weight = bind(`${projection}_weight`, weights.weight);
  const bias = weights.bias && bind(`${projection}_bias`, weights.bias);
  return g.op('Linear', bias ? [input, weight, bias] : [input, weight], { transB: 1 });
}

function layerNorm(g: GraphBuilder, bind: Bind, input: ValueRef, weights: MultiHeadAttentionWeights, spec: BlockGraphSpec): ValueRef {
  const gamma = bind('norm_weight', weights.norm!.weight);
  const beta = weights.norm?.bias && bind('norm_bias', weights.norm.bias);
  return g.op('LayerNormalization', beta ? [input, gamma, beta] : [input, gamma], { axis: -1, epsilon: spec.layerNormEpsilon! });
}

/** The graph names of the weights a block uses (for feeds and signatures). */
function weightEntries(weights: MultiHeadAttentionWeights): [string, Tensor][] {
  const entries: [string, Tensor][] = [];
  for (const projection of ['q', 'k', 'v', 'out'] as const) {
    entries.push([`${projection}_weight`, weights[projection].weight]);
    const bias = weights[projection].bias;
    if (bias) entries.push([`${projection}_bias`, bias]);
  }
  if (weights.norm) {
    entries.push(['norm_weight', weights.norm.weight]);
    if (weights.norm.bias) entries.push(['norm_bias', weights.norm.bias]);
  }
  return entries;
}

/** Which optional weights exist: part of the functional form's signature. */
export function weightPresence(weights: MultiHeadAttentionWeights): string[] {
  return weightEntries(weights).map(([name]) => name);
}
