/**
 * Shape (with every start/end form the ONNX cases use) and Size as graph
 * outputs of a program whose only other buffers are float tensors: the
 * runtime writes these i64 values from the symbols, and they must come out
 * exact, also when a kernel reads them after intermediates that could
 * reuse their bytes. This is the test that catches host-written buffers
 * whose bytes are shared before they are read (wasm once returned float
 * bits read as int64 for 10 of the 11 onnx-node Shape cases); values the
 * program's host part computes get the same check.
 */
import { GraphBuilder, type Attributes } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, it } from 'vitest';
import { checkRuns, type CompiledBackend } from '../src/backend-check.js';
import { describeGpu } from '../src/gpu.js';

const FORMS: readonly Attributes[] = [{}, { end: 1 }, { end: -1 }, { start: 1 }, { start: -1 }, { start: 1, end: 2 }, { start: 1, end: -1 }, { start: 2, end: 1 }, { start: -10 }, { end: 10 }];

function checkAll(backend: CompiledBackend): void {
  it('Shape and Size of float inputs come out exact, alone and beside a kernel', async () => {
    const next = seededRandom(5);
    for (const [index, attrs] of FORMS.entries()) {
      const alone = new GraphBuilder(`shape_${index}`);
      alone.output(alone.op('Shape', [alone.input('x', 'f32', ['a', 4, 'b'])], attrs), 'shape');
      const beside = new GraphBuilder(`shape_beside_${index}`);
      const x = beside.input('x', 'f32', ['a', 4, 'b']);
      beside.output(beside.op('Neg', [x]), 'negated');
      beside.output(beside.op('Shape', [x], attrs), 'shape');
      beside.output(beside.op('Size', [x]), 'size');
      const runs = [{ x: randomTensor(next, 'f32', [3, 4, 5], { low: 0.5, high: 9.5 }) }, { x: randomTensor(next, 'f32', [1, 4, 2], { low: 0.5, high: 9.5 }) }];
      // the shape read by a kernel after intermediates that could reuse its bytes
      const late = new GraphBuilder(`shape_late_${index}`);
      const input = late.input('x', 'f32', ['a', 4, 'b']);
      const chain = late.op('Neg', [late.op('Neg', [late.op('Neg', [input])])]);
      late.output(late.op('Add', [late.op('Cast', [late.op('Shape', [input], attrs)], { to: 1 }), late.op('ReduceSum', [chain], { keepdims: 0 })]), 'sum');
      await checkRuns(alone.build(), backend, runs);
      await checkRuns(beside.build(), backend, runs);
      await checkRuns(late.build(), backend, runs, 1e-3);
    }
  });
}

function checkHostComputed(backend: CompiledBackend): void {
  it('a value the host part computes (NonZero of a feed) survives until a late kernel reads it', async () => {
    const g = new GraphBuilder('host_late');
    const x = g.input('x', 'f32', ['a', 4]);
    const chain = g.op('Neg', [g.op('Neg', [g.op('Neg', [x])])]);
    const count = g.op('ReduceSum', [g.op('Cast', [g.op('NonZero', [g.input('mask', 'bool', [2, 'b'])])], { to: 1 }), g.ints([1])], { keepdims: 0 });
    g.output(g.op('Add', [count, g.op('ReduceSum', [chain, g.ints([0, 1])], { keepdims: 0 })]), 'sum');
    const next = seededRandom(9);
    const runs = [3, 6].map((b) => ({ x: randomTensor(next, 'f32', [5, 4], { low: 0.5, high: 9.5 }), mask: randomTensor(next, 'bool', [2, b], { trueChance: 0.6 }) }));
    await checkRuns(g.build(), backend, runs, 1e-3);
  });
}

describe('host-computed values on wasm', () => checkHostComputed('wasm'));
describeGpu('host-computed values on webgpu', () => checkHostComputed('webgpu'));

describe('shape values on wasm', () => checkAll('wasm'));
describeGpu('shape values on webgpu', () => checkAll('webgpu'));
