import { compileGraph, summarizeAttention } from '@ladon/compiler';
import { interpret, compareTensors } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { FULL_PLAN, QUICK_PLAN, selectCases } from './cases.js';
import { feedTensors } from './inputs.js';
import { POSITION_CASES } from './position-cases.js';
import { buildPositionGraph, type PositionSpec } from './position-graphs.js';
import { normals } from './random.js';

function feeds(spec: PositionSpec): ReturnType<typeof feedTensors> {
  const shape = (heads: number): number[] => [1, heads, spec.seq, spec.headSize];
  const data = (seed: number, heads: number): Float32Array => normals(seed, heads * spec.seq * spec.headSize);
  return feedTensors([
    { name: 'q', shape: shape(spec.heads), data: data(1, spec.heads) },
    { name: 'k', shape: shape(spec.kvHeads), data: data(2, spec.kvHeads) },
    { name: 'v', shape: shape(spec.kvHeads), data: data(3, spec.kvHeads) },
  ]);
}

describe('the position benchmark graphs', () => {
  // S = 150 > M = 128: the relative table saturates on both sides.
  const specs: PositionSpec[] = [
    { kind: 'position', position: 'alibi', heads: 4, kvHeads: 4, seq: 40, headSize: 16, causal: false },
    { kind: 'position', position: 'alibi', heads: 4, kvHeads: 4, seq: 40, headSize: 16, causal: true },
    { kind: 'position', position: 'relative', heads: 2, kvHeads: 2, seq: 150, headSize: 8, causal: false },
    { kind: 'position', position: 'relative', heads: 2, kvHeads: 2, seq: 150, headSize: 8, causal: true },
    { kind: 'position', position: 'rotary-gqa', heads: 4, kvHeads: 2, seq: 24, headSize: 16, causal: true },
  ];
  it.each(specs.map((spec) => [`${spec.position}${spec.causal ? ' causal' : ''}`, spec] as const))('%s fuses into one Attention with the position inside, same numbers', (_label, spec) => {
    const graph = buildPositionGraph(spec);
    const fused = compileGraph(graph).graph;
    const [attention, ...others] = summarizeAttention(fused);
    expect(others).toHaveLength(0);
    expect(fused.nodes.some((node) => node.op === 'Softmax')).toBe(false);
    expect(attention).toMatchObject({
      causal: spec.causal,
      kvHeads: spec.kvHeads,
      bias: spec.position === 'rotary-gqa' ? 'none' : spec.position,
      rotary: spec.position === 'rotary-gqa' ? 'rotate-half' : 'none',
    });
    const inputs = feeds(spec);
    const comparison = compareTensors(interpret(fused, inputs).out, interpret(graph, inputs).out, { rtol: 1e-4, atol: 1e-5 });
    expect(comparison.problem ?? 'ok').toBe('ok');
  });
});

describe('position cases in the plan', () => {
  it('has ALiBi and relative bias at S = 4096, H = 12, causal and not, and rotary GQA at S = 1024', () => {
    expect(POSITION_CASES.map((positionCase) => positionCase.id)).toEqual(['alibi-s4096', 'alibi-causal-s4096', 'relative-s4096', 'relative-causal-s4096', 'rotary-gqa-causal-s1024']);
    expect(FULL_PLAN.positionCases).toBe(POSITION_CASES);
    expect(QUICK_PLAN.positionCases.length).toBeGreaterThan(0);
  });

  it('--case selects position cases (time to first result keeps its case)', () => {
    const plan = selectCases(FULL_PLAN, ['relative-s4096']);
    expect(plan.cases).toHaveLength(0);
    expect(plan.positionCases.map((positionCase) => positionCase.id)).toEqual(['relative-s4096']);
    expect(plan.firstResultCase?.id).toBe(FULL_PLAN.firstResultCaseId);
    expect(() => selectCases(FULL_PLAN, ['alibi-s9'])).toThrow(/unknown case alibi-s9/);
  });
});
