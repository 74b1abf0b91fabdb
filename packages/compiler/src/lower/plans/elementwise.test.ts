/**
 * Element-wise plans come from the op's scalar expression: the inputs it
 * reads (a constant exponent Pow bakes in drops its input), the kernel name
 * (op and variant), views for expressions that are an input.
 */
import { constantValues, GraphBuilder, scalar, tensor, type Graph } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { PlanContext } from './plan-context.js';
import { planNode } from './plan.js';

function plans(graph: Graph) {
  const constants = constantValues(graph);
  return graph.nodes.filter((node) => node.op !== 'Constant').map((node) => planNode(new PlanContext(graph, node, constants)));
}

describe('element-wise plans', () => {
  it('bake a constant exponent into Pow and read only the base', () => {
    const g = new GraphBuilder('pow');
    const x = g.input('x', 'f32', ['seq', 4]);
    g.output(g.op('Pow', [x, g.constant(tensor('f32', [], [2]))]), 'square');
    g.output(g.op('Pow', [x, g.input('y', 'f32', [4])]), 'power');
    const [square, power] = plans(g.build());
    expect(square).toMatchObject({ kind: 'elementwise', name: 'pow_c2', inputs: ['x'] });
    expect(square.kind === 'elementwise' && scalar.printScalarExpr(square.expression)).toBe('mul(in0:f32, in0:f32)');
    expect(power).toMatchObject({ kind: 'elementwise', name: 'pow', inputs: ['x', 'y'] });
  });

  it('name kernels by the op and the variant its definition reports', () => {
    const g = new GraphBuilder('gelu');
    const x = g.input('x', 'f32', [8]);
    g.output(g.op('Gelu', [x], { approximate: 'tanh' }), 'tanh');
    g.output(g.op('Gelu', [x]), 'exact');
    expect(plans(g.build()).map((plan) => plan.kind === 'elementwise' && plan.name)).toEqual(['gelutanh', 'gelu']);
  });

  it('make a cast to the same dtype a view', () => {
    const g = new GraphBuilder('cast');
    g.output(g.op('Cast', [g.input('x', 'i64', [3])], { to: 7 }), 'y');
    expect(plans(g.build())[0].kind).toBe('view');
  });
});
