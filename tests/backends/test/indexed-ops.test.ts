/**
 * Pad, Tile, GatherElements, GatherND, ScatterElements, ScatterND, OneHot
 * and training-mode Dropout on wasm and WebGPU against the reference
 * interpreter, on random inputs beyond the ONNX cases: symbolic sizes bound
 * two ways (size 1 and 0 included where the op allows them), inputs that
 * are views of a transpose (non-contiguous reads), integer and bool
 * dtypes, every mode and reduction.
 */
import { GraphBuilder, tensor, type DType, type Graph, type Tensor } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, it } from 'vitest';
import { checkRuns, type CompiledBackend } from '../src/backend-check.js';
import { describeGpu } from '../src/gpu.js';

const next = seededRandom(2024);
const random = (dtype: DType, shape: number[], low = -3, high = 3): Tensor => randomTensor(next, dtype, shape, dtype === 'bool' ? {} : { low, high });

/** x: f32[rows, cols] read through a Transpose, so the op sees a non-contiguous producer. */
function transposed(g: GraphBuilder, dtype: DType = 'f32') {
  return g.op('Transpose', [g.input('x', dtype, ['cols', 'rows'])]);
}

function padGraph(mode: string, pads: number[], dtype: DType): Graph {
  const g = new GraphBuilder(`pad_${mode}_${dtype}`);
  const value = mode === 'constant' ? g.constant(tensor(dtype, [], [dtype === 'bool' ? 1 : 5])) : undefined;
  g.output(g.op('Pad', [transposed(g, dtype), g.ints(pads), value], { mode }), 'y');
  return g.build();
}

function padsFed(): Graph {
  const g = new GraphBuilder('pad_fed');
  g.output(g.op('Pad', [g.input('x', 'i64', [3, 'n']), g.input('pads', 'i64', [4]), g.input('value', 'i64', [])], { mode: 'constant' }), 'y');
  return g.build();
}

function tileGraph(repeats: number[] | 'fed', dtype: DType): Graph {
  const g = new GraphBuilder(`tile_${dtype}`);
  const fed = repeats === 'fed';
  g.output(g.op('Tile', [transposed(g, dtype), fed ? g.input('repeats', 'i64', [2]) : g.ints(repeats)]), 'y');
  return g.build();
}

function checkAll(backend: CompiledBackend): void {
  const runs = (dtype: DType = 'f32') => [{ x: random(dtype, [3, 4]) }, { x: random(dtype, [1, 2]) }, { x: random(dtype, [2, 1]) }];

  it.each(['constant', 'edge', 'reflect', 'wrap'])('Pad in %s mode, grown and cropped, f32, i64 and bool', async (mode) => {
    for (const dtype of ['f32', 'i64', 'bool'] as DType[]) {
      await checkRuns(padGraph(mode, [2, 0, 1, 3], dtype), backend, runs(dtype));
      await checkRuns(padGraph(mode, [-1, 1, 0, -1], dtype), backend, [{ x: random(dtype, [3, 4]) }, { x: random(dtype, [3, 2]) }]);
    }
    if (mode === 'constant') await checkRuns(padGraph(mode, [1, 1, 1, 1], 'f32'), backend, [{ x: random('f32', [0, 3]) }]);
  });

  it('Pad with fed pads and value: one program, the pads bound per run', async () => {
    await checkRuns(padsFed(), backend, [
      { x: random('i64', [3, 4]), pads: tensor('i64', [4], [1, 0, 0, 2]), value: tensor('i64', [], [-7]) },
      { x: random('i64', [3, 2]), pads: tensor('i64', [4], [0, -1, 2, 0]), value: tensor('i64', [], [9]) },
    ]);
  });

  it('Tile with constant and fed repeats (zero included)', async () => {
    await checkRuns(tileGraph([2, 3], 'f32'), backend, runs());
    await checkRuns(tileGraph([1, 0], 'i64'), backend, runs('i64'));
    await checkRuns(tileGraph('fed', 'bool'), backend, [
      { x: random('bool', [3, 4]), repeats: tensor('i64', [2], [2, 1]) },
      { x: random('bool', [2, 2]), repeats: tensor('i64', [2], [3, 2]) },
    ]);
  });

  it.each([0, 1, 2])('GatherElements along axis %s, indices smaller than data, negative ones included', async (axis) => {
    for (const dtype of ['f32', 'i64'] as DType[]) {
      const g = new GraphBuilder(`gather_elements_${axis}`);
      g.output(g.op('GatherElements', [g.input('data', dtype, [3, 'n', 4]), g.input('indices', 'i64', [2, 'm', 3])], { axis }), 'y');
      const size = (n: number) => [3, n, 4][axis];
      const feeds = (n: number, m: number) => ({ data: random(dtype, [3, n, 4]), indices: random('i64', [2, m, 3], -size(n), size(n) - 1) });
      await checkRuns(g.build(), backend, [feeds(3, 2), feeds(2, 1), feeds(1, 1)]);
    }
  });

  it.each([
    ['depth 1', [5, 'n', 3], ['m', 1], 0],
    ['depth 2', [5, 'n', 3], ['m', 2], 0],
    ['batch_dims 1, depth 1', [2, 'n', 3], [2, 'm', 1], 1],
  ] as [string, (string | number)[], (string | number)[], number][])('GatherND with %s', async (_name, dataShape, indexShape, batchDims) => {
    const g = new GraphBuilder('gather_nd');
    g.output(g.op('GatherND', [g.input('data', 'i32', dataShape), g.input('indices', 'i64', indexShape)], { batch_dims: batchDims }), 'y');
    const concrete = (shape: (string | number)[], n: number, m: number) => shape.map((dim) => (dim === 'n' ? n : dim === 'm' ? m : (dim as number)));
    const depth = indexShape[indexShape.length - 1] as number;
    const low = Math.min(...concrete(dataShape, 2, 0).slice(batchDims, batchDims + depth));
    const feeds = (n: number, m: number) => ({ data: random('i32', concrete(dataShape, n, m)), indices: random('i64', concrete(indexShape, n, m), -low, low - 1) });
    await checkRuns(g.build(), backend, [feeds(4, 3), feeds(2, 1), feeds(2, 0)]);
  });

  it.each(['none', 'add', 'mul', 'max', 'min'])('ScatterElements with reduction %s, colliding and negative indices', async (reduction) => {
    for (const dtype of ['f32', 'i32', 'i64'] as DType[]) {
      const g = new GraphBuilder(`scatter_elements_${reduction}_${dtype}`);
      const inputs = [g.input('data', dtype, [3, 'n']), g.input('indices', 'i64', [2, 'n']), g.input('updates', dtype, [2, 'n'])];
      g.output(g.op('ScatterElements', inputs, { axis: 0, reduction }), 'y');
      const feeds = (n: number) => ({ data: random(dtype, [3, n]), indices: random('i64', [2, n], -3, 2), updates: random(dtype, [2, n]) });
      await checkRuns(g.build(), backend, [feeds(4), feeds(1)]);
    }
  });

  it.each(['none', 'add', 'mul', 'max', 'min'])('ScatterND with reduction %s, slices and single elements', async (reduction) => {
    const g = new GraphBuilder(`scatter_nd_${reduction}`);
    const slices = g.op('ScatterND', [g.input('data', 'f32', [4, 'n']), g.input('rows', 'i64', [3, 1]), g.input('updates', 'f32', [3, 'n'])], { reduction });
    const cells = g.op('ScatterND', [slices, g.input('cells', 'i64', [2, 2]), g.input('values', 'f32', [2])], { reduction });
    g.output(cells, 'y');
    const feeds = (n: number) => ({ data: random('f32', [4, n]), rows: tensor('i64', [3, 1], [1, -1, 1]), updates: random('f32', [3, n]), cells: tensor('i64', [2, 2], [0, 0, -4, -n]), values: random('f32', [2]) });
    await checkRuns(g.build(), backend, [feeds(3), feeds(1)]);
  });

  it('OneHot of i64, i32 and f32 indices on every axis', async () => {
    for (const [dtype, axis] of [['i64', -1], ['i32', 0], ['f32', 1]] as [DType, number][]) {
      const g = new GraphBuilder(`one_hot_${dtype}`);
      const values = g.constant(tensor('f32', [2], [-1, 2.5]));
      g.output(g.op('OneHot', [g.input('indices', dtype, ['n', 3]), g.constant(tensor('i64', [], [4])), values], { axis }), 'y');
      await checkRuns(g.build(), backend, [{ indices: random(dtype, [2, 3], -5, 5) }, { indices: random(dtype, [1, 3], -5, 5) }, { indices: random(dtype, [0, 3], -5, 5) }]);
    }
  });

  it('training-mode Dropout draws the reference mask, element for element', async () => {
    const g = new GraphBuilder('dropout_training');
    const [y, mask] = g.opMulti('Dropout', [g.input('x', 'f32', ['n', 7]), g.scalar(0.3), g.constant(tensor('bool', [], [true]))], { seed: 12345 }, 2);
    g.output(y!, 'y');
    g.output(mask!, 'mask');
    await checkRuns(g.build(), backend, [{ x: random('f32', [50, 7]) }, { x: random('f32', [1, 7]) }]);
  });
}

describe('indexed and padding ops on wasm', () => checkAll('wasm'));
describeGpu('indexed and padding ops on webgpu', () => checkAll('webgpu'));
