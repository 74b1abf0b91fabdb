/**
 * Linear layers in one form. PyTorch's `nn.Linear` exports as
 * `Gemm(A, W, C, transB=1)` or as `MatMul(x, W)` + `Add(bias)`; both become
 * the Ladon op `Linear(x, W, bias?, transB)`, so later passes and kernels
 * see one shape of projection. A MatMul whose second operand is not a
 * constant 2-D weight stays a MatMul.
 */
import { isFloatDType, shapesEqual, type Tensor } from '@ladon/ir';
import { insertOp } from '../graph-edit.js';
import { capture, constant, op } from '../rewrite/pattern.js';
import { rulePass, type RewriteRule } from '../rewrite/rewriter.js';
import { numberAttribute } from './attributes.js';
import { vectorParameter } from './vector-parameter.js';

const isFloatMatrix = (value: Tensor): boolean => isFloatDType(value.dtype) && value.shape.length === 2;

/** Gemm(A, B, C?) with alpha = 1, beta = 1 (or no C), transA = 0 -> Linear(A, B, C as [N], transB). */
export const gemmToLinear: RewriteRule = {
  name: 'gemm-to-linear',
  pattern: op('Gemm', [capture('a'), capture('b')], { extraInputs: true }),
  rewrite(match, graph) {
    const gemm = match.root;
    const [a, b, c] = gemm.inputs;
    if (!isFloatDType(graph.typeOf(a).dtype) || numberAttribute(gemm, 'transA') !== 0 || numberAttribute(gemm, 'alpha', 1) !== 1) return undefined;
    if (c && numberAttribute(gemm, 'beta', 1) !== 1) return undefined;
    const columns = graph.typeOf(gemm.outputs[0]).shape[1];
    const bias = c ? vectorParameter(graph, c, columns) : undefined;
    if (c && !bias) return undefined;
    const transB = numberAttribute(gemm, 'transB');
    return insertOp(graph, 'Linear', bias ? [a, b, bias] : [a, b], transB ? { transB } : {}, { before: gemm, name: 'linear' });
  },
};

/** MatMul(x, W) with W a constant float matrix -> Linear(x, W). */
export const matMulToLinear: RewriteRule = {
  name: 'matmul-to-linear',
  pattern: op('MatMul', [capture('x'), constant('weight', isFloatMatrix)]),
  rewrite: (match, graph) => insertOp(graph, 'Linear', [match.values.get('x')!, match.values.get('weight')!], {}, { before: match.root, name: 'linear' }),
};

/** Add(Linear(x, W), bias) with a constant bias broadcasting as [N] (and nobody else reading the Linear) -> Linear(x, W, bias). */
export const linearBias: RewriteRule = {
  name: 'linear-bias',
  pattern: op('Add', [op('Linear', [capture('x'), capture('weight')], { as: 'linear' }), constant('bias')]),
  rewrite(match, graph) {
    const linear = match.nodes.get('linear')!;
    const linearShape = graph.typeOf(linear.outputs[0]).shape;
    if (!shapesEqual(graph.typeOf(match.root.outputs[0]).shape, linearShape)) return undefined;
    const bias = vectorParameter(graph, match.values.get('bias')!, linearShape[linearShape.length - 1]);
    if (!bias) return undefined;
    return insertOp(graph, 'Linear', [match.values.get('x')!, match.values.get('weight')!, bias], linear.attrs, { before: match.root, name: 'linear' });
  },
};

/** The rules of {@link linearPass}, in the order they should fire. */
export const linearRules: readonly RewriteRule[] = [gemmToLinear, matMulToLinear, linearBias];

/** Gemm and MatMul-by-weight (+ bias Add) become Linear. Counters: `gemm-to-linear`, `matmul-to-linear`, `linear-bias`. */
export const linearPass = rulePass('linear', 'Gemm and MatMul by a constant weight (+ bias) become Linear', linearRules);
