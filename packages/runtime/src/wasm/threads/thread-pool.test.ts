/**
 * The thread pool on a hand-written module (test-kernels.ts): parts run on
 * the right threads and land in the one shared memory; a trapping part is
 * reported with its thread and leaves the pool usable; a killed worker
 * fails the dispatch with a ThreadError instead of hanging; pools that are
 * started and disposed over and over leave no worker behind.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThreadError } from '../../errors.js';
import { withSharedMemoryImport } from './shared-module.js';
import { testKernelModule } from './test-kernels.js';
import { ThreadPool } from './thread-pool.js';
import { tracker } from './worker-tracker.js';

vi.mock('./worker-seam.js', async (importOriginal) => (await import('./worker-tracker.js')).trackedSeam(await importOriginal()));

const KERNELS = ['fill', 'trap', 'spin'];
const module = await WebAssembly.compile(withSharedMemoryImport(testKernelModule()) as Uint8Array<ArrayBuffer>);

async function setup(workers: number): Promise<{ pool: ThreadPool; memory: WebAssembly.Memory; exports: Record<string, (...args: number[]) => void> }> {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const pool = await ThreadPool.start(module, memory, KERNELS, workers);
  return { pool, memory, exports: instance.exports as Record<string, (...args: number[]) => void> };
}

const pools: ThreadPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.dispose()));
});

describe('withSharedMemoryImport', () => {
  it('marks the memory import shared and nothing else', async () => {
    const bytes = testKernelModule();
    const patched = withSharedMemoryImport(bytes);
    expect([...patched].filter((byte, i) => byte !== bytes[i])).toHaveLength(1);
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    await expect(WebAssembly.instantiate(await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>), { env: { memory: shared } })).rejects.toThrow();
    await expect(WebAssembly.instantiate(module, { env: { memory: shared } })).resolves.toBeDefined();
  });

  it('refuses a module without a memory import', () => {
    expect(() => withSharedMemoryImport(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))).toThrow(/imports no memory/);
  });
});

describe('ThreadPool', () => {
  it('runs 1, 2 and 3 parts into the shared memory, part 0 on the calling thread', async () => {
    const { pool, memory, exports } = await setup(2);
    pools.push(pool);
    expect(pool.threads).toBe(3);
    for (const parts of [1, 2, 3]) {
      const count = 1000;
      const args = Array.from({ length: parts }, (_, part) => [64, count, parts * 10_000, part, parts]);
      const localParts: number[] = [];
      const fault = await pool.run('fill', args, (local) => {
        localParts.push(local[3]);
        exports.fill(...local);
      });
      expect(fault).toBeUndefined();
      expect(localParts).toEqual([0]);
      const values = new Int32Array(memory.buffer, 64, count);
      expect(Array.from(values)).toEqual(Array.from({ length: count }, (_, i) => parts * 10_000 + i));
    }
  });

  it('reports a trap in a worker with its thread, and stays usable', async () => {
    const { pool, exports } = await setup(1);
    pools.push(pool);
    const fault = await pool.run('trap', [[0, 2], [1, 2]], (local) => exports.trap(...local));
    expect(fault?.part).toBe(1);
    expect(fault?.message).toMatch(/unreachable/);
    expect(await pool.run('fill', [[64, 8, 0, 0, 2], [64, 8, 0, 1, 2]], (local) => exports.fill(...local))).toBeUndefined();
  });

  it('fails a dispatch with a ThreadError when a worker is killed, without hanging', async () => {
    const { pool, exports } = await setup(1);
    pools.push(pool);
    const victim = tracker.started.at(-1)!;
    setTimeout(() => void victim.terminate(), 20);
    const long = 2 ** 31 - 1;
    const dispatch = pool.run('spin', [[0, 0, 2], [long, 1, 2]], (local) => exports.spin(...local));
    await expect(dispatch).rejects.toThrow(ThreadError);
    await expect(dispatch).rejects.toThrow(/died/);
    expect(pool.failure).toBeInstanceOf(ThreadError);
    await expect(pool.run('fill', [[64, 8, 0, 0, 1]], (local) => exports.fill(...local))).rejects.toThrow(ThreadError);
  });

  it('leaves no worker behind after 60 start/run/dispose cycles (the session test runs 200)', async () => {
    const before = { started: tracker.started.length, exited: tracker.exited };
    let rssAfterWarmup = 0;
    for (let cycle = 0; cycle < 60; cycle++) {
      const { pool, exports } = await setup(1);
      expect(await pool.run('fill', [[64, 64, cycle, 0, 2], [64, 64, cycle, 1, 2]], (local) => exports.fill(...local))).toBeUndefined();
      await pool.dispose();
      if (cycle === 19) rssAfterWarmup = process.memoryUsage().rss;
    }
    await vi.waitFor(() => expect(tracker.exited - before.exited).toBe(tracker.started.length - before.started), { timeout: 10_000 });
    expect(tracker.started.length - before.started).toBe(60);
    const growth = process.memoryUsage().rss - rssAfterWarmup;
    expect(growth, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB over 40 cycles`).toBeLessThan(64 * 2 ** 20);
  }, 600_000);
});
