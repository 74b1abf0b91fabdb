import { constantValues, GraphBuilder, RuntimeValueError, UnsupportedError, type Graph } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { demandedNodes } from '../demand.js';
import { RuntimeValues } from './runtime-values.js';

function analyze(graph: Graph): RuntimeValues {
  return RuntimeValues.analyze(graph, demandedNodes(graph), constantValues(graph));
}

/** y = Reshape(x, Concat(Shape(x)[0:1] * n, [-1])) + 1: a shape computed on the host from a feed and a shape. */
function chain(): Graph {
  const g = new GraphBuilder('chain');
  const x = g.input('x', 'f32', ['rows', 24]);
  const rows = g.op('Slice', [g.op('Shape', [x]), g.ints([0]), g.ints([1])]);
  const target = g.op('Concat', [g.op('Mul', [rows, g.input('n', 'i64', [1])]), g.ints([-1])], { axis: 0 });
  g.output(g.op('Add', [g.op('Reshape', [x, target]), g.scalar(1)]), 'y');
  return g.build();
}

describe('run-time values', () => {
  it('leave a graph whose sizes follow from its input shapes alone', () => {
    const g = new GraphBuilder('static');
    g.output(g.op('Reshape', [g.input('x', 'f32', ['rows', 4]), g.ints([-1])]), 'y');
    const graph = g.build();
    const runtime = analyze(graph);
    expect(runtime.program()).toBeUndefined();
    expect(graph.typeOf('y').shape).toEqual(['4*rows']);
  });

  it('name the sizes a fed shape decides, and re-infer the nodes after it', () => {
    const graph = chain();
    const runtime = analyze(graph);
    const reshaped = graph.nodes.find((node) => node.op === 'Reshape')!.outputs[0];
    const named = [`v_${reshaped}_d0`, `v_${reshaped}_d1`];
    expect(graph.typeOf(reshaped).shape).toEqual(named);
    expect(graph.typeOf('y').shape).toEqual(named);
    const host = runtime.program()!;
    // the Add reads the new sizes: the host checks that its inputs broadcast where the kernel does
    expect(host.steps.map((step) => [step.op, step.evaluate])).toEqual([['Mul', true], ['Concat', true], ['Reshape', false], ['Add', false]]);
    expect(host.steps.map((step) => step.broadcast)).toEqual([undefined, undefined, undefined, [named, []]]);
    expect(host.values.map((value) => [value.name, value.source.kind])).toEqual(
      expect.arrayContaining([['n', 'feed'], ['x', 'feed']]),
    );
    expect(runtime.isRuntime(graph.nodes.find((node) => node.op === 'Concat')!.outputs[0])).toBe(true);
    expect(runtime.inputsBehind(graph.nodes.find((node) => node.op === 'Concat')!.outputs[0])).toEqual(['n']);
  });

  it('bind symbols to the entries of a fed integer scalar, once per value', () => {
    const g = new GraphBuilder('trilu');
    g.output(g.op('Trilu', [g.input('x', 'f32', [3, 3]), g.input('k', 'i64', [])]), 'y');
    const graph = g.build();
    const runtime = analyze(graph);
    expect(runtime.entrySymbols('k')).toEqual(['k_v0']);
    expect(runtime.entrySymbols('k')).toEqual(['k_v0']);
    expect(runtime.entrySymbols('x')).toBeUndefined();
    expect(runtime.program()!.valueSymbols).toEqual([{ value: 'k', symbols: ['k_v0'] }]);
    const error = runtime.needsValue(graph.nodes[0], 'k', 'k');
    expect(error).toBeInstanceOf(RuntimeValueError);
    expect(error.inputs).toEqual(['k']);
  });

  it('refuse a size decided by a value only the device computes, naming the node that needs it', () => {
    const g = new GraphBuilder('device');
    const product = g.op('MatMul', [g.input('a', 'f32', ['rows', 2]), g.input('b', 'f32', [2, 2])]);
    const target = g.op('Cast', [g.op('ReduceSum', [product, g.ints([0])], { keepdims: 0 })], { to: 7 });
    g.output(g.op('Reshape', [g.input('x', 'f32', [4]), target]), 'y');
    expect(() => analyze(g.build())).toThrow(UnsupportedError);
    expect(() => analyze(g.build())).toThrow(/Reshape %y: its shape %.* arrives at run time, and it depends on %.*, computed by MatMul/);
  });
});
