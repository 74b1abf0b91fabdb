import { compileProgram } from '@ladon/compiler';
import { GraphBuilder, tensor, type Attributes, type Dim, type DType, type Graph } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { checkOnWasm } from '../../src/wasm-check.js';
import { seededRandom, type FillSpec } from '@ladon/ir/testing';

const SIZES = [{ batch: 2, seq: 7 }, { batch: 3, seq: 13 }];

function binaryGraph(op: string, dtype: DType, a: readonly Dim[], b: readonly Dim[], outDType?: DType): Graph {
  const g = new GraphBuilder(`${op}_${dtype}`);
  const x = g.input('a', dtype, a);
  const y = g.input('b', dtype, b);
  const out = g.op(op, [x, y]);
  if (outDType && out.type.dtype !== outDType) throw new Error('unexpected dtype');
  g.output(out, 'y');
  return g.build();
}

function unaryGraph(op: string, dtype: DType, shape: readonly Dim[], attrs: Attributes = {}): Graph {
  const g = new GraphBuilder(`${op}_${dtype}`);
  g.output(g.op(op, [g.input('x', dtype, shape)], attrs), 'y');
  return g.build();
}

const BROADCASTS: [string, Dim[], Dim[]][] = [
  ['same shape', ['batch', 'seq', 33], ['batch', 'seq', 33]],
  ['bias row', ['batch', 'seq', 19], [19]],
  ['scalar', ['batch', 'seq', 5], []],
  ['column', ['batch', 'seq', 6], ['batch', 'seq', 1]],
  ['both ways', ['batch', 1, 'seq'], [1, 'seq', 1]],
  ['middle axis', ['batch', 3, 'seq', 4], ['batch', 1, 'seq', 4]],
];

describe('wasm element-wise arithmetic with broadcasting', () => {
  for (const op of ['Add', 'Sub', 'Mul', 'Div']) {
    it.each(BROADCASTS)(`${op} f32, %s`, async (_name, a, b) => {
      const fills: Record<string, FillSpec> = op === 'Div' ? { b: { low: 0.5, high: 2 } } : {};
      await checkOnWasm(binaryGraph(op, 'f32', a, b), { sizes: SIZES, fills });
    });
  }
  for (const dtype of ['i32', 'i64'] as const) {
    it.each(['Add', 'Sub', 'Mul', 'Div'])(`%s ${dtype}`, async (op) => {
      await checkOnWasm(binaryGraph(op, dtype, ['batch', 'seq', 7], [7]), { sizes: SIZES, fills: { a: { low: -50, high: 50 }, b: { low: -3, high: 3 } } });
    });
  }
});

describe('wasm Pow', () => {
  it.each([1, 2, 3, 4, 0.5, -0.5, -1, -2])('constant exponent %s', async (exponent) => {
    const g = new GraphBuilder('pow_const');
    const x = g.input('x', 'f32', ['batch', 'seq', 9]);
    g.output(g.op('Pow', [x, g.scalar(exponent)]), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, fills: { x: { low: 0.25, high: 3 } }, tolerance: { rtol: 1e-6, atol: 1e-6 } });
  });
  it('runtime exponent, positive bases', async () => {
    await checkOnWasm(binaryGraph('Pow', 'f32', ['batch', 'seq', 9], [9]), { sizes: SIZES, fills: { a: { low: 0.1, high: 4 }, b: { low: -3, high: 3 } }, tolerance: { rtol: 2e-6, atol: 1e-6 } });
  });
  it('runtime exponent, special cases', async () => {
    const base = [-2, -2, -2, 0, 0, 0, 1, 1, Infinity, -Infinity, NaN, 3, -1, 2.5];
    const exponent = [2, 3, 0.5, 2, -1, 0, NaN, 7, -1, 3, 0, NaN, Infinity, -2];
    await checkOnWasm(binaryGraph('Pow', 'f32', [14], [14]), {
      feeds: [{ a: tensor('f32', [14], base), b: tensor('f32', [14], exponent) }],
      tolerance: { rtol: 1e-6, atol: 0 },
    });
  });
});

describe('wasm Equal and Where', () => {
  it.each(['f32', 'i32', 'i64', 'bool'] as const)('Equal %s with broadcasting', async (dtype) => {
    await checkOnWasm(binaryGraph('Equal', dtype, ['batch', 1, 1, 'seq'], ['seq']), { sizes: SIZES, fills: { a: { low: 0, high: 2, integers: true }, b: { low: 0, high: 2, integers: true } } });
  });
  it.each(['f32', 'i32', 'i64', 'bool'] as const)('Where %s, three-way broadcast', async (dtype) => {
    const g = new GraphBuilder('where');
    const condition = g.input('c', 'bool', ['batch', 1, 'seq']);
    const x = g.input('x', dtype, ['seq']);
    const y = g.input('y', dtype, ['batch', 5, 1]);
    g.output(g.op('Where', [condition, x, y]), 'out');
    await checkOnWasm(g.build(), { sizes: SIZES });
  });
  it('Where f32 same shape (vector path, odd length)', async () => {
    const g = new GraphBuilder('where_same');
    const shape = ['batch', 'seq', 11];
    g.output(g.op('Where', [g.input('c', 'bool', shape), g.input('x', 'f32', shape), g.input('y', 'f32', shape)]), 'out');
    await checkOnWasm(g.build(), { sizes: SIZES });
  });
});

describe('wasm unary ops', () => {
  const shape = ['batch', 'seq', 21];
  it.each(['Relu', 'Sqrt', 'Exp', 'Erf', 'Tanh'])('%s f32', async (op) => {
    const fills: Record<string, FillSpec> = { x: op === 'Sqrt' ? { low: 0, high: 50 } : op === 'Exp' ? { low: -20, high: 20 } : { low: -5, high: 5 } };
    await checkOnWasm(unaryGraph(op, 'f32', shape), { sizes: SIZES, fills, tolerance: { rtol: op === 'Exp' ? 1e-6 : 0, atol: 1e-5 } });
  });
  it.each(['i32', 'i64'] as const)('Relu %s', async (dtype) => {
    await checkOnWasm(unaryGraph('Relu', dtype, shape), { sizes: SIZES, fills: { x: { low: -9, high: 9 } } });
  });
  it.each(['none', 'tanh'])('Gelu approximate=%s', async (approximate) => {
    await checkOnWasm(unaryGraph('Gelu', 'f32', shape, { approximate }), { sizes: SIZES, fills: { x: { low: -6, high: 6 } } });
  });
  it('special functions on a dense grid and at the edges', async () => {
    const grid = Array.from({ length: 4001 }, (_, i) => -10 + i * 0.005);
    const edges = [0, -0, 1e-30, -1e-30, 88, 89, -88, -104, Infinity, -Infinity, NaN];
    const values = [...grid, ...edges];
    // Gelu's erf form loses relative accuracy where 1 + erf(x/√2) cancels (x < -3): about 1e-6 absolute there
    for (const [op, atol] of [['Erf', 3e-7], ['Tanh', 3e-7], ['Exp', 3e-7], ['Gelu', 2e-6]] as const) {
      const graph = unaryGraph(op, 'f32', [values.length]);
      await checkOnWasm(graph, { feeds: [{ x: tensor('f32', [values.length], values) }], tolerance: { rtol: 1e-6, atol } });
    }
  });
});

describe('wasm Cast', () => {
  const types: DType[] = ['f32', 'i32', 'i64', 'bool'];
  const pairs = types.flatMap((from) => types.filter((to) => to !== from).map((to) => [from, to] as const));
  const codes: Record<string, number> = { f32: 1, i32: 6, i64: 7, bool: 9 };
  it.each(pairs)('%s -> %s', async (from, to) => {
    const next = seededRandom(5);
    const values = Array.from({ length: 23 }, () => (from === 'f32' ? (next() - 0.5) * 1e10 * (next() < 0.5 ? 1e-9 : 1) : Math.floor((next() - 0.5) * 100)));
    if (from === 'f32') values.push(NaN, Infinity, -Infinity, 0.5, -0.5, 3e9, -3e9);
    const input = from === 'bool' ? tensor('bool', [values.length], values.map((value) => value > 0)) : tensor(from, [values.length], values);
    await checkOnWasm(unaryGraph('Cast', from, [values.length], { to: codes[to] }), { feeds: [{ x: input }] });
  });
});

describe('what the wasm kernels cannot do fails at compile time with the node named', () => {
  it('broadcasting over more than six independent axes', async () => {
    const a: Dim[] = [2, 1, 2, 1, 2, 1, 2];
    const b: Dim[] = [1, 2, 1, 2, 1, 2, 1];
    const graph = binaryGraph('Add', 'f32', a, b);
    await expect(compileProgram(graph, { target: 'wasm', passes: [] })).rejects.toThrow(/broadcasting over 7 independent axes/);
    await expect(compileProgram(graph, { target: 'wasm', passes: [] })).rejects.toMatchObject({ name: 'UnsupportedError', location: { op: 'Add', node: '%y' } });
  });
});
