/**
 * Folding into matrix products. `MatMul(a, Transpose(b))` where the
 * Transpose swaps only the last two axes becomes `FusedMatMul(a, b,
 * transB=1)` (likewise for `a`), so a backend reads the operand transposed
 * in place; and a product multiplied (or divided) by a constant scalar takes
 * the scale as `alpha`. Each fold needs the folded value to have no other
 * reader. FusedMatMul operands must have rank >= 2.
 */
import { isFloatDType, shapesEqual, type Attributes, type Graph, type Node } from '@ladon/ir';
import { insertOp } from '../graph-edit.js';
import { capture, constant, op, type Pattern } from '../rewrite/pattern.js';
import { rulePass, type RewriteRule, type RuleMatch } from '../rewrite/rewriter.js';
import { effectiveAttributes } from './attributes.js';
import { permutationOf } from './compose-transposes.js';
import { isFloatScalar, scalarValue } from './constant-scalars.js';

const PRODUCTS = ['MatMul', 'FusedMatMul'];

/** True when `perm` keeps every axis but swaps the last two. */
export function swapsLastTwoAxes(perm: readonly number[]): boolean {
  const rank = perm.length;
  if (rank < 2 || perm[rank - 2] !== rank - 1 || perm[rank - 1] !== rank - 2) return false;
  return perm.slice(0, -2).every((axis, index) => axis === index);
}

/** The FusedMatMul attributes equivalent to a MatMul/FusedMatMul node. */
function productAttributes(node: Node): Record<string, number> {
  if (node.op === 'MatMul') return { alpha: 1, transA: 0, transB: 0 };
  const attrs = effectiveAttributes(node);
  return { alpha: attrs.alpha as number, transA: attrs.transA as number, transB: attrs.transB as number };
}

/** True when both operands are float tensors of rank >= 2 (what FusedMatMul accepts). */
function fusable(graph: Graph, a: string, b: string): boolean {
  const [left, right] = [graph.typeOf(a), graph.typeOf(b)];
  return isFloatDType(left.dtype) && left.shape.length >= 2 && right.shape.length >= 2;
}

function fusedMatMul(graph: Graph, before: Node, inputs: readonly [string, string], attrs: Attributes): string {
  return insertOp(graph, 'FusedMatMul', inputs, attrs, { before, name: 'fused_matmul' });
}

/** The rule folding a last-two-axes Transpose of operand `side` into the product (toggling transA / transB). */
function transposeIntoProduct(side: 'a' | 'b'): RewriteRule {
  const transposed = op('Transpose', [capture(`${side}Source`)], { as: 'transpose' });
  const inputs: Pattern[] = side === 'a' ? [transposed, capture('b')] : [capture('a'), transposed];
  return {
    name: `matmul-transpose-${side}`,
    pattern: op(PRODUCTS, inputs),
    rewrite(match, graph) {
      const source = match.values.get(`${side}Source`)!;
      const perm = permutationOf(match.nodes.get('transpose')!, graph.typeOf(source).shape.length);
      const a = side === 'a' ? source : match.values.get('a')!;
      const b = side === 'b' ? source : match.values.get('b')!;
      if (!swapsLastTwoAxes(perm) || !fusable(graph, a, b)) return undefined;
      const attrs = productAttributes(match.root);
      const flag = side === 'a' ? 'transA' : 'transB';
      return fusedMatMul(graph, match.root, [a, b], { ...attrs, [flag]: 1 - attrs[flag] });
    },
  };
}

/** MatMul(a, Transpose(b, [..., -1, -2])) -> FusedMatMul(a, b, transB toggled). */
export const matMulTransposeB = transposeIntoProduct('b');

/** MatMul(Transpose(a, [..., -1, -2]), b) -> FusedMatMul(a, b, transA toggled). */
export const matMulTransposeA = transposeIntoProduct('a');

/** The product rescaled by `factor`, as a FusedMatMul, when the scaling does not broadcast the product to a larger shape. */
function rescaled(match: RuleMatch, graph: Graph, factor: number): string | undefined {
  const product = match.nodes.get('product')!;
  const [a, b] = product.inputs;
  const sameShape = shapesEqual(graph.typeOf(match.root.outputs[0]).shape, graph.typeOf(product.outputs[0]).shape);
  if (!sameShape || !Number.isFinite(factor) || !fusable(graph, a, b)) return undefined;
  const attrs = productAttributes(product);
  return fusedMatMul(graph, match.root, [a, b], { ...attrs, alpha: attrs.alpha * factor });
}

const product = op(PRODUCTS, [capture('a'), capture('b')], { as: 'product' });

/** Mul(product, c) with a constant float scalar c -> FusedMatMul with alpha * c. */
export const scaleIntoMatMul: RewriteRule = {
  name: 'scale-into-matmul',
  pattern: op('Mul', [product, constant('scale', isFloatScalar)]),
  rewrite: (match, graph) => rescaled(match, graph, scalarValue(match.constants.get('scale')!)!),
};

/** Div(product, c) with a constant float scalar c -> FusedMatMul with alpha / c. */
export const divisorIntoMatMul: RewriteRule = {
  name: 'divisor-into-matmul',
  pattern: op('Div', [product, constant('scale', isFloatScalar)]),
  rewrite: (match, graph) => rescaled(match, graph, 1 / scalarValue(match.constants.get('scale')!)!),
};

/** The rules of {@link transposeIntoMatMulPass}. */
export const transposeIntoMatMulRules: readonly RewriteRule[] = [matMulTransposeB, matMulTransposeA, scaleIntoMatMul, divisorIntoMatMul];

/**
 * Folds last-two-axes Transposes and constant scalar scales into FusedMatMul. Counters:
 * `matmul-transpose-b`, `matmul-transpose-a`, `scale-into-matmul`, `divisor-into-matmul`.
 */
export const transposeIntoMatMulPass = rulePass(
  'transpose-into-matmul',
  'Transpose of the last two axes and scalar scales fold into FusedMatMul',
  transposeIntoMatMulRules,
);
