/**
 * Compiling in the compiler's worker (a worker_thread here): Session.create
 * with the compiler handed in compiles off the calling thread by default,
 * reports the compiler's progress, gives the same numbers as the reference
 * interpreter, and carries the compiler's typed errors back.
 */
import * as compiler from '@ladon/compiler';
import { GraphBuilder, interpret, seededRandom, tensor } from '@ladon/ir';
import { Session, type ProgressEvent } from '@ladon/runtime';
import { describe, expect, it } from 'vitest';

function attentionGraph(heads: number, headSize: number) {
  const builder = new GraphBuilder('attention');
  const shape = ['batch', heads, 'seq', headSize];
  const q = builder.input('q', 'f32', shape);
  const k = builder.input('k', 'f32', shape);
  const v = builder.input('v', 'f32', shape);
  builder.output(builder.op('Attention', [q, k, v]), 'y');
  return builder.build();
}

function feeds(heads: number, seq: number, headSize: number) {
  const random = seededRandom(7);
  const make = () => tensor('f32', [1, heads, seq, headSize], Float32Array.from({ length: heads * seq * headSize }, () => random() * 2 - 1));
  return { q: make(), k: make(), v: make() };
}

describe('compiling in the compile worker', () => {
  it('compiles attention in the worker, reports compile and optimise, and matches the interpreter', async () => {
    const graph = attentionGraph(2, 16);
    const events: ProgressEvent[] = [];
    // No compile cache: another test of the run may have compiled the same graph (this test is about compiling).
    const session = await Session.create(graph, { backend: 'wasm', numThreads: 1, compiler, cache: false, onProgress: (event) => events.push(event) });
    const inputs = feeds(2, 9, 16);
    const { y } = await session.run(inputs);
    session.dispose();
    const expected = interpret(graph, inputs).y;
    const got = Array.from(y.data as Float32Array);
    Array.from(expected.data as Float32Array).forEach((value, index) => expect(got[index]).toBeCloseTo(value, 5));
    const phases = [...new Set(events.map((event) => event.phase))];
    expect(phases).toEqual(['compile', 'optimise', 'instantiate']);
    expect(events.filter((event) => event.phase === 'optimise').at(-1)).toEqual({ phase: 'optimise', loaded: 2, total: 2 });
    const passes = events.filter((event) => event.phase === 'compile');
    expect(passes.at(-1)!.loaded).toBe(compiler.DEFAULT_PIPELINE.length);
  });

  it('gives the same program as compiling on the calling thread', async () => {
    const graph = attentionGraph(1, 8);
    const inWorker = await Session.create(graph, { backend: 'wasm', numThreads: 1, compiler });
    const onThread = await Session.create(graph, { backend: 'wasm', numThreads: 1, compiler, compileInWorker: false });
    expect(inWorker.program!.wasm!.simd).toEqual(onThread.program!.wasm!.simd);
    inWorker.dispose();
    onThread.dispose();
  });

  it("rejects with the compiler's typed error", async () => {
    const builder = new GraphBuilder('bad');
    const x = builder.input('x', 'f32', [2, 3]);
    builder.output(builder.op('Relu', [x]), 'y');
    const graph = builder.build();
    // A node of an op the compiler's wasm backend cannot lower would be a compile error; an unknown op is caught earlier, in the worker's parse.
    graph.nodes[0].op = 'NoSuchOp';
    await expect(Session.create(graph, { backend: 'wasm', compiler })).rejects.toMatchObject({ code: expect.stringMatching(/^E_/) });
  });
});
