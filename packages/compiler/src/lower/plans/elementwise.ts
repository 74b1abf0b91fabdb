/**
 * Element-wise plans: the op's scalar expression (its definition in
 * @ladon/ir, built for the node's dtypes and attributes, with inputs that
 * are compile-time constant scalars offered to it), restricted to the
 * inputs it reads, over their broadcast layout (broadcast.ts). An
 * expression that is just one of its inputs, of the output's dtype, is a
 * view (a Cast to the same dtype). Backends render the expression; the
 * plan's name names the kernel (the op and the compile-time choices its
 * definition reports).
 */
import {
  elementwiseContext,
  elementwiseExpression,
  getOpDef,
  scalar,
  toFloat32,
  type DType,
  type Node,
  type ScalarExpr,
} from '@ladon/ir';
import { broadcastLayout, type BroadcastLayout } from './broadcast.js';
import type { PlanContext } from './plan-context.js';
import type { ViewPlan } from './view.js';

/** The plan of one element-wise node. */
export interface ElementwisePlan {
  readonly kind: 'elementwise';
  readonly node: Node;
  /** The kernel's name part: the op in lower case and its compile-time variant (e.g. `gelutanh`, `pow_c2`). */
  readonly name: string;
  /** The expression of one element; its input i is `inputs[i]`. */
  readonly expression: ScalarExpr;
  readonly inputs: readonly string[];
  readonly inputTypes: readonly DType[];
  readonly output: string;
  readonly outputType: DType;
  readonly layout: BroadcastLayout;
}

/** The expression with its inputs renumbered to the ones it reads (sharing kept), and those inputs' old indices. */
export function compactInputs(root: ScalarExpr): { expression: ScalarExpr; used: number[] } {
  const used: number[] = [];
  scalar.rewriteScalarExpr(root, (node) => {
    if (node.kind === 'input' && !used.includes(node.index)) used.push(node.index);
    return node;
  });
  used.sort((a, b) => a - b);
  const expression = scalar.rewriteScalarExpr(root, (node) => (node.kind === 'input' ? { ...node, index: used.indexOf(node.index) } : node));
  return { expression, used };
}

/** Plans an element-wise node. */
export function planElementwise(ctx: PlanContext): ElementwisePlan | ViewPlan {
  const { node } = ctx;
  const trait = getOpDef(node.op).elementwise!;
  const dtypes = node.inputs.map((value) => (value ? ctx.dtype(value) : undefined));
  const output = node.outputs[0];
  const outputType = ctx.dtype(output);
  const constantScalar = (index: number): number | undefined => {
    const value = node.inputs[index] ? ctx.constant(node.inputs[index]) : undefined;
    if (!value || value.data.length === 0) return undefined;
    const values = toFloat32(value);
    return values.every((item) => item === values[0]) ? values[0] : undefined;
  };
  const context = elementwiseContext(ctx.infer, dtypes, outputType, constantScalar);
  const full = elementwiseExpression(trait, context);
  if (full.kind === 'input' && dtypes[full.index] === outputType) return { kind: 'view', node, input: node.inputs[full.index], output };
  const { expression, used } = compactInputs(full);
  const inputs = used.map((index) => node.inputs[index]);
  return {
    kind: 'elementwise',
    node,
    name: `${node.op.toLowerCase()}${trait.variant?.(context) ?? ''}`,
    expression,
    inputs,
    inputTypes: used.map((index) => context.dtypes[index]),
    output,
    outputType,
    layout: broadcastLayout(inputs.map((value) => ctx.shape(value)), ctx.shape(output)),
  };
}
