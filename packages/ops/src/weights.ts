/**
 * Weights of the multi-head attention block, in PyTorch's layout: each
 * projection weight is [out, in] (as in `nn.Linear`), so a state dict or
 * the ONNX initializers of an exported model load without transposing.
 * Plain arrays (flat row-major, or nested rows) are accepted as well as
 * tensors; `layout: 'in-out'` reads [in, out] weights (as `x · W` graphs
 * store them) and transposes them once at load time.
 */
import { DTypeError, formatShape, ShapeError, tensor, toFloat32, type Tensor } from '@ladon/ir';
import { expectTensor } from './validate.js';

/** Values of one weight: a tensor, a flat row-major array, or nested rows. */
export type WeightValues = Tensor<'f32'> | Tensor<'f16'> | Float32Array | readonly number[] | readonly (readonly number[])[];

/** Weights of one Linear layer as given: `weight` [out, in] (PyTorch layout), optional `bias` [out]. */
export interface LinearWeightsInit {
  readonly weight: WeightValues;
  readonly bias?: WeightValues;
}

/** Weights of the LayerNorm as given: `weight` (gamma) and `bias` (beta), each [dModel]. */
export interface LayerNormWeightsInit {
  readonly weight: WeightValues;
  readonly bias?: WeightValues;
}

/** All weights of the block as given. `norm` defaults to gamma = 1, beta = 0 (PyTorch's initialisation). */
export interface MultiHeadAttentionWeightsInit {
  readonly q: LinearWeightsInit;
  readonly k: LinearWeightsInit;
  readonly v: LinearWeightsInit;
  readonly out: LinearWeightsInit;
  readonly norm?: LayerNormWeightsInit;
}

/** One Linear layer's weights, checked: `weight` f32 [out, in], `bias` f32 [out]. */
export interface LinearWeights {
  readonly weight: Tensor<'f32'>;
  readonly bias?: Tensor<'f32'>;
}

/** The LayerNorm's weights, checked: f32 [dModel] each. */
export interface LayerNormWeights {
  readonly weight: Tensor<'f32'>;
  readonly bias?: Tensor<'f32'>;
}

/** All weights of the block, checked and in [out, in] layout. */
export interface MultiHeadAttentionWeights {
  readonly q: LinearWeights;
  readonly k: LinearWeights;
  readonly v: LinearWeights;
  readonly out: LinearWeights;
  readonly norm?: LayerNormWeights;
}

/** How projection weights are stored: `out-in` (PyTorch, default) or `in-out` (transposed). */
export type WeightLayout = 'out-in' | 'in-out';

/** The sizes weights are checked against. */
export interface BlockDims {
  readonly dModel: number;
  readonly numHeads: number;
  readonly kvHeads: number;
  readonly headSize: number;
}

/** The state-dict name of each projection, used in messages and to find initializers. */
export const PROJECTION_NAMES = { q: 'q_proj', k: 'k_proj', v: 'v_proj', out: 'out_proj' } as const;

/** A projection of the block. */
export type Projection = keyof typeof PROJECTION_NAMES;

/** The output width of each projection: q and out dModel, k and v kvHeads·headSize. */
export function projectionWidth(dims: BlockDims, projection: Projection): number {
  return projection === 'k' || projection === 'v' ? dims.kvHeads * dims.headSize : dims.dModel;
}

/** Checks and converts weights as given into f32 tensors in [out, in] layout. */
export function normalizeWeights(op: string, dims: BlockDims, init: MultiHeadAttentionWeightsInit, layout: WeightLayout = 'out-in'): MultiHeadAttentionWeights {
  const linear = (projection: Projection): LinearWeights => {
    const given = init[projection] as LinearWeightsInit | undefined;
    const name = PROJECTION_NAMES[projection];
    if (!given) throw new ShapeError(`${op}: weights.${projection} (${name}) is missing`, { tensor: name });
    const width = projectionWidth(dims, projection);
    const weight = toMatrix(op, `${name}.weight`, given.weight, width, dims.dModel, layout);
    return given.bias === undefined ? { weight } : { weight, bias: toVector(op, `${name}.bias`, given.bias, width, '[out]') };
  };
  const projections = { q: linear('q'), k: linear('k'), v: linear('v'), out: linear('out') };
  if (!init.norm) return projections;
  const weight = toVector(op, 'norm.weight', init.norm.weight, dims.dModel, '[dModel]');
  const bias = init.norm.bias === undefined ? undefined : toVector(op, 'norm.bias', init.norm.bias, dims.dModel, '[dModel]');
  return { ...projections, norm: bias ? { weight, bias } : { weight } };
}

/** A [rows, columns] f32 matrix from any accepted form; `in-out` input is transposed. */
function toMatrix(op: string, name: string, values: WeightValues, rows: number, columns: number, layout: WeightLayout): Tensor<'f32'> {
  const stored = layout === 'out-in' ? [rows, columns] : [columns, rows];
  const legend = layout === 'out-in' ? '[out, in]' : '[in, out]';
  const flat = flatten(op, name, values, stored, legend);
  if (layout === 'out-in') return tensor('f32', [rows, columns], flat);
  const transposed = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) transposed[r * columns + c] = flat[c * rows + r];
  return tensor('f32', [rows, columns], transposed);
}

function toVector(op: string, name: string, values: WeightValues, length: number, legend: string): Tensor<'f32'> {
  return tensor('f32', [length], flatten(op, name, values, [length], legend));
}

/** The values as a flat f32 array of the expected shape, or a ShapeError/DTypeError naming the weight. */
function flatten(op: string, name: string, values: WeightValues, expected: readonly number[], legend: string): Float32Array {
  const fail = (got: string): never => {
    throw new ShapeError(`${op}: ${name} must be ${legend} = ${formatShape(expected)}, got ${got}`, { tensor: name });
  };
  const size = expected.reduce((product, dim) => product * dim, 1);
  if (values instanceof Float32Array) return values.length === size ? values : fail(`${values.length} values`);
  if (Array.isArray(values)) return fromArray(values, expected, size, fail);
  const given: unknown = values;
  expectTensor(op, name, given);
  if (given.dtype !== 'f32' && given.dtype !== 'f16') throw new DTypeError(`${op}: ${name} must be f32 or f16, got ${given.dtype}`, { tensor: name });
  if (formatShape(given.shape) !== formatShape(expected)) fail(formatShape(given.shape));
  return toFloat32(given);
}

function fromArray(values: readonly unknown[], expected: readonly number[], size: number, fail: (got: string) => never): Float32Array {
  if (!Array.isArray(values[0])) return values.length === size ? Float32Array.from(values as number[]) : fail(`${values.length} values`);
  const rows = values as readonly (readonly number[])[];
  const columns = rows[0].length;
  if (rows.some((row) => row.length !== columns)) fail(`ragged nested rows (${rows.length} rows of different lengths)`);
  if (expected.length !== 2 || rows.length !== expected[0] || columns !== expected[1]) fail(`nested rows [${rows.length}, ${columns}]`);
  return Float32Array.from(rows.flat());
}
