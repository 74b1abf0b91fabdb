import { countOps, GraphBuilder, type ValueRef } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { fuseGeluPass } from './fuse-gelu.js';
import { runAndCompare } from './test-helpers.js';

const sizes = { batch: 2, seq: 3 };

type Build = (g: GraphBuilder, x: ValueRef) => ValueRef;

/** The induction-2l export: Div(√2) -> Erf -> Add 1 -> Mul(x) -> Mul 0.5. */
const erfHalfLast: Build = (g, x) => {
  const erf = g.op('Erf', [g.op('Div', [x, g.scalar(1.4142135)])]);
  return g.op('Mul', [g.op('Mul', [x, g.op('Add', [erf, g.scalar(1)])]), g.scalar(0.5)]);
};

/** Mul(1/√2), the 0.5 multiplied into x first, operands commuted. */
const erfHalfWithX: Build = (g, x) => {
  const erf = g.op('Erf', [g.op('Mul', [g.scalar(0.70710678), x])]);
  return g.op('Mul', [g.op('Add', [g.scalar(1), erf]), g.op('Mul', [g.scalar(0.5), x])]);
};

/** The 0.5 multiplied into (1 + erf). */
const erfHalfWithActivation: Build = (g, x) => {
  const erf = g.op('Erf', [g.op('Div', [x, g.scalar(Math.SQRT2)])]);
  return g.op('Mul', [x, g.op('Mul', [g.op('Add', [erf, g.scalar(1)]), g.scalar(0.5)])]);
};

/** The tanh form with the cube from `cube` and the 0.5 placed as the rule names say. */
function tanhForm(cube: (g: GraphBuilder, x: ValueRef) => ValueRef, placement: 'outside' | 'with-x' | 'with-activation'): Build {
  return (g, x) => {
    const inner = g.op('Add', [x, g.op('Mul', [g.scalar(0.044715), cube(g, x)])]);
    const onePlus = g.op('Add', [g.scalar(1), g.op('Tanh', [g.op('Mul', [g.scalar(0.7978845608), inner])])]);
    if (placement === 'with-x') return g.op('Mul', [g.op('Mul', [g.scalar(0.5), x]), onePlus]);
    if (placement === 'with-activation') return g.op('Mul', [g.op('Mul', [onePlus, g.scalar(0.5)]), x]);
    return g.op('Mul', [g.scalar(0.5), g.op('Mul', [x, onePlus])]);
  };
}

const xTimesXTimesX = (g: GraphBuilder, x: ValueRef) => g.op('Mul', [x, g.op('Mul', [x, x])]);
const xCubed = (g: GraphBuilder, x: ValueRef) => g.op('Pow', [x, g.scalar(3)]);

function geluGraph(build: Build) {
  const g = new GraphBuilder();
  const x = g.input('x', 'f32', ['batch', 'seq', 4]);
  g.output(g.op('Relu', [build(g, g.op('Add', [x, x]))]), 'y');
  return g.build();
}

describe('fuse-gelu', () => {
  const cases: [string, Build, string, Record<string, unknown>][] = [
    ['the induction-2l erf form', erfHalfLast, 'gelu-erf-half-outside', {}],
    ['the erf form with Mul(1/√2) and 0.5·x first', erfHalfWithX, 'gelu-erf-half-with-x', {}],
    ['the erf form with 0.5·(1 + erf)', erfHalfWithActivation, 'gelu-erf-half-with-activation', {}],
    ["PyTorch's tanh form (x·(x·x), 0.5 last)", tanhForm(xTimesXTimesX, 'outside'), 'gelu-tanh-half-outside', { approximate: 'tanh' }],
    ['the tanh form with Pow(x, 3) and 0.5·x first', tanhForm(xCubed, 'with-x'), 'gelu-tanh-half-with-x', { approximate: 'tanh' }],
    ['the tanh form with 0.5·(1 + tanh)', tanhForm(xCubed, 'with-activation'), 'gelu-tanh-half-with-activation', { approximate: 'tanh' }],
  ];
  for (const [title, build, rule, attrs] of cases) {
    it(`fuses ${title}`, () => {
      const graph = geluGraph(build);
      const { changes } = runAndCompare(graph, [fuseGeluPass], { sizes });
      expect(changes).toEqual({ [rule]: 1 });
      expect(countOps(graph)).toEqual({ Add: 1, Gelu: 1, Relu: 1 });
      expect(graph.nodes[1].attrs).toEqual(attrs);
    });
  }

  it('does not fuse with a wrong constant, an Erf of another value, or an interior value read elsewhere', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', 4]);
    const other = g.input('other', 'f32', ['batch', 'seq', 4]);
    const wrongScale = g.op('Erf', [g.op('Div', [x, g.scalar(2)])]);
    g.output(g.op('Mul', [g.op('Mul', [x, g.op('Add', [wrongScale, g.scalar(1)])]), g.scalar(0.5)]), 'wrong_scale');
    const foreign = g.op('Erf', [g.op('Div', [other, g.scalar(Math.SQRT2)])]);
    g.output(g.op('Mul', [g.op('Mul', [x, g.op('Add', [foreign, g.scalar(1)])]), g.scalar(0.5)]), 'foreign');
    const shared = g.op('Erf', [g.op('Div', [x, g.scalar(Math.SQRT2)])]);
    g.output(g.op('Mul', [g.op('Mul', [x, g.op('Add', [shared, g.scalar(1)])]), g.scalar(0.5)]), 'gelu');
    g.output(shared, 'erf');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [fuseGeluPass], { sizes });
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });

  it('does not fuse the tanh form with a different cubic coefficient', () => {
    const graph = geluGraph((g, x) => {
      const inner = g.op('Add', [x, g.op('Mul', [g.scalar(0.05), xCubed(g, x)])]);
      const onePlus = g.op('Add', [g.scalar(1), g.op('Tanh', [g.op('Mul', [g.scalar(0.7978845608), inner])])]);
      return g.op('Mul', [g.scalar(0.5), g.op('Mul', [x, onePlus])]);
    });
    const before = countOps(graph);
    expect(runAndCompare(graph, [fuseGeluPass], { sizes }).changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });
});
