/**
 * Values that decide sizes arriving at run time (graph inputs, not
 * constants): one compiled program serves every value — the host
 * evaluates the small integer subgraph when the feeds arrive, binds the
 * sizes it decides, plans memory for them, and the outputs carry their real
 * shapes. Checked on wasm and WebGPU against the reference interpreter,
 * through a serialised `.ladon` program (the host part travels with it).
 */
import { compileProgram } from '@ladon/compiler';
import { deserializeProgram, GraphBuilder, interpret, RuntimeValueError, serializeProgram, ShapeError, tensor, UnsupportedError, type Graph, type Tensor } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { Session } from '@ladon/runtime';
import { describe, expect, it } from 'vitest';
import { describeGpu, expectOutputs } from '../src/gpu.js';

type Feeds = Record<string, Tensor>;
const next = seededRandom(11);
const floats = (shape: number[]) => randomTensor(next, 'f32', shape, { low: -2, high: 2 });
const i64 = (values: number[], shape = [values.length]) => tensor('i64', shape, values);

/** Compiles `graph` once for `backend`, then runs every feed set on that one program and compares with the reference. */
async function checkRuns(graph: Graph, runs: readonly Feeds[], backend: 'wasm' | 'webgpu'): Promise<void> {
  const program = await compileProgram(graph, { target: backend === 'wasm' ? 'wasm' : 'wgsl' });
  expect(program.host, 'the program has a host part').toBeDefined();
  const session = await Session.create(serializeProgram(program), { backend });
  try {
    for (const feeds of runs) {
      const expected = interpret(graph, feeds);
      const got = await session.run(feeds);
      for (const name of graph.outputs) expect(got[name].shape, `shape of ${name}`).toEqual(expected[name].shape);
      expectOutputs(got, expected, () => ({ rtol: 0, atol: 1e-6 }));
    }
  } finally {
    session.dispose();
  }
}

function reshapeGraph(): Graph {
  const g = new GraphBuilder('reshape_fed');
  const x = g.input('x', 'f32', ['rows', 12]);
  g.output(g.op('Reshape', [x, g.input('shape', 'i64', [3])]), 'y');
  return g.build();
}

function expandGraph(): Graph {
  const g = new GraphBuilder('expand_fed');
  g.output(g.op('Expand', [g.input('x', 'f32', [3, 1]), g.input('shape', 'i64', [2])]), 'y');
  return g.build();
}

/** Add(x, Expand(row, shape)): the Expand's size is bound at run time, the Add broadcasts by the compiled shapes. */
function expandAddGraph(): Graph {
  const g = new GraphBuilder('expand_add_fed');
  g.output(g.op('Add', [g.input('x', 'f32', ['n', 3]), g.op('Expand', [g.input('row', 'f32', [1, 3]), g.input('shape', 'i64', [2])])]), 'y');
  return g.build();
}

function fillGraph(): Graph {
  const g = new GraphBuilder('fill_fed');
  g.output(g.op('ConstantOfShape', [g.input('shape', 'i64', [2])], { value: tensor('i32', [1], [7]) }), 'y');
  return g.build();
}

/** Reshape(x, [rows * n, -1] computed from Shape(x) and a fed n), then an Add whose size follows the new symbols. */
function chainGraph(): Graph {
  const g = new GraphBuilder('chain_fed');
  const x = g.input('x', 'f32', ['rows', 24]);
  const n = g.input('n', 'i64', [1]);
  const rows = g.op('Slice', [g.op('Shape', [x]), g.ints([0]), g.ints([1])]);
  const target = g.op('Concat', [g.op('Mul', [rows, n]), g.ints([-1])], { axis: 0 });
  const y = g.op('Reshape', [x, target]);
  g.output(g.op('Add', [y, y]), 'y');
  return g.build();
}

function triluGraph(): Graph {
  const g = new GraphBuilder('trilu_fed');
  g.output(g.op('Trilu', [g.input('x', 'f32', [2, 4, 5]), g.input('k', 'i64', [])], { upper: 0 }), 'y');
  return g.build();
}

function sliceGraph(): Graph {
  const g = new GraphBuilder('slice_fed');
  const x = g.input('x', 'f32', [4, 6]);
  g.output(g.op('Slice', [x, g.input('starts', 'i64', [1]), g.ints([100]), g.input('axes', 'i64', [1]), g.ints([-1])]), 'y');
  return g.build();
}

/** Range of fed scalars in `dtype`, and a NonZero of a fed mask whose count sizes the Transpose after it. */
function rangeGraph(dtype: 'f32' | 'f16' | 'i64'): Graph {
  const g = new GraphBuilder(`range_${dtype}`);
  g.output(g.op('Range', ['start', 'limit', 'delta'].map((name) => g.input(name, dtype, []))), 'y');
  return g.build();
}

function nonZeroGraph(): Graph {
  const g = new GraphBuilder('non_zero_fed');
  g.output(g.op('Transpose', [g.op('NonZero', [g.input('mask', 'bool', [2, 'n'])])]), 'y');
  return g.build();
}

/** Squeeze and Unsqueeze with fed axes, Flatten and Size of the result, OneHot with a fed depth. */
function axesGraph(): Graph {
  const g = new GraphBuilder('axes_fed');
  const squeezed = g.op('Squeeze', [g.input('x', 'f32', [1, 'n', 1, 3]), g.input('squeeze', 'i64', [2])]);
  const unsqueezed = g.op('Unsqueeze', [squeezed, g.input('unsqueeze', 'i64', [1])]);
  g.output(g.op('Flatten', [unsqueezed], { axis: 1 }), 'flat');
  g.output(g.op('Size', [unsqueezed]), 'size');
  g.output(g.op('OneHot', [g.input('indices', 'i64', [3]), g.input('depth', 'f32', []), g.constant(tensor('i32', [2], [0, 1]))]), 'hot');
  return g.build();
}

function checkAll(backend: 'wasm' | 'webgpu'): void {
  it('Range of fed operands in f32, f16 and i64 (negative deltas, empty ranges)', async () => {
    for (const dtype of ['f32', 'f16', 'i64'] as const) {
      const run = (start: number, limit: number, delta: number) => ({ start: tensor(dtype, [], [start]), limit: tensor(dtype, [], [limit]), delta: tensor(dtype, [], [delta]) });
      await checkRuns(rangeGraph(dtype), [run(1, 5, 2), run(10, -3, -4), run(3, 3, 1), run(0, 40, 1)], backend);
    }
  });

  it('NonZero of a fed mask: the host counts, the device transposes', async () => {
    const mask = (values: boolean[]) => tensor('bool', [2, values.length / 2], values);
    await checkRuns(nonZeroGraph(), [{ mask: mask([true, false, true, true, false, true]) }, { mask: mask([false, false]) }, { mask: mask([true, true, true, true]) }], backend);
  });

  it('fed axes for Squeeze and Unsqueeze, Flatten and Size after them, a fed OneHot depth', async () => {
    const run = (n: number, squeeze: number[], unsqueeze: number, depth: number) => ({
      x: floats([1, n, 1, 3]),
      squeeze: i64(squeeze),
      unsqueeze: i64([unsqueeze]),
      indices: i64([0, -1, 7]),
      depth: tensor('f32', [], [depth]),
    });
    await checkRuns(axesGraph(), [run(2, [0, 2], 0, 3), run(1, [2, -4], -1, 8), run(4, [-2, 0], 1, 1)], backend);
  });

  it('Trilu with a fed k: the kernel takes a symbol the host binds to k (negative too)', async () => {
    const k = (value: number) => tensor('i64', [], [value]);
    await checkRuns(triluGraph(), [{ x: floats([2, 4, 5]), k: k(-1) }, { x: floats([2, 4, 5]), k: k(2) }, { x: floats([2, 4, 5]), k: k(-9) }], backend);
  });

  it('Slice with fed starts and axes: a session from the graph compiles one program per value', async () => {
    const graph = sliceGraph();
    await expect(compileProgram(graph, { target: backend === 'wasm' ? 'wasm' : 'wgsl' })).rejects.toThrow(RuntimeValueError);
    const session = await Session.create(graph, { backend });
    expect(session.program).toBeUndefined();
    for (const [start, axis] of [[-1, 0], [2, 1], [-1, 0]]) {
      const feeds = { x: floats([4, 6]), starts: i64([start]), axes: i64([axis]) };
      const got = await session.run(feeds);
      const expected = interpret(graph, feeds);
      expect(got.y.shape).toEqual(expected.y.shape);
      expectOutputs(got, expected, () => ({ rtol: 0, atol: 0 }));
    }
    session.dispose();
  });

  it('a session compiling per value does so through the session: metadata from the graph, progress and the compile cache per value binding', async () => {
    const graph = sliceGraph();
    const events: string[] = [];
    const session = await Session.create(graph, { backend, cache: 'memory', onProgress: ({ phase }) => events.push(phase) });
    expect(session.inputNames).toEqual(['x', 'starts', 'axes']);
    expect(session.outputMetadata.map(({ name, dtype }) => ({ name, dtype }))).toEqual([{ name: 'y', dtype: 'f32' }]);
    expect(session.inputMetadata[0]).toEqual({ name: 'x', dtype: 'f32', shape: [4, 6] });
    // A value no other test in this process compiles (the memory cache is per process).
    const feeds = (start: number) => ({ x: floats([4, 6]), starts: i64([start]), axes: i64([1]) });
    const compileEvents = (phase: string) => events.filter((event) => event === phase).length;
    events.length = 0;
    await session.run(feeds(3));
    const first = { compile: compileEvents('compile'), optimise: compileEvents('optimise') };
    expect(first.compile).toBeGreaterThan(0);
    expect(events).toContain('instantiate');
    if (backend === 'wasm') expect(first.optimise).toBeGreaterThan(0);
    // A second session over the same graph finds that value's program in the compile cache. (Attempts that
    // end in a RuntimeValueError, specialising on one input before the other, are not cached and report again.)
    const again = await Session.create(graph, { backend, cache: 'memory', onProgress: ({ phase }) => events.push(phase) });
    events.length = 0;
    expectOutputs(await again.run(feeds(3)), interpret(graph, feeds(3)), () => ({ rtol: 0, atol: 0 }));
    expect(compileEvents('compile')).toBeLessThan(first.compile);
    expect(compileEvents('optimise')).toBe(0);
    expect(events).toContain('instantiate');
    session.dispose();
    again.dispose();
  });

  it('Reshape to a fed shape: one program, three shapes', async () => {
    await checkRuns(reshapeGraph(), [
      { x: floats([2, 12]), shape: i64([2, -1, 3]) },
      { x: floats([2, 12]), shape: i64([0, 3, 4]) },
      { x: floats([5, 12]), shape: i64([1, 60, 1]) },
    ], backend);
  });

  it('Expand to a fed shape (a broadcast axis, and none)', async () => {
    await checkRuns(expandGraph(), [{ x: floats([3, 1]), shape: i64([3, 4]) }, { x: floats([3, 1]), shape: i64([1, 1]) }, { x: floats([3, 1]), shape: i64([3, 6]) }], backend);
  });

  it('an element-wise op reading a size bound at run time: right when it matches, a ShapeError naming the node when it would broadcast', async () => {
    const graph = expandAddGraph();
    await checkRuns(graph, [{ x: floats([4, 3]), row: floats([1, 3]), shape: i64([4, 3]) }, { x: floats([2, 3]), row: floats([1, 3]), shape: i64([2, 1]) }], backend);
    const session = await Session.create(await compileProgram(graph, { target: backend === 'wasm' ? 'wasm' : 'wgsl' }), { backend });
    const broadcasting = { x: floats([4, 3]), row: floats([1, 3]), shape: i64([1, 3]) };
    await expect(session.run(broadcasting)).rejects.toThrow(ShapeError);
    await expect(session.run(broadcasting)).rejects.toThrow(/Add %y: at run time %.* is \[1, 3\] and broadcasts along axis 0 to \[4, 3\]/);
    session.dispose();
  });

  it('ConstantOfShape of a fed shape, zero-size included', async () => {
    await checkRuns(fillGraph(), [{ shape: i64([2, 5]) }, { shape: i64([0, 3]) }, { shape: i64([4, 1]) }], backend);
  });

  it('a shape computed on the host from Shape(x) and a fed factor sizes the ops after it', async () => {
    await checkRuns(chainGraph(), [{ x: floats([2, 24]), n: i64([3]) }, { x: floats([3, 24]), n: i64([4]) }], backend);
  });

  it('a fed shape that contradicts the compiled one is a ShapeError naming the node', async () => {
    const graph = reshapeGraph();
    graph.values.get('y')!.type = { dtype: 'f32', shape: [2, 3, 4] };
    const program = await compileProgram(graph, { target: backend === 'wasm' ? 'wasm' : 'wgsl' });
    const session = await Session.create(program, { backend });
    await expect(session.run({ x: floats([2, 12]), shape: i64([2, 4, 3]) })).rejects.toThrow(ShapeError);
    await expect(session.run({ x: floats([2, 12]), shape: i64([2, 4, 3]) })).rejects.toThrow(/Reshape %y: at run time %y is \[2, 4, 3\], but the program was compiled for \[2, 3, 4\]/);
    expect((await session.run({ x: floats([2, 12]), shape: i64([2, 3, 4]) })).y.shape).toEqual([2, 3, 4]);
    session.dispose();
  });
}

describe('run-time shape values on wasm', () => checkAll('wasm'));
describeGpu('run-time shape values on webgpu', () => checkAll('webgpu'));

describe('run-time shape values at compile time', () => {
  it('a shape computed on the device is an UnsupportedError naming the node that needs it', async () => {
    const g = new GraphBuilder('device_shape');
    const x = g.input('x', 'f32', [2, 6]);
    const product = g.op('MatMul', [g.input('w', 'f32', ['rows', 3]), g.input('v', 'f32', [3, 2])]);
    const target = g.op('Cast', [g.op('ReduceSum', [product, g.ints([0])], { keepdims: 0 })], { to: 7 });
    g.output(g.op('Reshape', [x, target]), 'y');
    const compiling = compileProgram(g.build(), { target: 'wasm' });
    await expect(compiling).rejects.toThrow(UnsupportedError);
    await expect(compileProgram(g.build(), { target: 'wasm' })).rejects.toThrow(/Reshape %y: its shape %.* arrives at run time, and it depends on %.* \(f32\[rows, 2\]\), computed by MatMul/);
  });

  it('a kernel that needs a fed value at compile time is a RuntimeValueError naming the inputs behind it', async () => {
    const compiling = compileProgram(sliceGraph(), { target: 'wasm' });
    await expect(compiling).rejects.toThrow(/Slice %y: the starts %starts arrives at run time \(from graph input 'starts'\)/);
    const error = await compileProgram(sliceGraph(), { target: 'wgsl' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuntimeValueError);
    expect((error as RuntimeValueError).inputs).toEqual(['starts']);
  });

  it('a fed Trilu k becomes a value symbol of the host part', async () => {
    const program = await compileProgram(triluGraph(), { target: 'wasm' });
    expect(program.host!.valueSymbols).toEqual([{ value: 'k', symbols: ['k_v0'] }]);
    expect(program.steps[0].args).toContainEqual({ dim: 'k_v0' });
  });

  it('the host part survives serialisation', async () => {
    const program = await compileProgram(reshapeGraph(), { target: 'wasm' });
    expect(deserializeProgram(serializeProgram(program)).host).toEqual(program.host);
    expect(program.host!.steps.map((step) => [step.op, step.evaluate])).toEqual([['Reshape', false]]);
  });
});
