/**
 * The kernel-call contract at compile time: a step names its arguments;
 * one that is missing or not a parameter of the kernel is a KernelCallError
 * naming the kernel, the node and the parameter — on wasm here (WGSL's
 * declarations go through the same check, see wgsl/kernel.test.ts).
 */
import { GraphBuilder } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { KernelSet } from '../wasm/kernel-set.js';
import { stridedCopyKernel } from '../wasm/kernels/strided-copy.js';
import { WasmLowering } from '../wasm/lowering.js';
import { KernelCallError } from './kernel-call.js';
import { ProgramBuilder } from './program-builder.js';

function lowering() {
  const g = new GraphBuilder('copy');
  g.output(g.op('Identity', [g.input('x', 'f32', [4])]), 'y');
  const graph = g.build();
  const program = new ProgramBuilder(graph, 'wasm');
  return { wasm: new WasmLowering(graph, program, new KernelSet()), node: graph.nodes[0], program };
}

const COPY = stridedCopyKernel({ rank: 1, elementBytes: 4, contiguousRows: true });

describe('the kernel-call contract', () => {
  it('orders named arguments by the kernel parameters', () => {
    const { wasm, node, program } = lowering();
    wasm.call(COPY, node, { t0: { dim: 1 }, d0: { dim: 4 }, s0: { dim: 1 }, dstOffset: { int: 0 }, srcOffset: { int: 0 }, dst: { buffer: 1 }, src: { buffer: 0 } });
    const [step] = program.build({}, []).steps;
    expect(step.args).toEqual([{ buffer: 0 }, { buffer: 1 }, { int: 0 }, { int: 0 }, { dim: 4 }, { dim: 1 }, { dim: 1 }]);
  });

  it('rejects a wasm step built with a missing argument', () => {
    const { wasm, node } = lowering();
    const call = () => wasm.call(COPY, node, { src: { buffer: 0 }, dst: { buffer: 1 }, srcOffset: { int: 0 }, dstOffset: { int: 0 }, d0: { dim: 4 }, s0: { dim: 1 } });
    expect(call).toThrow(KernelCallError);
    expect(call).toThrow("Identity %y: kernel copy_r1_e4_rows: argument 't0' not given");
  });

  it('rejects an argument the kernel does not take', () => {
    const { wasm, node } = lowering();
    expect(() => wasm.call(COPY, node, { src: { buffer: 0 }, dst: { buffer: 1 }, srcOffset: { int: 0 }, dstOffset: { int: 0 }, d0: { dim: 4 }, s0: { dim: 1 }, t0: { dim: 1 }, t1: { dim: 1 } })).toThrow(/no parameter 't1'/);
  });
});
