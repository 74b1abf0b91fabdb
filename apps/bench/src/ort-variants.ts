/**
 * The ways onnxruntime can run the same math as a case, each as ONNX bytes:
 *   unfused             the case's own graph (opset 17), which ORT's optimiser rewrites as it can;
 *   Attention-23        ONNX's opset-23 `Attention` op (4-D Q/K/V, or 3-D with head counts);
 *   MultiHeadAttention  onnxruntime's contrib op (`com.microsoft`), Q as [B, S, E], K/V as [B, H, S, D];
 *   Attention (packed)  onnxruntime's contrib `Attention` (MHA block only): one packed QKV projection.
 * The benchmark runs every variant and takes the fastest correct one as the
 * baseline, so Ladon is compared with the best onnxruntime can do. Legend:
 * B = 1, H heads, S sequence length, D head size, E model width. The
 * vision cases run only as their own graph.
 */
import { attr, ElemType, modelBytes, nodeFields, tensorFields, valueInfo, type Fields } from '@ladon/onnx/testing';
import type { AttentionSpec, CaseSpec, MhaBlockSpec } from './cases.js';
import { LAYER_NORM_EPSILON, type MhaWeights } from './graphs.js';
import type { CaseData } from './inputs.js';

/** How a variant's model is built from the case. */
type VariantBuilder<Spec> = (spec: Spec, data: CaseData) => Uint8Array;

const CONTRIB = { domain: 'com.microsoft' };
const CONTRIB_OPSETS = [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }];
/** ONNX's opset 23 came with IR version 11 (onnxruntime rejects older IR versions for it). */
const OPSET_23 = { opset: 23, irVersion: 11 };

const f32 = (name: string, shape: readonly number[]): Fields => valueInfo(name, ElemType.FLOAT, shape);
const int64s = (name: string, values: readonly number[]): Fields => tensorFields(name, 'i64', [values.length], values.map(BigInt));
const floats = (name: string, shape: readonly number[], values: Float32Array): Fields => tensorFields(name, 'f32', shape, values);

const unfused = (_spec: unknown, data: CaseData): Uint8Array => data.onnx;

const CORE_VARIANTS: Readonly<Record<string, VariantBuilder<AttentionSpec>>> = {
  unfused,
  'Attention-23': (spec) => attention23Core(spec),
  MultiHeadAttention: (spec) => multiHeadAttentionCore(spec),
};

const BLOCK_VARIANTS: Readonly<Record<string, VariantBuilder<MhaBlockSpec>>> = {
  unfused,
  'Attention-23': (spec, data) => attention23Block(spec, data.weights!),
  MultiHeadAttention: (spec, data) => multiHeadAttentionBlock(spec, data.weights!),
  'Attention (contrib, packed QKV)': (spec, data) => packedAttentionBlock(spec, data.weights!),
};

/** The vision cases (CBAM, the shapes-vision models) have one form: their own graph. */
const VISION_VARIANTS: Readonly<Record<string, VariantBuilder<unknown>>> = { unfused };

/** The variant names for a case (the unfused graph first). */
export function ortVariantNames(spec: CaseSpec): string[] {
  if (spec.kind === 'cbam' || spec.kind === 'vision-model') return Object.keys(VISION_VARIANTS);
  return Object.keys(spec.kind === 'attention' ? CORE_VARIANTS : BLOCK_VARIANTS);
}

/** The ONNX bytes of variant `name` of a case. */
export function ortVariantModel(data: CaseData, name: string): Uint8Array {
  const spec = data.benchCase.spec;
  if (spec.kind === 'cbam' || spec.kind === 'vision-model') {
    if (!VISION_VARIANTS[name]) throw new Error(`no onnxruntime variant '${name}' for ${data.benchCase.label}`);
    return VISION_VARIANTS[name](spec, data);
  }
  const builder = spec.kind === 'attention' ? CORE_VARIANTS[name] : BLOCK_VARIANTS[name];
  if (!builder) throw new Error(`no onnxruntime variant '${name}' for ${data.benchCase.label}`);
  return spec.kind === 'attention' ? (builder as VariantBuilder<AttentionSpec>)(spec, data) : (builder as VariantBuilder<MhaBlockSpec>)(spec, data);
}

function coreShape(spec: AttentionSpec): number[] {
  return [1, spec.heads, spec.seq, spec.headSize];
}

function attention23Core(spec: AttentionSpec): Uint8Array {
  const shape = coreShape(spec);
  const causal = spec.causal ? [attr.int('is_causal', 1)] : [];
  return modelBytes({ ...OPSET_23, inputs: ['q', 'k', 'v'].map((name) => f32(name, shape)), outputs: [f32('out', shape)], nodes: [nodeFields('Attention', ['q', 'k', 'v'], ['out'], causal)] });
}

/** Q goes to [B, S, E] (the contrib op's query layout); K and V are read as [B, H, S, D]; the output comes back to [B, H, S, D]. */
function multiHeadAttentionCore(spec: AttentionSpec): Uint8Array {
  const shape = coreShape(spec);
  const width = spec.heads * spec.headSize;
  const causal = spec.causal ? [attr.int('unidirectional', 1)] : [];
  const toHeads = [0, 2, 1, 3];
  return modelBytes({
    opsetImports: CONTRIB_OPSETS,
    inputs: ['q', 'k', 'v'].map((name) => f32(name, shape)),
    outputs: [f32('out', shape)],
    initializers: [int64s('rows_shape', [1, spec.seq, width]), int64s('heads_shape', [1, spec.seq, spec.heads, spec.headSize])],
    nodes: [
      nodeFields('Transpose', ['q'], ['q_rows4'], [attr.ints('perm', toHeads)]),
      nodeFields('Reshape', ['q_rows4', 'rows_shape'], ['q_rows']),
      nodeFields('MultiHeadAttention', ['q_rows', 'k', 'v'], ['y_rows'], [attr.int('num_heads', spec.heads), ...causal], CONTRIB),
      nodeFields('Reshape', ['y_rows', 'heads_shape'], ['y_rows4']),
      nodeFields('Transpose', ['y_rows4'], ['out'], [attr.ints('perm', toHeads)]),
    ],
  });
}

/** The block's tail after the attention context `context` ([1, S, E]): output projection, residual, LayerNorm. */
function blockTail(context: string): Fields[] {
  return [
    nodeFields('MatMul', [context, 'out_proj.weight'], ['projected']),
    nodeFields('Add', ['projected', 'out_proj.bias'], ['projected_bias']),
    nodeFields('Add', ['projected_bias', 'x'], ['residual']),
    nodeFields('LayerNormalization', ['residual', 'norm.weight', 'norm.bias'], ['y'], [attr.int('axis', -1), attr.float('epsilon', LAYER_NORM_EPSILON)]),
  ];
}

function blockInitializers(spec: MhaBlockSpec, weights: MhaWeights, projections: readonly ('q' | 'k' | 'v')[]): Fields[] {
  const width = spec.modelWidth;
  const square = [width, width];
  const projectionFields = projections.flatMap((name) => [floats(`${name}_proj.weight`, square, weights[`w${name}`]), floats(`${name}_proj.bias`, [width], weights[`b${name}`])]);
  return [
    ...projectionFields,
    floats('out_proj.weight', square, weights.wo),
    floats('out_proj.bias', [width], weights.bo),
    floats('norm.weight', [width], weights.gamma),
    floats('norm.bias', [width], weights.beta),
  ];
}

function blockIo(spec: MhaBlockSpec): { inputs: Fields[]; outputs: Fields[] } {
  const shape = [1, spec.seq, spec.modelWidth];
  return { inputs: [f32('x', shape)], outputs: [f32('y', shape)] };
}

function projection(name: string, withBias: boolean): Fields[] {
  const product = nodeFields('MatMul', ['x', `${name}_proj.weight`], [withBias ? `${name}_product` : name]);
  return withBias ? [product, nodeFields('Add', [`${name}_product`, `${name}_proj.bias`], [name])] : [product];
}

function attention23Block(spec: MhaBlockSpec, weights: MhaWeights): Uint8Array {
  const heads = [attr.int('q_num_heads', spec.heads), attr.int('kv_num_heads', spec.heads)];
  return modelBytes({
    ...OPSET_23,
    ...blockIo(spec),
    initializers: blockInitializers(spec, weights, ['q', 'k', 'v']),
    nodes: [...['q', 'k', 'v'].flatMap((name) => projection(name, true)), nodeFields('Attention', ['q', 'k', 'v'], ['context'], heads), ...blockTail('context')],
  });
}

/** Projections without bias; the contrib op adds the packed bias [3E] itself. */
function multiHeadAttentionBlock(spec: MhaBlockSpec, weights: MhaWeights): Uint8Array {
  const bias = concat([weights.bq, weights.bk, weights.bv]);
  return modelBytes({
    opsetImports: CONTRIB_OPSETS,
    ...blockIo(spec),
    initializers: [...blockInitializers(spec, weights, ['q', 'k', 'v']), floats('qkv_bias', [3 * spec.modelWidth], bias)],
    nodes: [
      ...['q', 'k', 'v'].flatMap((name) => projection(name, false)),
      nodeFields('MultiHeadAttention', ['q', 'k', 'v', 'qkv_bias'], ['context'], [attr.int('num_heads', spec.heads)], CONTRIB),
      ...blockTail('context'),
    ],
  });
}

/** The contrib `Attention`: x·[Wq | Wk | Wv] + [bq, bk, bv] in one GEMM, then attention. */
function packedAttentionBlock(spec: MhaBlockSpec, weights: MhaWeights): Uint8Array {
  const width = spec.modelWidth;
  return modelBytes({
    opsetImports: CONTRIB_OPSETS,
    ...blockIo(spec),
    initializers: [
      ...blockInitializers(spec, weights, []),
      floats('qkv.weight', [width, 3 * width], packColumns(width, [weights.wq, weights.wk, weights.wv])),
      floats('qkv.bias', [3 * width], concat([weights.bq, weights.bk, weights.bv])),
    ],
    nodes: [nodeFields('Attention', ['x', 'qkv.weight', 'qkv.bias'], ['context'], [attr.int('num_heads', spec.heads)], CONTRIB), ...blockTail('context')],
  });
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** [rows, n·cols] from n matrices of [rows, cols] side by side. */
function packColumns(rows: number, matrices: readonly Float32Array[]): Float32Array {
  const cols = matrices[0].length / rows;
  const out = new Float32Array(rows * cols * matrices.length);
  for (let row = 0; row < rows; row++) {
    matrices.forEach((matrix, index) => out.set(matrix.subarray(row * cols, (row + 1) * cols), (row * matrices.length + index) * cols));
  }
  return out;
}
