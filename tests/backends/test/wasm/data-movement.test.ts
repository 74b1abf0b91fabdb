import { GraphBuilder, tensor, type Dim, type DType } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { compileProgram } from '@ladon/compiler';
import { WasmSession } from '@ladon/runtime';
import { checkOnWasm } from '../../src/wasm-check.js';

const SIZES = [{ batch: 2, seq: 7 }, { batch: 3, seq: 5 }];

describe('wasm Transpose', () => {
  const cases: [string, Dim[], number[] | undefined][] = [
    ['swap leading axes (rows stay contiguous)', ['seq', 'batch', 16], [1, 0, 2]],
    ['heads layout', ['batch', 'seq', 3, 8], [0, 2, 1, 3]],
    ['last two axes', ['batch', 'seq', 5], [0, 2, 1]],
    ['reversed (default perm)', ['batch', 3, 'seq', 2], undefined],
    ['rank 6', [2, 'batch', 3, 1, 'seq', 2], [5, 3, 1, 0, 4, 2]],
  ];
  it.each(cases)('%s', async (_name, shape, perm) => {
    for (const dtype of ['f32', 'i64', 'bool'] as DType[]) {
      const g = new GraphBuilder(`transpose_${dtype}`);
      g.output(g.op('Transpose', [g.input('x', dtype, shape)], perm ? { perm } : {}), 'y');
      await checkOnWasm(g.build(), { sizes: SIZES });
    }
  });
});

describe('wasm Slice', () => {
  it.each([
    ['static bounds, last axis', [0], [5], [-1], [1]],
    ['negative start, two axes', [1, -3], [2 ** 40, 2 ** 40], [1, 2], [1, 1]],
    ['reversed', [-1], [-(2 ** 40)], [2], [-1]],
    ['step 2 and step -2', [0, 10], [100, 0], [2, 3], [2, -2]],
    ['clamped static bounds', [-100, 3], [100, 2 ** 40], [3, 2], [1, 1]],
  ] as [string, number[], number[], number[], number[]][])('%s', async (_name, starts, ends, axes, steps) => {
    // the IR infers symbolic slices assuming the bounds lie within the dim, so steps and large ends go on static axes
    const g = new GraphBuilder('slice');
    const x = g.input('x', 'f32', ['batch', 'seq', 12, 11]);
    g.output(g.op('Slice', [x, g.ints(starts), g.ints(ends), g.ints(axes), g.ints(steps)]), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES });
  });
  it('symbolic bounds from the shapes (x[:, :seq-1] of a longer buffer)', async () => {
    const g = new GraphBuilder('slice_symbolic');
    const x = g.input('x', 'f32', ['batch', 20, 4]);
    const ids = g.input('ids', 'i64', ['batch', 'seq']);
    const seq = g.op('Gather', [g.op('Shape', [ids]), g.ints([1])]);
    g.output(g.op('Slice', [x, g.ints([1]), seq, g.ints([1])]), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, passes: undefined });
  });
});

describe('wasm Split and Concat', () => {
  it('Split into uneven pieces along the last axis', async () => {
    const g = new GraphBuilder('split');
    const x = g.input('x', 'f32', ['batch', 'seq', 10]);
    const [a, b, c] = g.opMulti('Split', [x, g.ints([3, 5, 2])], { axis: 2 }, 3);
    [a, b, c].forEach((value, index) => g.output(value!, `out${index}`));
    await checkOnWasm(g.build(), { sizes: SIZES });
  });
  it('Split evenly along a symbolic axis', async () => {
    const g = new GraphBuilder('split_even');
    const x = g.input('x', 'i32', [6, 'seq']);
    const [a, b] = g.opMulti('Split', [x], { axis: 0, num_outputs: 2 }, 2);
    g.output(a!, 'a');
    g.output(b!, 'b');
    await checkOnWasm(g.build(), { sizes: SIZES });
  });
  it.each([0, 1, 2])('Concat on axis %s', async (axis) => {
    const g = new GraphBuilder('concat');
    const shapes: Dim[][] = [['batch', 'seq', 3], ['batch', 'seq', 3], ['batch', 'seq', 3]];
    shapes[1][axis] = 2;
    const inputs = shapes.map((shape, index) => g.input(`x${index}`, 'f32', shape));
    g.output(g.op('Concat', inputs, { axis }), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES });
  });
});

describe('wasm Expand, Gather, Range, Trilu, ConstantOfShape', () => {
  it('Expand a row and a column', async () => {
    const g = new GraphBuilder('expand');
    g.output(g.op('Expand', [g.input('row', 'f32', [1, 7]), g.ints([3, 1, 7])]), 'a');
    g.output(g.op('Expand', [g.input('column', 'i64', [4, 1]), g.ints([2, 4, 5])]), 'b');
    await checkOnWasm(g.build());
  });
  it('Gather embedding rows with i64 indices (negative wrap)', async () => {
    const g = new GraphBuilder('gather');
    const table = g.input('table', 'f32', [11, 6]);
    g.output(g.op('Gather', [table, g.input('ids', 'i64', ['batch', 'seq'])]), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, fills: { ids: { low: -11, high: 10 } } });
  });
  it.each([1, 2, -1])('Gather on axis %s with i32 indices', async (axis) => {
    const g = new GraphBuilder('gather_axis');
    g.output(g.op('Gather', [g.input('x', 'f32', [3, 4, 5]), g.input('ids', 'i32', [2, 'seq'])], { axis }), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, fills: { ids: { low: -3, high: 2 } } });
  });
  it('Gather clamps out-of-range indices instead of reading out of bounds', async () => {
    const g = new GraphBuilder('gather_clamp');
    g.output(g.op('Gather', [g.input('table', 'f32', [3, 2]), g.input('ids', 'i64', [4])]), 'y');
    const program = await compileProgram(g.build(), { target: 'wasm', passes: [] });
    const session = await WasmSession.create(program, { relaxedSimd: false });
    const table = tensor('f32', [3, 2], [1, 2, 3, 4, 5, 6]);
    const ids = tensor('i64', [4], [BigInt(7), BigInt(-9), BigInt(2) ** BigInt(40), -(BigInt(2) ** BigInt(40))]);
    const { y } = await session.run({ table, ids });
    expect(Array.from(y.data as Float32Array)).toEqual([5, 6, 1, 2, 5, 6, 1, 2]);
  });
  it('Range of symbolic length (i64) and of f32', async () => {
    const g = new GraphBuilder('range');
    const ids = g.input('ids', 'i64', ['batch', 'seq']);
    const seq = g.op('Gather', [g.op('Shape', [ids]), g.scalar(1, 'i64')]);
    g.output(g.op('Range', [g.scalar(0, 'i64'), seq, g.scalar(1, 'i64')]), 'positions');
    g.output(g.op('Range', [g.scalar(3, 'i64'), g.op('Add', [seq, g.scalar(3, 'i64')]), g.scalar(1, 'i64')]), 'shifted');
    g.output(g.op('Range', [g.scalar(0.5), g.scalar(40), g.scalar(0.25)]), 'floats');
    await checkOnWasm(g.build(), { sizes: [{ batch: 1, seq: 70 }, { batch: 2, seq: 9 }] });
  });
  it.each([[1, 0], [0, 0], [1, 2], [0, -1], [1, -8]])('Trilu upper=%s k=%s', async (upper, k) => {
    const g = new GraphBuilder('trilu');
    g.output(g.op('Trilu', [g.input('x', 'f32', ['batch', 'seq', 6]), g.scalar(k, 'i64')], { upper }), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES });
  });
  it('Constant nodes (not folded) become weights', async () => {
    const g = new GraphBuilder('constant_node');
    const c = g.op('Constant', [], { value: tensor('f32', [3], [1, -2, 0.5]) });
    g.output(g.op('Mul', [g.input('x', 'f32', ['seq', 3]), c]), 'y');
    g.output(g.op('Constant', [], { value: tensor('i64', [2, 2], [1, 2, 3, 4]) }), 'c');
    await checkOnWasm(g.build(), { sizes: SIZES });
  });
  it('ConstantOfShape with f32, i64 and bool values', async () => {
    const g = new GraphBuilder('constant_of_shape');
    const ids = g.input('ids', 'i64', ['batch', 'seq']);
    const shape = g.op('Shape', [ids]);
    g.output(g.op('ConstantOfShape', [shape], { value: tensor('f32', [1], [-2.5]) }), 'f');
    g.output(g.op('ConstantOfShape', [shape], { value: tensor('i64', [1], [-3]) }), 'i');
    g.output(g.op('ConstantOfShape', [shape], { value: tensor('bool', [1], [true]) }), 'b');
    g.output(g.op('ConstantOfShape', [shape]), 'zeros');
    await checkOnWasm(g.build(), { sizes: [{ batch: 3, seq: 30 }, { batch: 2, seq: 5 }] });
  });
});
