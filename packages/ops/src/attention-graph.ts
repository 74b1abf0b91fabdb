/**
 * The IR graphs behind `attention()` and `IncrementalAttention`: one ONNX
 * `Attention` node in its 4-D form, with symbolic batch and sequence
 * lengths so one compiled program serves every batch size and length.
 *
 * Shape legend (the symbols of the compiled graph):
 *   batch  batch size              seq   query length
 *   keys   new key/value length    past  cached key/value length (KV cache only)
 * Head counts and head sizes are numbers: the kernels are specialised to them.
 */
import { GraphBuilder, type Dim, type DType, type Graph, type ValueRef } from '@ladon/ir';
import type { BackendName } from '@ladon/runtime';

/** The dtypes attention computes in. */
export type AttentionDType = 'f32' | 'f16';

/** Everything a compiled attention program depends on: its cache signature. */
export interface AttentionGraphSpec {
  readonly dtype: AttentionDType;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headSize: number;
  readonly valueHeadSize: number;
  /** The mask's dtype and declared (symbolic) shape, when there is one. */
  readonly mask?: { readonly dtype: DType; readonly shape: readonly Dim[] };
  readonly causal: boolean;
  readonly scale?: number;
  readonly softcap?: number;
  /** Also output the softmax weights [batch, heads, seq, keys] (qk_matmul_output_mode 3). */
  readonly returnWeights: boolean;
  /** Take past_key/past_value inputs [batch, kvHeads, past, headSize] (KV cache). */
  readonly withPast: boolean;
  /** Output present_key/present_value [batch, kvHeads, past + keys, headSize] (KV cache). */
  readonly returnPresent: boolean;
}

/** The symbols of the mask's four target axes: [batch, heads, queries, keys]. */
export function attentionMaskDims(heads: number): [Dim, Dim, Dim, Dim] {
  return ['batch', heads, 'seq', 'keys'];
}

/** The cache signature of a spec on a backend (sequence lengths and batch size are not part of it). */
export function attentionSignature(backend: BackendName, spec: AttentionGraphSpec): string {
  return JSON.stringify(['attention', backend, spec]);
}

/** Builds the one-node attention graph for `spec`. */
export function buildAttentionGraph(spec: AttentionGraphSpec): Graph {
  const g = new GraphBuilder('ladon_ops_attention');
  const q = g.input('q', spec.dtype, ['batch', spec.heads, 'seq', spec.headSize]);
  const k = g.input('k', spec.dtype, ['batch', spec.kvHeads, 'keys', spec.headSize]);
  const v = g.input('v', spec.dtype, ['batch', spec.kvHeads, 'keys', spec.valueHeadSize]);
  const mask = spec.mask ? g.input('mask', spec.mask.dtype, spec.mask.shape) : undefined;
  const past = spec.withPast ? pastInputs(g, spec) : undefined;
  const [output, presentKey, presentValue, weights] = g.opMulti(
    'Attention',
    [q, k, v, mask, past?.key, past?.value],
    attentionAttributes(spec),
    [true, spec.returnPresent, spec.returnPresent, spec.returnWeights],
  );
  g.output(output!, 'output');
  if (presentKey && presentValue) {
    g.output(presentKey, 'present_key');
    g.output(presentValue, 'present_value');
  }
  if (weights) g.output(weights, 'weights');
  return g.build();
}

/** The Attention attributes of a spec (defaults left out). */
export function attentionAttributes(spec: Pick<AttentionGraphSpec, 'causal' | 'scale' | 'softcap' | 'returnWeights'>): Record<string, number> {
  return {
    ...(spec.causal ? { is_causal: 1 } : {}),
    ...(spec.scale !== undefined ? { scale: spec.scale } : {}),
    ...(spec.softcap ? { softcap: spec.softcap } : {}),
    ...(spec.returnWeights ? { qk_matmul_output_mode: 3 } : {}),
  };
}

function pastInputs(g: GraphBuilder, spec: AttentionGraphSpec): { key: ValueRef; value: ValueRef } {
  return {
    key: g.input('past_key', spec.dtype, ['batch', spec.kvHeads, 'past', spec.headSize]),
    value: g.input('past_value', spec.dtype, ['batch', spec.kvHeads, 'past', spec.valueHeadSize]),
  };
}
