import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder.js';
import type {
  LadonError} from './errors.js';
import {
  ArityError,
  AttributeError,
  CycleError,
  DTypeError,
  DuplicateValueError,
  GraphError,
  ParseError,
  ShapeError,
  UndefinedValueError,
  UnknownOpError,
} from './errors.js';
import { Graph } from './graph.js';
import { tensor } from './tensor.js';
import { parseGraph } from './text/parse.js';
import { verifyGraph } from './verify.js';

function expectError(action: () => unknown, type: new (...args: never[]) => LadonError, ...fragments: (string | RegExp)[]): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an error').toBeInstanceOf(type);
  const error = caught as LadonError;
  expect(error.name).toBe(type.name);
  expect(error.code).toMatch(/^E_[A-Z_]+$/);
  for (const fragment of fragments) expect(error.message).toMatch(fragment);
}

function handGraph(nodes: Graph['nodes']): Graph {
  const graph = new Graph('hand');
  graph.inputs = ['x'];
  graph.values.set('x', { name: 'x', type: { dtype: 'f32', shape: [2] } });
  for (const node of nodes) for (const output of node.outputs) graph.values.set(output, { name: output, type: { dtype: 'f32', shape: [2] } });
  graph.nodes = nodes;
  graph.outputs = [nodes[nodes.length - 1].outputs[0]];
  return graph;
}

describe('bad graphs get typed errors that say where and what', () => {
  it('1. an unknown op names the op and the node', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2]);
    expectError(() => g.op('Frobnicate', [x]), UnknownOpError, "unknown op 'Frobnicate'", /Frobnicate %0/);
  });

  it('2. MatMul inner dimensions that differ', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', ['batch', 4, 64]);
    const b = g.input('b', 'f32', [32, 8]);
    expectError(() => g.op('MatMul', [a, b]), ShapeError, 'MatMul %0', 'inner dimensions 64 and 32 differ', '%a', '%b');
  });

  it('3. operands of different dtypes', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2]);
    const b = g.input('b', 'i64', [2]);
    expectError(() => g.op('Add', [a, b]), DTypeError, 'Add %0', 'f32[2]', 'i64[2]');
  });

  it('4. a missing required attribute', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2]);
    expectError(() => g.op('Concat', [a, a]), AttributeError, "missing required attribute 'axis'");
  });

  it('5. an attribute the op does not have', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2, 3]);
    expectError(() => g.op('Softmax', [a], { axes: 1 }), AttributeError, "unknown attribute 'axes'", 'Softmax has axis');
  });

  it('6. an attribute of the wrong kind', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2, 3]);
    expectError(() => g.op('Transpose', [a], { perm: 'reverse' }), AttributeError, "attribute 'perm' must be a list of ints", '"reverse"');
  });

  it('7. the wrong number of inputs', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2, 3]);
    expectError(() => g.op('MatMul', [a]), ArityError, 'MatMul takes 2 inputs, got 1');
  });

  it('8. a cycle names the nodes in it', () => {
    const graph = handGraph([
      { op: 'Add', inputs: ['x', 'b'], outputs: ['a'], attrs: {} },
      { op: 'Relu', inputs: ['a'], outputs: ['b'], attrs: {} },
    ]);
    expectError(() => verifyGraph(graph), CycleError, 'cycle', '%a', '%b');
  });

  it('9. an input nobody defines', () => {
    const graph = handGraph([{ op: 'Relu', inputs: ['ghost'], outputs: ['y'], attrs: {} }]);
    expectError(() => verifyGraph(graph), UndefinedValueError, '%ghost is not defined', 'Relu %y');
  });

  it('10. a value defined twice', () => {
    const g = new GraphBuilder();
    g.input('x', 'f32', [2]);
    expectError(() => g.input('x', 'f32', [3]), DuplicateValueError, '%x is already defined');
    const graph = handGraph([
      { op: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} },
      { op: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} },
    ]);
    expectError(() => verifyGraph(graph), DuplicateValueError, '%y is defined twice');
  });

  it('11. a declared type that contradicts inference', () => {
    const text = ['graph g {', '  input %a : f32[2, 3]', '  %b = Transpose(%a) : f32[2, 3]', '  output %b', '}'].join('\n');
    expectError(() => parseGraph(text), ShapeError, '%b is declared f32[2, 3] but Transpose produces f32[3, 2]');
  });

  it('12. an initializer whose data does not fit its type', () => {
    const graph = handGraph([{ op: 'Add', inputs: ['x', 'w'], outputs: ['y'], attrs: {} }]);
    graph.values.set('w', { name: 'w', type: { dtype: 'f32', shape: [3] } });
    graph.initializers.set('w', tensor('f32', [2], [1, 2]));
    expectError(() => verifyGraph(graph), ShapeError, 'initializer %w is declared f32[3] but holds f32[2]');
  });

  it('13. a graph output nobody defines', () => {
    const graph = handGraph([{ op: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} }]);
    graph.outputs.push('missing');
    expectError(() => verifyGraph(graph), UndefinedValueError, 'graph output 1 %missing');
  });

  it('14. a reshape that cannot hold the elements', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [4, 6]);
    expectError(() => g.op('Reshape', [a, g.ints([5, -1])]), ShapeError, 'cannot reshape [4, 6] (24 elements)', 'not divisible by 5');
  });

  it('15. nodes out of order (no cycle)', () => {
    const graph = handGraph([
      { op: 'Relu', inputs: ['a'], outputs: ['b'], attrs: {} },
      { op: 'Relu', inputs: ['x'], outputs: ['a'], attrs: {} },
    ]);
    graph.outputs = ['b'];
    expectError(() => verifyGraph(graph), GraphError, 'used before the node that defines it');
  });

  it('16. text that does not parse says line and column', () => {
    expectError(() => parseGraph('graph g {\n  input %a : f33[2]\n}'), ParseError, /^2:14: expected a dtype/);
    expectError(() => parseGraph('graph g {\n  init %w : f32[2] = <2 elements>\n}'), ParseError, 'elided');
  });

  it('17. an axis out of range', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', ['batch', 8]);
    expectError(() => g.op('Softmax', [a], { axis: 2 }), ShapeError, 'axis 2 is out of range for rank 2');
  });

  it('18. attention with mismatched head sizes', () => {
    const g = new GraphBuilder();
    const q = g.input('q', 'f32', [1, 4, 'seq', 16]);
    const k = g.input('k', 'f32', [1, 4, 'seq', 8]);
    expectError(() => g.op('Attention', [q, k, k]), ShapeError, 'Attention %0', '%k');
  });
});
