import { compileGraph } from '@ladon/compiler';
import { describe, expect, it } from 'vitest';
import { buildSeedBlock } from './seed-block-graph.js';

describe('seed block graph', () => {
  it('fuses into one Attention, also when its weights are an output', () => {
    for (const attentionWeights of [false, true]) {
      const graph = buildSeedBlock({ dModel: 64, heads: 8 }, 1, { attentionWeights });
      const compiled = compileGraph(graph).graph;
      expect(compiled.nodes.filter((node) => node.op === 'Attention')).toHaveLength(1);
      expect(compiled.nodes.some((node) => node.op === 'Softmax')).toBe(false);
      expect(compiled.outputs).toHaveLength(attentionWeights ? 2 : 1);
    }
  });
});
