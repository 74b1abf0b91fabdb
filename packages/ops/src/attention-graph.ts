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
import { GraphBuilder, type AlibiForm, type Dim, type DType, type Graph, type ValueRef } from '@ladon/ir';
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
  /** Positions applied inside the attention (positions.ts). */
  readonly positions?: PositionSpec;
}

/** What a compiled attention program's position inputs look like. */
export interface PositionSpec {
  /** Rotary tables rotary_cos/rotary_sin [tableBatch, seq, half]. */
  readonly rotary?: { readonly half: number; readonly interleaved: boolean; readonly tableBatch: Dim };
  /** ALiBi slopes alibi_slopes [heads], and key_positions [keyBatch, keys] when given. */
  readonly alibi?: { readonly form: AlibiForm; readonly keyBatch?: Dim };
  /** relative_bias [heads, 2·maxDistance + 1]. */
  readonly relativeMaxDistance?: number;
}

/**
 * The position inputs of the Attention node (slots 7-11: rotary_cos,
 * rotary_sin, alibi_slopes, key_positions, relative_bias) and their
 * attributes, as graph inputs named like the slots.
 */
export function positionInputs(g: GraphBuilder, spec: PositionSpec | undefined, heads: number, dtype: DType, keys: Dim): { inputs: (ValueRef | undefined)[]; attrs: Record<string, string | number> } {
  const inputs: (ValueRef | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  const attrs: Record<string, string | number> = {};
  if (!spec) return { inputs, attrs };
  if (spec.rotary) {
    inputs[0] = g.input('rotary_cos', dtype, [spec.rotary.tableBatch, 'seq', spec.rotary.half]);
    inputs[1] = g.input('rotary_sin', dtype, [spec.rotary.tableBatch, 'seq', spec.rotary.half]);
    if (spec.rotary.interleaved) attrs.rotary_interleaved = 1;
  }
  if (spec.alibi) {
    inputs[2] = g.input('alibi_slopes', dtype, [heads]);
    if (spec.alibi.keyBatch !== undefined) inputs[3] = g.input('key_positions', 'f32', [spec.alibi.keyBatch, keys]);
    attrs.alibi_form = spec.alibi.form;
  }
  if (spec.relativeMaxDistance !== undefined) {
    inputs[4] = g.input('relative_bias', dtype, [heads, 2 * spec.relativeMaxDistance + 1]);
    attrs.relative_max_distance = spec.relativeMaxDistance;
  }
  return { inputs, attrs };
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
  const positions = positionInputs(g, spec.positions, spec.heads, spec.dtype, 'keys');
  const [output, presentKey, presentValue, weights] = g.opMulti(
    'Attention',
    trimmed([q, k, v, mask, past?.key, past?.value, undefined, ...positions.inputs]),
    { ...attentionAttributes(spec), ...positions.attrs },
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

/** The inputs without trailing omitted ones. */
export function trimmed(inputs: (ValueRef | undefined)[]): (ValueRef | undefined)[] {
  const kept = [...inputs];
  while (kept.length > 3 && kept[kept.length - 1] === undefined) kept.pop();
  return kept;
}

function pastInputs(g: GraphBuilder, spec: AttentionGraphSpec): { key: ValueRef; value: ValueRef } {
  return {
    key: g.input('past_key', spec.dtype, ['batch', spec.kvHeads, 'past', spec.headSize]),
    value: g.input('past_value', spec.dtype, ['batch', spec.kvHeads, 'past', spec.valueHeadSize]),
  };
}
