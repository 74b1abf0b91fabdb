/**
 * The rules the two backends used to disagree on, each decided once here
 * and pinned: where a slice starts, which axes a reduction reduces (and
 * when it reduces nothing), when a node needs no kernel, and how the KV
 * cache is copied — each read back from the plan and from both backends'
 * programs, which must follow it alike.
 */
import { constantValues, GraphBuilder, ShapeError, tensor, type Graph, type Node, type Program } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { lowerToWgsl } from '../../wgsl/lower-wgsl.js';
import { lowerToWasm } from '../../wasm/lower-wasm.js';
import { needsNoKernel } from './host-values.js';
import { PlanContext } from './plan-context.js';
import { planNode } from './plan.js';

function planOf(graph: Graph, op: string) {
  const node = graph.nodes.find((candidate) => candidate.op === op)!;
  return planNode(new PlanContext(graph, node, constantValues(graph)));
}

async function bothPrograms(graph: Graph): Promise<{ wasm: Program; wgsl: Program }> {
  return { wasm: await lowerToWasm(graph, [], { relaxedSimd: false }), wgsl: lowerToWgsl(graph, []) };
}

describe('plan rules', () => {
  it('slices start where the IR says: symbolic starts as they are, huge and negative ones at the axis ends', () => {
    const g = new GraphBuilder('slices');
    const x = g.input('x', 'f32', ['seq', 8]);
    g.output(g.op('Slice', [x, g.ints([2 ** 40, -3]), g.ints([-(2 ** 40), 8]), g.ints([0, 1]), g.ints([-1, 1])]), 'y');
    const plan = planOf(g.build(), 'Slice');
    expect(plan.kind).toBe('copy');
    if (plan.kind !== 'copy') return;
    expect(plan.copies[0].layout.sourceOffset).toBe('8*seq-3');
    expect(plan.copies[0].layout.sourceStrides).toEqual([-8, 1]);
  });

  it('reduces the normalised, sorted axes; none with noop_with_empty_axes (a view on both backends)', async () => {
    const g = new GraphBuilder('reduce');
    const x = g.input('x', 'f32', [2, 'seq', 4]);
    g.output(g.op('ReduceSum', [x, g.ints([-1, 0])]), 'sum');
    g.output(g.op('ReduceMean', [x, g.ints([])], { noop_with_empty_axes: 1 }), 'same');
    const graph = g.build();
    const plan = planOf(graph, 'ReduceSum');
    expect(plan.kind === 'reduce' && plan.reduced).toEqual([true, false, true]);
    expect(planOf(graph, 'ReduceMean').kind).toBe('view');
    for (const program of Object.values(await bothPrograms(graph))) {
      expect(program.steps.map((step) => step.op)).toEqual(['ReduceSum']);
      const same = program.buffers[program.outputs[1].buffer];
      expect(same.aliasOf).toBe(program.inputs[0].buffer);
    }
  });

  it('rejects a repeated reduction axis once, in the IR (so no backend can read it differently)', () => {
    const g = new GraphBuilder('repeat');
    const x = g.input('x', 'f32', [2, 3]);
    expect(() => g.op('ReduceSum', [x, g.ints([1, -1])])).toThrow(ShapeError);
  });

  it('needs no kernel for constants and values the host knows, on both backends', async () => {
    const g = new GraphBuilder('shape_chain');
    const x = g.input('x', 'f32', ['batch', 'seq', 8]);
    const rows = g.op('Gather', [g.op('Shape', [x]), g.constant(tensor('i64', [], [1]))]);
    g.output(rows, 'rows');
    g.output(g.op('Constant', [], { value: tensor('i64', [2, 2], [1, 2, 3, 4]) }), 'table');
    const graph = g.build();
    const constants = constantValues(graph);
    expect(graph.nodes.every((node: Node) => needsNoKernel(graph, node, constants))).toBe(true);
    for (const program of Object.values(await bothPrograms(graph))) {
      expect(program.steps).toEqual([]);
      expect(program.buffers[program.outputs[0].buffer].known).toEqual(['seq']);
      expect(program.buffers[program.outputs[1].buffer].kind).toBe('weight');
    }
  });

  it('fills the KV cache with the same copies on both backends', async () => {
    const g = new GraphBuilder('cache');
    const q = g.input('q', 'f32', [1, 'seq', 32]);
    const k = g.input('k', 'f32', [1, 'seq', 32]);
    const v = g.input('v', 'f32', [1, 'seq', 32]);
    const pastKey = g.input('past_key', 'f32', [1, 4, 'past', 8]);
    const pastValue = g.input('past_value', 'f32', [1, 4, 'past', 8]);
    const [y, presentKey] = g.opMulti('Attention', [q, k, v, undefined, pastKey, pastValue], { q_num_heads: 4, kv_num_heads: 4 }, [true, true, false]);
    g.output(y!, 'y');
    g.output(presentKey!, 'present_key');
    const graph = g.build();
    const plan = planOf(graph, 'Attention');
    if (plan.kind !== 'attention') throw new Error('expected an attention plan');
    const layouts = [plan.presentKey!, plan.presentValue!].flatMap((present) => present.copies.map((copy) => copy.layout));
    expect(layouts.map((layout) => layout.dims)).toEqual([[4, '8*past'], [4, 'seq', 8], [4, '8*past'], [4, 'seq', 8]]);
    expect(layouts[1]).toMatchObject({ sourceStrides: [8, 32, 1], targetStrides: ['8*past+8*seq', 8, 1], targetOffset: '8*past' });
    const { wasm, wgsl } = await bothPrograms(graph);
    const copyDims = (program: Program, count: number) =>
      program.steps.filter((step) => step.kernel.startsWith('copy')).map((step) => step.args.slice(count, count + 3));
    // wasm: src, dst, srcOffset, dstOffset, then the dims; WGSL: src, dst, count, then the dims padded to six on the left.
    expect(copyDims(wasm, 4).map((args, index) => args.slice(0, layouts[index].dims.length))).toEqual(layouts.map((layout) => layout.dims.map((dim) => ({ dim }))));
    expect(wgsl.steps.filter((step) => step.kernel.startsWith('copy'))).toHaveLength(4);
  });
});
