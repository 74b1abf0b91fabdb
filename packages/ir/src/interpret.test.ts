import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder.js';
import { FeedError } from './errors.js';
import { interpret } from './interpret.js';
import { tensor } from './tensor.js';

function scaledScores() {
  const g = new GraphBuilder('scores');
  const q = g.input('q', 'f32', ['batch', 2, 'seq', 4]);
  const k = g.input('k', 'f32', ['batch', 2, 'seq', 4]);
  const kt = g.op('Transpose', [k], { perm: [0, 1, 3, 2] });
  const scores = g.op('Mul', [g.op('MatMul', [q, kt]), g.scalar(0.5)]);
  g.output(g.op('Softmax', [scores], { axis: -1 }), 'p');
  return { graph: g.build(), scoresName: scores.name };
}

describe('interpret', () => {
  it('runs a graph with symbolic dims on concrete sizes', () => {
    const { graph } = scaledScores();
    const q = tensor('f32', [1, 2, 3, 4], Array.from({ length: 24 }, (_, i) => (i % 5) / 5));
    const { p } = interpret(graph, { q, k: q });
    expect(p.shape).toEqual([1, 2, 3, 3]);
    const rows = p.data as Float32Array;
    for (let row = 0; row < 6; row++) {
      const sum = rows[row * 3] + rows[row * 3 + 1] + rows[row * 3 + 2];
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it('returns intermediate values on request and reports each node', () => {
    const { graph, scoresName } = scaledScores();
    const q = tensor('f32', [1, 2, 1, 4], [1, 0, 0, 0, 0, 1, 0, 0]);
    const seen: string[] = [];
    const result = interpret(graph, { q, k: q }, { fetch: [scoresName], onNode: (node) => seen.push(node.op) });
    expect(Array.from(result[scoresName].data as Float32Array)).toEqual([0.5, 0.5]);
    expect(seen).toEqual(['Transpose', 'MatMul', 'Mul', 'Softmax']);
  });

  it('rejects bad feeds with FeedErrors that name the input', () => {
    const { graph } = scaledScores();
    const good = tensor('f32', [1, 2, 3, 4]);
    expect(() => interpret(graph, { q: good })).toThrow(FeedError);
    expect(() => interpret(graph, { q: good })).toThrow("missing feed for input 'k'");
    expect(() => interpret(graph, { q: good, k: good, extra: good })).toThrow("feed 'extra' matches no graph input");
    expect(() => interpret(graph, { q: tensor('f16', [1, 2, 3, 4]), k: good })).toThrow("input 'q' expects dtype f32, got f16");
    expect(() => interpret(graph, { q: good, k: tensor('f32', [1, 2, 5, 4]) })).toThrow("'seq' is 3 elsewhere but 5 here");
    expect(() => interpret(graph, { q: good, k: tensor('f32', [1, 3, 3, 4]) })).toThrow('axis 1: 2 vs 3');
    const lying = { dtype: 'f32' as const, shape: [1, 2, 3, 4], data: new Float32Array(5) };
    expect(() => interpret(graph, { q: lying, k: good })).toThrow('needs 24 elements, data has 5');
  });
});
