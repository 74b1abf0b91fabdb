import { countOps, GraphBuilder, type Dim } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { einsumToMatMulPass, planEinsumAsMatMul } from './einsum-to-matmul.js';
import { runAndCompare } from './test-helpers.js';

function einsumGraph(equation: string, left: readonly Dim[], right: readonly Dim[]) {
  const g = new GraphBuilder();
  const a = g.input('a', 'f32', left);
  const b = g.input('b', 'f32', right);
  g.output(g.op('Einsum', [a, b], { equation }), 'y');
  return g.build();
}

const sizes = { batch: 2, seq: 3 };

describe('einsum-to-matmul', () => {
  const qualifying: [string, Dim[], Dim[], Record<string, number>][] = [
    ['bhqd,bhkd->bhqk', ['batch', 2, 'seq', 4], ['batch', 2, 5, 4], { MatMul: 1, Transpose: 1 }],
    ['bhqk,bhkd->bhqd', ['batch', 2, 'seq', 5], ['batch', 2, 5, 4], { MatMul: 1 }],
    ['bid,bjd->bij', ['batch', 'seq', 4], ['batch', 5, 4], { MatMul: 1, Transpose: 1 }],
    ['ij,jk->ik', [3, 4], [4, 5], { MatMul: 1 }],
    ['ij,jk->ki', [3, 4], [4, 5], { MatMul: 1, Transpose: 1 }],
    ['bqhd,bkhd->bhqk', ['batch', 'seq', 2, 4], ['batch', 5, 2, 4], { MatMul: 1, Transpose: 2 }],
    ['bij,bj->bi', ['batch', 3, 4], ['batch', 4], { MatMul: 1, Unsqueeze: 1, Squeeze: 1 }],
    ['i,i->', [4], [4], { MatMul: 1, Unsqueeze: 2, Squeeze: 1 }],
  ];
  for (const [equation, left, right, ops] of qualifying) {
    it(`rewrites ${equation} as MatMul with the same result`, () => {
      const graph = einsumGraph(equation, left, right);
      const { changes } = runAndCompare(graph, [einsumToMatMulPass], { sizes });
      expect(changes).toEqual({ 'einsum-to-matmul': 1 });
      expect(countOps(graph)).toEqual(ops);
    });
  }

  const declined: [string, Dim[], Dim[]][] = [
    ['bhqd,bhqd->bh', ['batch', 2, 3, 4], ['batch', 2, 3, 4]],
    ['bi,bj->bij', ['batch', 3], ['batch', 4]],
    ['bij,bjk->b', ['batch', 3, 4], ['batch', 4, 5]],
    ['...ij,...jk->...ik', ['batch', 3, 4], ['batch', 4, 5]],
    ['ii,ij->ij', [3, 3], [3, 4]],
    ['ij,jk', [3, 4], [4, 5]],
  ];
  for (const [equation, left, right] of declined) {
    it(`leaves ${equation} as an Einsum`, () => {
      const graph = einsumGraph(equation, left, right);
      const { changes } = runAndCompare(graph, [einsumToMatMulPass], { sizes });
      expect(changes).toEqual({});
      expect(countOps(graph)).toEqual({ Einsum: 1 });
    });
  }

  it('leaves a three-operand Einsum alone', () => {
    const g = new GraphBuilder();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => g.input(name, 'f32', [3, 3]));
    g.output(g.op('Einsum', [a, b, c], { equation: 'ij,jk,kl->il' }), 'y');
    const graph = g.build();
    expect(runAndCompare(graph, [einsumToMatMulPass]).changes).toEqual({});
    expect(planEinsumAsMatMul('ij,jk,kl->il')).toBeUndefined();
  });
});
