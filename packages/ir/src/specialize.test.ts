import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder.js';
import { FeedError } from './errors.js';
import { interpret } from './interpret.js';
import { withInputValues } from './specialize.js';
import { tensor } from './tensor.js';
import { verifyGraph } from './verify.js';

function graph() {
  const g = new GraphBuilder('specialize');
  g.output(g.op('Reshape', [g.input('x', 'f32', [2, 3]), g.input('shape', 'i64', [2])]), 'y');
  return g.build();
}

describe('withInputValues', () => {
  it('turns the named inputs into constants, leaving the graph it copied as it was', () => {
    const original = graph();
    const specialized = withInputValues(original, { shape: tensor('i64', [2], [3, 2]) });
    expect(specialized.inputs).toEqual(['x']);
    expect(original.inputs).toEqual(['x', 'shape']);
    verifyGraph(specialized);
    expect(specialized.typeOf('y').shape).toEqual([3, 2]);
    const x = tensor('f32', [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(Array.from(interpret(specialized, { x }).y.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a value that does not fit the input, or a name that is no input', () => {
    expect(() => withInputValues(graph(), { shape: tensor('i64', [3], [1, 2, 3]) })).toThrow(FeedError);
    expect(() => withInputValues(graph(), { shape: tensor('i32', [2], [3, 2]) })).toThrow(/expects dtype i64, got i32/);
    expect(() => withInputValues(graph(), { nope: tensor('i64', [2], [3, 2]) })).toThrow(/'nope' is not an input/);
  });
});
