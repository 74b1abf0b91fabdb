import { GraphBuilder, tensor, type Dim } from '@ladon/ir';
import { describe, it } from 'vitest';
import { checkOnWasm } from '../../src/wasm-check.js';
import { randomTensor, seededRandom } from '@ladon/ir/testing';

const SIZES = [{ batch: 2, seq: 7 }, { batch: 3, seq: 13 }];

describe('wasm LayerNormalization', () => {
  const cases: [string, Dim[], number, Dim[] | 'scalar', boolean][] = [
    ['last axis, 64', ['batch', 'seq', 64], -1, [64], true],
    ['last axis, odd 37, no bias', ['batch', 'seq', 37], -1, [37], false],
    ['two trailing axes', ['batch', 'seq', 3, 5], 2, [3, 5], true],
    ['scalar scale and bias', ['batch', 'seq', 9], -1, 'scalar', true],
  ];
  it.each(cases)('%s', async (_name, shape, axis, parameter, withBias) => {
    const next = seededRandom(3);
    const g = new GraphBuilder('layer_norm');
    const x = g.input('x', 'f32', shape);
    const parameterShape = parameter === 'scalar' ? [1] : (parameter as number[]);
    const scale = g.constant(randomTensor(next, 'f32', parameterShape, { low: 0.5, high: 1.5 }));
    const bias = withBias ? g.constant(randomTensor(next, 'f32', parameterShape)) : undefined;
    const [y, mean, invStd] = g.opMulti('LayerNormalization', [x, scale, bias], { axis, epsilon: 1e-5 }, 3);
    g.output(y!, 'y');
    g.output(mean!, 'mean');
    g.output(invStd!, 'inv_std');
    await checkOnWasm(g.build(), { sizes: SIZES, fills: { x: { low: -3, high: 5 } }, tolerance: { rtol: 1e-5, atol: 1e-5 } });
  });
  it('without the optional outputs', async () => {
    const g = new GraphBuilder('layer_norm_y');
    const x = g.input('x', 'f32', ['batch', 'seq', 48]);
    g.output(g.op('LayerNormalization', [x, g.constant(tensor('f32', [48], new Float32Array(48).fill(1.25))), g.constant(tensor('f32', [48], new Float32Array(48).fill(-0.5)))], { epsilon: 1e-3 }), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, tolerance: { rtol: 1e-5, atol: 1e-5 } });
  });
});

describe('wasm Softmax', () => {
  const cases: [string, Dim[], number][] = [
    ['last axis', ['batch', 'seq', 'seq'], -1],
    ['last axis, short rows', ['batch', 'seq', 3], -1],
    ['middle axis', ['batch', 'seq', 6], 1],
    ['first axis, odd inner', ['batch', 'seq', 5], 0],
  ];
  it.each(cases)('%s', async (_name, shape, axis) => {
    const g = new GraphBuilder('softmax');
    g.output(g.op('Softmax', [g.input('x', 'f32', shape)], { axis }), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, fills: { x: { low: -8, high: 8 } } });
  });
  it('-inf entries, and a fully masked row gives NaN like the reference', async () => {
    const g = new GraphBuilder('softmax_inf');
    g.output(g.op('Softmax', [g.input('x', 'f32', [3, 6])]), 'y');
    const values = [0, -Infinity, 1, 2, -Infinity, 3, ...new Array<number>(6).fill(-Infinity), 1, 1, 1, 1, 1, 1];
    await checkOnWasm(g.build(), { feeds: [{ x: tensor('f32', [3, 6], values) }] });
  });
});

describe('wasm ReduceSum / ReduceMean', () => {
  const cases: [string, Dim[], number[], number][] = [
    ['last axis', ['batch', 'seq', 19], [-1], 1],
    ['trailing two axes', ['batch', 'seq', 5], [1, 2], 0],
    ['middle axis', ['batch', 'seq', 6], [1], 1],
    ['first axis', ['batch', 'seq', 3], [0], 0],
    ['scattered axes', ['batch', 'seq', 3, 4], [0, 2], 1],
    ['all axes', ['batch', 'seq', 2], [], 0],
  ];
  for (const op of ['ReduceSum', 'ReduceMean']) {
    it.each(cases)(`${op}, %s`, async (_name, shape, axes, keepdims) => {
      const g = new GraphBuilder(op);
      const x = g.input('x', 'f32', shape);
      const inputs = axes.length > 0 ? [x, g.ints(axes)] : [x];
      g.output(g.op(op, inputs, { keepdims }), 'y');
      await checkOnWasm(g.build(), { sizes: SIZES, tolerance: { rtol: 1e-5, atol: 1e-5 } });
    });
  }
  it('ReduceMean with the axes attribute (opset 13 form) and noop_with_empty_axes', async () => {
    const g = new GraphBuilder('reduce_attr');
    const x = g.input('x', 'f32', ['batch', 'seq', 8]);
    g.output(g.op('ReduceMean', [x], { axes: [-1], keepdims: 1 }), 'mean');
    g.output(g.op('ReduceSum', [x, g.ints([])], { noop_with_empty_axes: 1 }), 'same');
    await checkOnWasm(g.build(), { sizes: SIZES, tolerance: { rtol: 1e-5, atol: 1e-5 } });
  });
});
