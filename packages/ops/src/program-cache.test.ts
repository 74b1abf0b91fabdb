import { Session } from '@ladon/runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attention, clearCompiledCache, compiledCacheStats } from './index.js';
import { BACKENDS, expectClose, referenceAttention } from '../test/support.js';
import { randomTensor, seededRandom as random } from '@ladon/ir/testing';

const next = random(5);

/** q [batch, 2, seq, 8], k and v [batch, 2, keys, 8]. */
function inputs(batch: number, seq: number, keys: number) {
  return { q: randomTensor(next, 'f32', [batch, 2, seq, 8]), k: randomTensor(next, 'f32', [batch, 2, keys, 8]), v: randomTensor(next, 'f32', [batch, 2, keys, 8]) };
}

describe.each(BACKENDS)('the compiled-program cache on %s', (backend) => {
  beforeEach(() => clearCompiledCache());
  afterEach(() => vi.restoreAllMocks());

  it('compiles once per signature and reuses the program for other batch sizes and lengths', async () => {
    const create = vi.spyOn(Session, 'create');
    const before = compiledCacheStats();
    for (const [batch, seq, keys] of [[1, 3, 5], [1, 4, 9], [3, 1, 2], [2, 6, 6]]) {
      const { q, k, v } = inputs(batch, seq, keys);
      const output = await attention(q, k, v, { backend });
      expectClose(output, referenceAttention({ q, k, v }, {})[0], `batch ${batch}, seq ${seq}, keys ${keys}`);
    }
    expect(create).toHaveBeenCalledTimes(1);
    const after = compiledCacheStats();
    expect(after.compiles - before.compiles).toBe(1);
    expect(after.hits - before.hits).toBe(3);
    expect(after.size).toBe(1);
  });

  it('compiles again when the signature changes (options, mask layout)', async () => {
    const before = compiledCacheStats().compiles;
    const { q, k, v } = inputs(1, 3, 3);
    await attention(q, k, v, { backend });
    await attention(q, k, v, { backend, causal: true });
    await attention(q, k, v, { backend, causal: true });
    const mask = randomTensor(next, 'f32', [1, 1, 3, 3]);
    await attention(q, k, v, { backend, mask });
    await attention(q, k, v, { backend, mask: randomTensor(next, 'f32', [1, 2, 3, 3]) });
    expect(compiledCacheStats().compiles - before).toBe(4);
  });

  it('compiles once when concurrent calls share a new signature', async () => {
    const create = vi.spyOn(Session, 'create');
    const calls = [2, 3, 4].map((seq) => {
      const { q, k, v } = inputs(1, seq, seq);
      return attention(q, k, v, { backend, scale: 0.25 });
    });
    const outputs = await Promise.all(calls);
    expect(outputs.map((output) => output.shape[2])).toEqual([2, 3, 4]);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('clearCompiledCache() disposes the sessions; the next call compiles again', async () => {
    const { q, k, v } = inputs(1, 2, 2);
    await attention(q, k, v, { backend });
    const dispose = vi.spyOn(Session.prototype, 'dispose');
    clearCompiledCache();
    expect(compiledCacheStats().size).toBe(0);
    await vi.waitFor(() => expect(dispose).toHaveBeenCalledTimes(1));
    const before = compiledCacheStats().compiles;
    await attention(q, k, v, { backend });
    expect(compiledCacheStats().compiles - before).toBe(1);
  });
});

describe('numThreads', () => {
  beforeEach(() => clearCompiledCache());
  afterEach(() => vi.restoreAllMocks());

  it('gives the wasm session that thread count (its own cache entry) and the same result as one thread', async () => {
    const create = vi.spyOn(Session, 'create');
    const [q, k, v] = [0, 1, 2].map(() => randomTensor(next, 'f32', [1, 4, 200, 32]));
    const one = await attention(q, k, v, { backend: 'wasm', numThreads: 1 });
    const two = await attention(q, k, v, { backend: 'wasm', numThreads: 2 });
    expect(create.mock.calls.map((call) => call[1]?.numThreads)).toEqual([1, 2]);
    const sessions = await Promise.all(create.mock.results.map((result) => result.value as Promise<Session>));
    expect(sessions.map((session) => session.numThreads)).toEqual([1, 2]);
    expect(Array.from(two.data)).toEqual(Array.from(one.data));
  });
});

describe('tiered start (firstResult)', () => {
  beforeEach(() => clearCompiledCache());

  it('answers with the interpreter while the program compiles, then with the compiled program', async () => {
    const { q, k, v } = inputs(1, 5, 7);
    const expected = referenceAttention({ q, k, v }, {})[0];
    const before = compiledCacheStats();
    const progress: string[] = [];
    const first = await attention(q, k, v, { backend: 'wasm', numThreads: 1, cache: false, firstResult: 'interpreter', onProgress: (event) => progress.push(event.phase) });
    expectClose(first, expected, 'interim result');
    expect(compiledCacheStats().interim - before.interim).toBe(1);
    // 'compiled' waits for the program that the first call started compiling (no second compile).
    expectClose(await attention(q, k, v, { backend: 'wasm', numThreads: 1, cache: false, firstResult: 'compiled' }), expected, 'compiled result');
    expectClose(await attention(q, k, v, { backend: 'wasm', numThreads: 1, cache: false, firstResult: 'interpreter' }), expected, 'after the swap');
    const after = compiledCacheStats();
    expect(after.interim - before.interim).toBe(1);
    expect(after.compiles - before.compiles).toBe(1);
    expect(progress).toContain('compile');
    expect(progress.at(-1)).toBe('instantiate');
  });

  it('waits for the compiled program when a backend is named, or the work is large', async () => {
    const before = compiledCacheStats().interim;
    const { q, k, v } = inputs(1, 3, 3);
    await attention(q, k, v, { backend: 'wasm', numThreads: 1, cache: false });
    const big = { q: randomTensor(next, 'f32', [1, 2, 2048, 8]), k: randomTensor(next, 'f32', [1, 2, 2048, 8]), v: randomTensor(next, 'f32', [1, 2, 2048, 8]) };
    await attention(big.q, big.k, big.v, { backend: 'wasm', numThreads: 1, cache: false, firstResult: 'interpreter' });
    expect(compiledCacheStats().interim).toBe(before);
  });
});
