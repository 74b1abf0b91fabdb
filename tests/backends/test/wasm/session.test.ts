/**
 * The wasm Session's guards: feeds of the wrong dtype or shape, missing or
 * unknown feeds, and runs whose memory would exceed wasm's 4 GiB, each a
 * typed error naming the tensor — before anything is allocated or run.
 */
import { compileProgram } from '@ladon/compiler';
import { FeedError, GraphBuilder, tensor } from '@ladon/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { LimitError, WasmSession } from '@ladon/runtime';

let session: WasmSession;

beforeAll(async () => {
  const g = new GraphBuilder('weights');
  const q = g.input('q', 'f32', [1, 1, 'seq', 4]);
  const [y, , , weights] = g.opMulti('Attention', [q, q, q], { qk_matmul_output_mode: 3 }, [true, false, false, true]);
  g.output(y!, 'y');
  g.output(weights!, 'weights');
  session = await WasmSession.create(await compileProgram(g.build(), { target: 'wasm', relaxedSimd: false }));
});

describe('wasm session guards', () => {
  it('names the input and the expectation for bad feeds', async () => {
    await expect(session.run({ q: tensor('f16', [1, 1, 3, 4]) })).rejects.toThrow(new FeedError("input 'q' expects dtype f32, got f16", { tensor: 'q' }));
    await expect(session.run({ q: tensor('f32', [1, 2, 3, 4]) })).rejects.toThrow(/input 'q': expected \[1, 1, seq, 4\], got \[1, 2, 3, 4\]/);
    await expect(session.run({})).rejects.toThrow("missing feed for input 'q'");
    await expect(session.run({ q: tensor('f32', [1, 1, 3, 4]), k: tensor('f32', [1]) })).rejects.toThrow("feed 'k' matches no input");
  });

  it('refuses a run that needs more than 4 GiB of wasm memory, naming the largest buffer', async () => {
    const run = session.run({ q: tensor('f32', [1, 1, 40000, 4]) });
    await expect(run).rejects.toBeInstanceOf(LimitError);
    await expect(session.run({ q: tensor('f32', [1, 1, 40000, 4]) })).rejects.toThrow(/over wasm's 4 GiB limit \(largest buffer: weights f32\[1, 1, 40000, 40000\]/);
  });

  it('still runs normal sizes after refusing one', async () => {
    const { y, weights } = await session.run({ q: tensor('f32', [1, 1, 3, 4], Array.from({ length: 12 }, (_, i) => i / 12)) });
    expect(y.shape).toEqual([1, 1, 3, 4]);
    const rows = weights.data as Float32Array;
    for (let row = 0; row < 3; row++) expect(rows[row * 3] + rows[row * 3 + 1] + rows[row * 3 + 2]).toBeCloseTo(1, 5);
  });
});
