/**
 * Inference-mode BatchNormalization on constant statistics is an affine
 * map per channel, `y = x · a[c] + b[c]` with `a = scale / sqrt(var + ε)`
 * and `b = bias - mean · a`:
 *
 * - after a Conv with a constant weight (and bias), read by nothing else,
 *   it folds into the Conv: `W'[m] = W[m] · a[m]`, `B'[m] = (B[m] - mean[m]) · a[m] + bias[m]`
 *   (rule `batch-norm-into-conv`), so no kernel runs for it;
 * - anywhere else it becomes `Mul(x, a) + b` with a and b shaped [C, 1, ...]
 *   to broadcast over the spatial axes (rule `batch-norm-to-affine`), two
 *   element-wise kernels.
 *
 * Training mode, or statistics computed at run time, stay BatchNormalization.
 * The folded constants are computed in f64 and rounded once.
 */
import { constantValues, numericValues, tensor, type Node, type Tensor } from '@ladon/ir';
import { insertConstant, insertOp } from '../graph-edit.js';
import { capture, constant, op, type Pattern } from '../rewrite/pattern.js';
import { rulePass, type RewriteRule } from '../rewrite/rewriter.js';
import { numberAttribute } from './attributes.js';

const STATISTICS: readonly Pattern[] = [constant('scale'), constant('bias'), constant('mean'), constant('variance')];

/** The per-channel affine map of a BatchNormalization node, or undefined when it is not one. */
function affineOf(node: Node, values: ReadonlyMap<string, Tensor>): { a: Float64Array; b: Float64Array } | undefined {
  if (numberAttribute(node, 'training_mode') !== 0 || node.outputs.slice(1).some(Boolean)) return undefined;
  const [scale, bias, mean, variance] = ['scale', 'bias', 'mean', 'variance'].map((name) => numericValues(values.get(name)!));
  const epsilon = numberAttribute(node, 'epsilon', 1e-5);
  const a = Float64Array.from(scale, (s, c) => s / Math.sqrt(variance[c] + epsilon));
  const b = Float64Array.from(a, (factor, c) => bias[c] - mean[c] * factor);
  return { a, b };
}

/** Conv(x, W, B?) -> BatchNormalization on constants  =>  Conv(x, W·a, (B - mean)·a + bias). */
export const batchNormIntoConv: RewriteRule = {
  name: 'batch-norm-into-conv',
  pattern: op('BatchNormalization', [op('Conv', [capture('x'), constant('weight')], { as: 'conv', extraInputs: true }), ...STATISTICS]),
  rewrite(match, graph) {
    const conv = match.nodes.get('conv')!;
    const values = match.constants;
    const affine = affineOf(match.root, values);
    const convBias = conv.inputs[2] ? constantValues(graph).get(conv.inputs[2]) : undefined;
    if (!affine || (conv.inputs[2] && !convBias)) return undefined;
    const weight = values.get('weight')!;
    const perChannel = weight.data.length / weight.shape[0];
    const w = numericValues(weight);
    const folded = Float64Array.from(w, (value, index) => value * affine.a[Math.floor(index / perChannel)]);
    const previous = convBias ? numericValues(convBias) : undefined;
    const bias = Float64Array.from(affine.b, (shift, m) => shift + (previous ? previous[m] * affine.a[m] : 0));
    const inputs = [
      match.values.get('x')!,
      insertConstant(graph, tensor(weight.dtype, weight.shape, folded), 'folded_weight'),
      insertConstant(graph, tensor(weight.dtype, [weight.shape[0]], bias), 'folded_bias'),
    ];
    return insertOp(graph, 'Conv', inputs, conv.attrs, { before: match.root, name: 'conv' });
  },
};

/** BatchNormalization on constants (not after a foldable Conv)  =>  x · a + b. */
export const batchNormToAffine: RewriteRule = {
  name: 'batch-norm-to-affine',
  pattern: op('BatchNormalization', [capture('x'), ...STATISTICS]),
  rewrite(match, graph) {
    const affine = affineOf(match.root, match.constants);
    if (!affine) return undefined;
    const x = match.values.get('x')!;
    const { dtype, shape } = graph.typeOf(x);
    const broadcast = [affine.a.length, ...new Array<number>(Math.max(0, shape.length - 2)).fill(1)];
    const a = insertConstant(graph, tensor(dtype, broadcast, affine.a), 'batch_norm_scale');
    const b = insertConstant(graph, tensor(dtype, broadcast, affine.b), 'batch_norm_shift');
    const scaled = insertOp(graph, 'Mul', [x, a], {}, { before: match.root, name: 'batch_norm_scaled' });
    return insertOp(graph, 'Add', [scaled, b], {}, { before: match.root, name: 'batch_norm' });
  },
};

/** Inference BatchNormalization folded into its Conv, or turned into a multiply-add. Counters: `batch-norm-into-conv`, `batch-norm-to-affine`. */
export const foldBatchNormPass = rulePass('fold-batch-norm', 'inference BatchNormalization folds into the preceding Conv, or becomes a per-channel multiply-add', [batchNormIntoConv, batchNormToAffine]);
