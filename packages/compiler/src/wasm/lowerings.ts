/**
 * The wasm lowering of each op. An op missing here makes compilation for
 * wasm fail with a typed error naming the node.
 */
import type { OpLowering } from './lowering-context.js';
import { lowerAttention } from './lower/attention.js';
import { lowerView } from './lower/views.js';
import { lowerLinear } from './lower/linear.js';
import { lowerFusedMatMul, lowerGemm, lowerMatMul } from './lower/matmul.js';
import { lowerConstant } from './lower/constant.js';
import { lowerConcat, lowerExpand, lowerSplit, lowerTranspose } from './lower/copy.js';
import { lowerConstantOfShape, lowerGather, lowerRange, lowerSlice, lowerTrilu } from './lower/indexing.js';
import { lowerLayerNorm, lowerSoftmax } from './lower/normalize.js';
import { lowerReduce } from './lower/reduce.js';
import { lowerArithmetic, lowerCast, lowerEqual, lowerGelu, lowerPow, lowerRelu, lowerUnaryFloat, lowerWhere } from './lower/elementwise.js';

/** Lowerings by op name. */
export const WASM_LOWERINGS: Readonly<Record<string, OpLowering>> = {
  Attention: lowerAttention,
  Reshape: lowerView,
  Squeeze: lowerView,
  Unsqueeze: lowerView,
  Identity: lowerView,
  // GEMM family (kernels/gemm*.ts)
  Linear: lowerLinear,
  MatMul: lowerMatMul,
  FusedMatMul: lowerFusedMatMul,
  Gemm: lowerGemm,
  // element-wise with broadcasting (kernels/elementwise*.ts)
  Add: lowerArithmetic,
  Sub: lowerArithmetic,
  Mul: lowerArithmetic,
  Div: lowerArithmetic,
  Pow: lowerPow,
  Equal: lowerEqual,
  Where: lowerWhere,
  Relu: lowerRelu,
  Gelu: lowerGelu,
  Erf: lowerUnaryFloat,
  Tanh: lowerUnaryFloat,
  Exp: lowerUnaryFloat,
  Sqrt: lowerUnaryFloat,
  Cast: lowerCast,
  // normalisation and reductions (kernels/layer-norm.ts, softmax.ts, reduce.ts)
  LayerNormalization: lowerLayerNorm,
  Softmax: lowerSoftmax,
  ReduceMean: lowerReduce,
  ReduceSum: lowerReduce,
  // data movement (kernels/strided-copy.ts, gather.ts, fill.ts)
  Transpose: lowerTranspose,
  Expand: lowerExpand,
  Concat: lowerConcat,
  Split: lowerSplit,
  Slice: lowerSlice,
  Gather: lowerGather,
  Range: lowerRange,
  Trilu: lowerTrilu,
  ConstantOfShape: lowerConstantOfShape,
  Constant: lowerConstant,
};
