/**
 * LayerNorm exported at opset < 17, decomposed:
 *
 * ```
 * mean = ReduceMean(x, axes=[-1]);  d = Sub(x, mean)
 * var  = ReduceMean(Pow(d, 2) | Mul(d, d), axes=[-1])
 * y    = Div(d, Sqrt(Add(var, eps)))   [ -> Mul(gamma) [ -> Add(beta) ] ]
 * ```
 *
 * becomes `LayerNormalization(x, gamma, beta, axis=-1, epsilon=eps)`. The
 * axes may be an attribute or an input, written as -1 or as the last index;
 * Add and Mul operands may come in either order. Without the Mul, gamma is a
 * constant of ones (the last dim must then be static); without the Add
 * there is no bias. gamma and beta must broadcast as vectors over the last
 * axis (`[N]`, `[1, N]`, ...).
 */
import { constantValues, isFloatDType, numericValues, shapesEqual, tensor, type Graph, type Node } from '@ladon/ir';
import { insertConstant, insertOp } from '../graph-edit.js';
import { capture, constant, oneOf, op } from '../rewrite/pattern.js';
import { rulePass, type RewriteRule, type RuleMatch } from '../rewrite/rewriter.js';
import { attributeOf, numberAttribute } from './attributes.js';
import { isFloatScalar, scalarNear, scalarValue } from './constant-scalars.js';
import { vectorParameter } from './vector-parameter.js';

const deviation = op('Sub', [capture('x'), op('ReduceMean', [capture('x')], { as: 'mean', extraInputs: true })], { as: 'deviation' });
const squared = oneOf(op('Pow', [capture('deviation'), constant(undefined, scalarNear(2))]), op('Mul', [capture('deviation'), capture('deviation')]));
const variance = op('ReduceMean', [squared], { as: 'variance', extraInputs: true });
const standardDeviation = op('Sqrt', [op('Add', [variance, constant('epsilon', isFloatScalar)])]);

/** True when the ReduceMean `node` averages exactly the last axis of a rank-`rank` input, keeping dims. */
function reducesLastAxis(graph: Graph, node: Node, rank: number): boolean {
  if (numberAttribute(node, 'keepdims', 1) !== 1) return false;
  const axesInput = node.inputs[1] ? constantValues(graph).get(node.inputs[1]) : undefined;
  if (node.inputs[1] && !axesInput) return false;
  const axes = axesInput ? Array.from(numericValues(axesInput)) : (attributeOf(node, 'axes') as readonly number[] | undefined);
  return axes !== undefined && axes.length === 1 && (axes[0] === -1 || axes[0] === rank - 1);
}

function isDecomposedLayerNorm(match: RuleMatch, graph: Graph): boolean {
  const x = graph.typeOf(match.values.get('x')!);
  const epsilon = scalarValue(match.constants.get('epsilon')!)!;
  if (!isFloatDType(x.dtype) || x.shape.length === 0 || !(epsilon >= 0)) return false;
  if (!shapesEqual(graph.typeOf(match.root.outputs[0]).shape, x.shape)) return false;
  return [match.nodes.get('mean')!, match.nodes.get('variance')!].every((node) => reducesLastAxis(graph, node, x.shape.length));
}

/** The single node reading `value` when it is `op` (and `value` is not a graph output), else undefined. */
function soleReader(graph: Graph, value: string, opName: string): Node | undefined {
  const readers = graph.consumers().get(value) ?? [];
  if (readers.length !== 1 || readers[0].op !== opName || graph.outputs.includes(value)) return undefined;
  return readers[0];
}

/** An affine step (Mul by gamma, Add of beta) reading `value`, with its parameter as a vector [N]. */
interface AffineStep {
  readonly node: Node;
  readonly parameter: string;
}

function affineStep(graph: Graph, value: string, opName: 'Mul' | 'Add'): AffineStep | undefined {
  const node = soleReader(graph, value, opName);
  if (!node || !shapesEqual(graph.typeOf(node.outputs[0]).shape, graph.typeOf(value).shape)) return undefined;
  const other = node.inputs[0] === value ? node.inputs[1] : node.inputs[0];
  if (other === value) return undefined;
  const shape = graph.typeOf(value).shape;
  const parameter = vectorParameter(graph, other, shape[shape.length - 1]);
  return parameter ? { node, parameter } : undefined;
}

/** A ones vector matching the last dim of `x`, or undefined when that dim is not static. */
function onesScale(graph: Graph, x: string): string | undefined {
  const { dtype, shape } = graph.typeOf(x);
  const size = shape[shape.length - 1];
  return typeof size === 'number' ? insertConstant(graph, tensor(dtype, [size], new Array<number>(size).fill(1)), 'layer_norm_scale') : undefined;
}

/** The decomposed LayerNorm (rooted at its Div) plus a following Mul(gamma) and Add(beta) -> LayerNormalization. */
export const fuseDecomposedLayerNorm: RewriteRule = {
  name: 'decomposed-layer-norm',
  pattern: op('Div', [deviation, standardDeviation]),
  check: isDecomposedLayerNorm,
  rewrite(match, graph) {
    const x = match.values.get('x')!;
    const scale = affineStep(graph, match.root.outputs[0], 'Mul');
    const bias = scale && affineStep(graph, scale.node.outputs[0], 'Add');
    const last = bias?.node ?? scale?.node ?? match.root;
    const scaleValue = scale?.parameter ?? onesScale(graph, x);
    if (!scaleValue) return undefined;
    const epsilon = scalarValue(match.constants.get('epsilon')!)!;
    const inputs = bias ? [x, scaleValue, bias.parameter] : [x, scaleValue];
    const normalized = insertOp(graph, 'LayerNormalization', inputs, { axis: -1, epsilon }, { before: last, name: 'layer_norm' });
    return new Map([[last.outputs[0], normalized]]);
  },
};

/** Fuses decomposed LayerNorm (opset < 17 exports) into LayerNormalization. Counter: `decomposed-layer-norm`. */
export const fuseLayerNormPass = rulePass('fuse-layer-norm', 'decomposed LayerNorm becomes LayerNormalization', [fuseDecomposedLayerNorm]);
