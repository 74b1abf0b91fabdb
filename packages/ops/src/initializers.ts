/**
 * Reading the block's weights from named tensors: an ONNX model's
 * initializer map (`importOnnxModel(bytes).graph.initializers`) or a
 * PyTorch state dict converted to tensors. Names, after an optional prefix:
 *
 *   q_proj.weight  q_proj.bias   (likewise k_proj, v_proj, out_proj)
 *   in_proj_weight in_proj_bias  (nn.MultiheadAttention's packed q/k/v, [out, in])
 *   norm.weight    norm.bias     (optional LayerNorm)
 */
import { FeedError, ShapeError, tensor, toFloat32, type Tensor } from '@ladon/ir';
import {
  PROJECTION_NAMES,
  projectionWidth,
  type BlockDims,
  type LinearWeightsInit,
  type MultiHeadAttentionWeightsInit,
  type Projection,
  type WeightLayout,
  type WeightValues,
} from './weights.js';

/** Named tensors: a Map (as ONNX initializers come) or a plain record. */
export type InitializerMap = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

/** Options for loading weights from named tensors. */
export interface InitializerLoadOptions {
  /** Prepended to every name, e.g. `'encoder.layers.0.self_attn.'`. Default `''`. */
  readonly prefix?: string;
  /** Layout of the `*_proj.weight` tensors: `out-in` (PyTorch, default) or `in-out`. */
  readonly layout?: WeightLayout;
}

/** Picks the block's weights out of `initializers` (see the file comment for the names). */
export function weightsFromInitializers(op: string, dims: BlockDims, initializers: InitializerMap, prefix = ''): MultiHeadAttentionWeightsInit {
  // Any dtype passes here: normalizeWeights checks f32/f16 and names the weight.
  const lookup = (name: string): WeightValues | undefined =>
    (initializers instanceof Map ? initializers.get(prefix + name) : (initializers as Readonly<Record<string, Tensor>>)[prefix + name]) as WeightValues | undefined;
  const packed = lookup('in_proj_weight') ? splitPacked(op, dims, lookup, prefix) : undefined;
  const linear = (projection: Projection): LinearWeightsInit => {
    if (packed && projection !== 'out') return packed[projection];
    const name = PROJECTION_NAMES[projection];
    const weight = lookup(`${name}.weight`);
    if (!weight) throw missing(op, initializers, prefix, `${name}.weight`, projection !== 'out');
    const bias = lookup(`${name}.bias`);
    return bias ? { weight, bias } : { weight };
  };
  const normWeight = lookup('norm.weight');
  const normBias = lookup('norm.bias');
  const norm = normWeight ? { norm: normBias ? { weight: normWeight, bias: normBias } : { weight: normWeight } } : {};
  return { q: linear('q'), k: linear('k'), v: linear('v'), out: linear('out'), ...norm };
}

/** Splits nn.MultiheadAttention's packed in_proj_weight [q + k + v rows, dModel] (and in_proj_bias) by rows. */
function splitPacked(op: string, dims: BlockDims, lookup: (name: string) => WeightValues | undefined, prefix: string): Record<'q' | 'k' | 'v', LinearWeightsInit> {
  const widths = (['q', 'k', 'v'] as const).map((projection) => projectionWidth(dims, projection));
  const total = widths[0] + widths[1] + widths[2];
  const weight = lookup('in_proj_weight') as Tensor;
  if (weight.shape.length !== 2 || weight.shape[0] !== total || weight.shape[1] !== dims.dModel) {
    throw new ShapeError(`${op}: ${prefix}in_proj_weight must be [q + k + v rows, dModel] = [${total}, ${dims.dModel}], got [${weight.shape.join(', ')}]`, {
      tensor: `${prefix}in_proj_weight`,
    });
  }
  const bias = lookup('in_proj_bias') as Tensor | undefined;
  const weights = toFloat32(weight);
  const biases = bias ? toFloat32(bias) : undefined;
  let row = 0;
  const take = (width: number): LinearWeightsInit => {
    const part = tensor('f32', [width, dims.dModel], weights.slice(row * dims.dModel, (row + width) * dims.dModel));
    const partBias = biases && tensor('f32', [width], biases.slice(row, row + width));
    row += width;
    return partBias ? { weight: part, bias: partBias } : { weight: part };
  };
  return { q: take(widths[0]), k: take(widths[1]), v: take(widths[2]) };
}

function missing(op: string, initializers: InitializerMap, prefix: string, name: string, packable: boolean): FeedError {
  const names = initializers instanceof Map ? [...initializers.keys()] : Object.keys(initializers);
  const shown = names.slice(0, 12).join(', ') + (names.length > 12 ? ', ...' : '');
  const alternative = packable ? ` (or ${prefix}in_proj_weight)` : '';
  return new FeedError(`${op}: initializer '${prefix}${name}'${alternative} not found; the map holds: ${shown || 'nothing'}`, { tensor: prefix + name });
}
